extension FilterPolicy {
    /// One element of a key's array in a policy; a key matches when any of its conditions
    /// matches any of the key's values.
    enum Condition: Sendable, Hashable {
        case exactString(String)
        case exactNumber(Number)
        case exactBool(Bool)
        case exactNull
        case prefix(String)
        case suffix(String)
        /// Holds the pattern in lower case.
        case equalsIgnoreCase(String)
        case anythingBut(AnythingBut)
        case numeric(NumericRange)
        /// `{"exists": true}` or `{"exists": false}`.
        case exists(Bool)

        /// What `anything-but` excludes.
        enum AnythingBut: Sendable, Hashable {
            case strings(Set<String>)
            case numbers([Number])
            case prefix(String)
            case suffix(String)
        }

        /// Whether `value` satisfies the condition. `exists` is decided by whether the key has
        /// values at all: `exists: true` accepts every value and `exists: false` none.
        func matches(_ value: Value) -> Bool {
            switch self {
            case .exactString(let expected):
                if case .string(let text) = value { return text == expected }
                return false
            case .exactNumber(let expected):
                if case .number(let number) = value { return number.isEqual(to: expected) }
                return false
            case .exactBool(let expected):
                return value == .bool(expected)
            case .exactNull:
                return value == .null
            case .prefix(let prefix):
                if case .string(let text) = value { return text.utf8.starts(with: prefix.utf8) }
                return false
            case .suffix(let suffix):
                if case .string(let text) = value { return text.utf8.reversed().starts(with: suffix.utf8.reversed()) }
                return false
            case .equalsIgnoreCase(let lowercased):
                if case .string(let text) = value { return text.lowercased() == lowercased }
                return false
            case .anythingBut(let excluded):
                return !excluded.excludes(value)
            case .numeric(let range):
                if case .number(let number) = value, let key = number.key { return range.contains(key) }
                return false
            case .exists(let required):
                return required
            }
        }
    }
}

extension FilterPolicy.Condition.AnythingBut {
    /// Whether `value` is one of the excluded ones. Values of another type are never
    /// excluded: `anything-but: ["a"]` accepts the number 5.
    func excludes(_ value: FilterPolicy.Value) -> Bool {
        switch (self, value) {
        case (.strings(let strings), .string(let text)):
            strings.contains(text)
        case (.numbers(let numbers), .number(let number)):
            numbers.contains { $0.isEqual(to: number) }
        case (.prefix(let prefix), .string(let text)):
            text.utf8.starts(with: prefix.utf8)
        case (.suffix(let suffix), .string(let text)):
            text.utf8.reversed().starts(with: suffix.utf8.reversed())
        default:
            false
        }
    }
}
