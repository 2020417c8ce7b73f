/// One HTTP header line: a name and a value, as sent on the wire.
///
/// Requests and responses keep headers as an ordered list of fields so that repeated
/// names survive (SigV4 joins their values with commas).
public struct HeaderField: Sendable, Hashable {
    /// The header name, with the case it was sent in.
    public var name: String
    /// The header value, untrimmed.
    public var value: String

    /// Creates a header field.
    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }

    /// Creates a header field.
    public init(_ name: String, _ value: String) {
        self.init(name: name, value: value)
    }
}

extension Array where Element == HeaderField {
    /// All values of the header `name` (compared ASCII case-insensitively), in order.
    public func values(named name: String) -> [String] {
        let key = name.asciiLowercased()
        return self.filter { $0.name.asciiLowercased() == key }.map(\.value)
    }

    /// The first value of the header `name` (compared ASCII case-insensitively).
    public func firstValue(named name: String) -> String? {
        let key = name.asciiLowercased()
        return self.first { $0.name.asciiLowercased() == key }?.value
    }

    /// Removes every header called `name` (compared ASCII case-insensitively).
    public mutating func removeAll(named name: String) {
        let key = name.asciiLowercased()
        self.removeAll { $0.name.asciiLowercased() == key }
    }
}

extension String {
    /// Lowercases ASCII letters only; other characters are left as they are.
    func asciiLowercased() -> String {
        var bytes = Array(self.utf8)
        var changed = false
        for index in bytes.indices where bytes[index] >= UInt8(ascii: "A") && bytes[index] <= UInt8(ascii: "Z") {
            bytes[index] += 32
            changed = true
        }
        return changed ? String(decoding: bytes, as: UTF8.self) : self
    }
}
