/// The request context: the values of condition keys and policy variables, such as
/// `aws:SourceIp`, `iot:ClientId` or `iot:Connection.Thing.Attributes[color]`.
///
/// Key names are case-insensitive, as in AWS, except for the part in square brackets (a
/// thing attribute name), which is kept as written.
public struct PolicyContext: Sendable, Hashable, ExpressibleByDictionaryLiteral {
    /// The value of one key: one string, or several for multi-valued keys (`aws:TagKeys`).
    public enum Value: Sendable, Hashable, ExpressibleByStringLiteral, ExpressibleByArrayLiteral {
        /// A single-valued key.
        case single(String)
        /// A multi-valued key; may be empty.
        case multiple([String])

        public init(stringLiteral value: String) {
            self = .single(value)
        }

        public init(arrayLiteral elements: String...) {
            self = .multiple(elements)
        }

        /// The value of a single-valued key, `nil` for a multi-valued one.
        public var single: String? {
            if case .single(let value) = self { return value }
            return nil
        }

        /// All values.
        public var values: [String] {
            switch self {
            case .single(let value): [value]
            case .multiple(let values): values
            }
        }
    }

    private var storage: [String: Value]

    /// An empty context.
    public init() {
        self.storage = [:]
    }

    /// A context holding `values`.
    public init(_ values: [String: Value]) {
        self.storage = [:]
        for (key, value) in values {
            self[key] = value
        }
    }

    public init(dictionaryLiteral elements: (String, Value)...) {
        self.storage = [:]
        for (key, value) in elements {
            self[key] = value
        }
    }

    /// The value of `key`, matched without regard to case.
    public subscript(key: String) -> Value? {
        get { storage[Self.normalizedKey(key)] }
        set { storage[Self.normalizedKey(key)] = newValue }
    }

    /// Whether the context holds no keys.
    public var isEmpty: Bool { storage.isEmpty }

    /// Adds the keys of `other`, replacing values of keys present in both.
    public mutating func merge(_ other: PolicyContext) {
        storage.merge(other.storage) { _, new in new }
    }

    /// The value of a key already in normalized form (see ``normalizedKey(_:)``).
    func value(normalizedKey: String) -> Value? {
        storage[normalizedKey]
    }

    /// The form in which keys are compared: lowercased up to the first `[`.
    ///
    /// A key already in that form is returned as it is, sharing its storage: contexts built
    /// per connection from normalized constants hold no copies of their keys.
    public static func normalizedKey(_ key: String) -> String {
        if isNormalized(key) { return key }
        guard let bracket = key.firstIndex(of: "[") else { return key.lowercased() }
        return key[..<bracket].lowercased() + key[bracket...]
    }

    /// Whether `key` is ASCII without capitals up to its first `[`.
    private static func isNormalized(_ key: String) -> Bool {
        for byte in key.utf8 {
            if byte == UInt8(ascii: "[") { return true }
            if byte >= 0x80 || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) { return false }
        }
        return true
    }
}
