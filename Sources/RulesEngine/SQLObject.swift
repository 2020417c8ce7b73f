/// A JSON object whose members keep the order in which they were added, as AWS IoT keeps
/// the order of the payload's keys and of the projections of a SELECT.
///
/// Members live in one array. Small objects, the usual device payload, are searched by
/// scanning it, which beats hashing; objects wider than ``indexThreshold`` keep a key
/// index as well. Setting an existing key replaces its value in place.
public struct SQLObject: Sendable, Hashable {
    /// One key and its value.
    public struct Member: Sendable, Hashable {
        /// The member's key.
        public var key: String
        /// The member's value; never ``SQLValue/undefined``.
        public var value: SQLValue

        /// A member.
        public init(key: String, value: SQLValue) {
            self.key = key
            self.value = value
        }
    }

    /// Objects with more members than this keep a key index.
    static let indexThreshold = 16

    /// The members, in order.
    public private(set) var members: [Member]
    /// Key → position in `members`, for wide objects only.
    private var index: [String: Int]?

    /// An empty object.
    public init() { members = [] }

    /// An object with `members`; a later member replaces an earlier one with the same key.
    public init(_ members: [Member]) {
        self.members = []
        self.members.reserveCapacity(members.count)
        for member in members { self[member.key] = member.value }
    }

    /// The number of members.
    public var count: Int { members.count }

    /// Whether the object has no members.
    public var isEmpty: Bool { members.isEmpty }

    /// The keys, in order.
    public var keys: [String] { members.map(\.key) }

    private func position(of key: String) -> Int? {
        if let index { return index[key] }
        return members.firstIndex { $0.key == key }
    }

    /// The value of `key`, or ``SQLValue/undefined``. Setting ``SQLValue/undefined`` removes the key.
    public subscript(key: String) -> SQLValue {
        get {
            guard let position = position(of: key) else { return .undefined }
            return members[position].value
        }
        set {
            if let position = position(of: key) {
                if newValue.isUndefined {
                    members.remove(at: position)
                    if index != nil { rebuildIndex() }
                } else {
                    members[position].value = newValue
                }
            } else if !newValue.isUndefined {
                members.append(Member(key: key, value: newValue))
                if index != nil {
                    index![key] = members.count - 1
                } else if members.count > Self.indexThreshold {
                    rebuildIndex()
                }
            }
        }
    }

    mutating func reserveCapacity(_ capacity: Int) {
        members.reserveCapacity(capacity)
    }

    private mutating func rebuildIndex() {
        guard members.count > Self.indexThreshold else {
            index = nil
            return
        }
        var built = [String: Int](minimumCapacity: members.count)
        for (position, member) in members.enumerated() { built[member.key] = position }
        index = built
    }

    // The index is a cache: equality and hashing look at the members only.
    public static func == (lhs: SQLObject, rhs: SQLObject) -> Bool {
        lhs.members == rhs.members
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(members)
    }
}
