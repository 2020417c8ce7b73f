extension JSONValue {
    /// A string value.
    public init(_ string: String) {
        self = .string(string)
    }

    /// A boolean value.
    public init(_ flag: Bool) {
        self = .bool(flag)
    }

    /// A number holding `integer` in decimal.
    public init(_ integer: some BinaryInteger) {
        self = .number(String(integer))
    }

    /// A number holding `double` in its shortest exact form (`1.5`, `1e+20`); `null` when
    /// `double` is infinite or NaN, which JSON cannot hold.
    public init(_ double: Double) {
        self = double.isFinite ? .number(String(double)) : .null
    }

    /// An array of `elements`.
    public init(_ elements: [JSONValue]) {
        self = .array(elements)
    }

    /// An object with the entries of `dictionary`, in key order so the text is
    /// deterministic.
    public init(_ dictionary: [String: JSONValue]) {
        self = .object(
            dictionary.sorted(by: { $0.key < $1.key }).map { Member(key: $0.key, value: $0.value) })
    }
}

extension JSONValue: ExpressibleByNilLiteral {
    /// `null`.
    public init(nilLiteral: ()) {
        self = .null
    }
}

extension JSONValue: ExpressibleByBooleanLiteral {
    /// `true` or `false`.
    public init(booleanLiteral value: Bool) {
        self = .bool(value)
    }
}

extension JSONValue: ExpressibleByIntegerLiteral {
    /// A number.
    public init(integerLiteral value: Int) {
        self = .number(String(value))
    }
}

extension JSONValue: ExpressibleByFloatLiteral {
    /// A number.
    public init(floatLiteral value: Double) {
        self.init(value)
    }
}

extension JSONValue: ExpressibleByStringLiteral {
    /// A string.
    public init(stringLiteral value: String) {
        self = .string(value)
    }
}

extension JSONValue: ExpressibleByArrayLiteral {
    /// An array.
    public init(arrayLiteral elements: JSONValue...) {
        self = .array(elements)
    }
}

extension JSONValue: ExpressibleByDictionaryLiteral {
    /// An object whose members keep the literal's order.
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(elements.map { Member(key: $0.0, value: $0.1) })
    }
}
