extension JSONValue {
    /// The string, if this is a string.
    public var stringValue: String? {
        if case .string(let text) = self { text } else { nil }
    }

    /// The boolean, if this is `true` or `false`.
    public var boolValue: Bool? {
        if case .bool(let flag) = self { flag } else { nil }
    }

    /// The number's text, if this is a number.
    public var numberText: String? {
        if case .number(let text) = self { text } else { nil }
    }

    /// The number as a `Double` (rounded to the nearest), if this is a number.
    public var doubleValue: Double? {
        if case .number(let text) = self { Double(text) } else { nil }
    }

    /// The number as an `Int64`, if this is a number written as an integer that fits
    /// (`42`, `-7`; not `4.2`, `1e3` or `99999999999999999999`).
    public var int64Value: Int64? {
        if case .number(let text) = self { Int64(text) } else { nil }
    }

    /// The elements, if this is an array.
    public var arrayValue: [JSONValue]? {
        if case .array(let elements) = self { elements } else { nil }
    }

    /// The members in order, if this is an object.
    public var members: [Member]? {
        if case .object(let members) = self { members } else { nil }
    }

    /// Whether this is `null`.
    public var isNull: Bool {
        if case .null = self { true } else { false }
    }

    /// The value of the object member named `key`: the last one when the key repeats, as
    /// most JSON readers do; `nil` when there is none or this is not an object.
    ///
    /// Setting a value replaces the last member named `key` or appends a member; setting
    /// `nil` removes every member named `key`. Setting a member of a value that is not an
    /// object makes it an object holding just that member.
    public subscript(key: String) -> JSONValue? {
        get {
            guard case .object(let members) = self else { return nil }
            return members.last(where: { $0.key == key })?.value
        }
        set {
            var members: [Member]
            if case .object(let existing) = self { members = existing } else { members = [] }
            if let newValue {
                if let index = members.lastIndex(where: { $0.key == key }) {
                    members[index].value = newValue
                } else {
                    members.append(Member(key: key, value: newValue))
                }
            } else {
                members.removeAll { $0.key == key }
            }
            self = .object(members)
        }
    }

    /// The array element at `index`; `nil` when out of range or this is not an array.
    public subscript(index: Int) -> JSONValue? {
        guard case .array(let elements) = self, elements.indices.contains(index) else { return nil }
        return elements[index]
    }
}
