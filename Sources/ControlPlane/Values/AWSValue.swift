import Foundation

/// A value of an operation's input or output: what a shape holds, independent of the wire
/// protocol. Structures and maps are both ``map``; the shape tells them apart.
///
/// Literals build values: `["thingName": "thermo-1", "version": 3, "attributes": ["room": "7"]]`.
public enum AWSValue: Sendable, Hashable {
    /// A string (string and enum shapes).
    case string(String)
    /// A whole number (integer and long shapes).
    case integer(Int64)
    /// A floating-point number (double and float shapes).
    case double(Double)
    /// A boolean.
    case boolean(Bool)
    /// A point in time.
    case timestamp(Date)
    /// Bytes (blob shapes).
    case blob([UInt8])
    /// A list.
    case list([AWSValue])
    /// A structure or a map.
    case map([String: AWSValue])

    /// The string, if this is a string.
    public var stringValue: String? {
        if case .string(let value) = self { value } else { nil }
    }

    /// The number as an `Int`, if this is a whole number that fits.
    public var intValue: Int? {
        if case .integer(let value) = self { Int(exactly: value) } else { nil }
    }

    /// The number as an `Int64`, if this is a whole number.
    public var int64Value: Int64? {
        if case .integer(let value) = self { value } else { nil }
    }

    /// The number as a `Double`, for whole and floating-point numbers.
    public var doubleValue: Double? {
        switch self {
        case .double(let value): value
        case .integer(let value): Double(value)
        default: nil
        }
    }

    /// The boolean, if this is a boolean.
    public var boolValue: Bool? {
        if case .boolean(let value) = self { value } else { nil }
    }

    /// The date, if this is a timestamp.
    public var dateValue: Date? {
        if case .timestamp(let value) = self { value } else { nil }
    }

    /// The bytes, if this is a blob.
    public var blobValue: [UInt8]? {
        if case .blob(let value) = self { value } else { nil }
    }

    /// The elements, if this is a list.
    public var listValue: [AWSValue]? {
        if case .list(let value) = self { value } else { nil }
    }

    /// The members or entries, if this is a structure or map.
    public var mapValue: [String: AWSValue]? {
        if case .map(let value) = self { value } else { nil }
    }

    /// The strings of a list of strings (nil if any element is not a string).
    public var stringListValue: [String]? {
        guard let list = listValue else { return nil }
        var strings: [String] = []
        strings.reserveCapacity(list.count)
        for element in list {
            guard let string = element.stringValue else { return nil }
            strings.append(string)
        }
        return strings
    }

    /// The entries of a map of strings (nil if any value is not a string).
    public var stringMapValue: [String: String]? {
        guard let map = mapValue else { return nil }
        var strings: [String: String] = [:]
        for (key, element) in map {
            guard let string = element.stringValue else { return nil }
            strings[key] = string
        }
        return strings
    }

    /// The member or entry called `key` of a structure or map.
    public subscript(key: String) -> AWSValue? {
        mapValue?[key]
    }
}

extension AWSValue: ExpressibleByStringLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
}

extension AWSValue: ExpressibleByIntegerLiteral {
    public init(integerLiteral value: Int64) { self = .integer(value) }
}

extension AWSValue: ExpressibleByFloatLiteral {
    public init(floatLiteral value: Double) { self = .double(value) }
}

extension AWSValue: ExpressibleByBooleanLiteral {
    public init(booleanLiteral value: Bool) { self = .boolean(value) }
}

extension AWSValue: ExpressibleByArrayLiteral {
    public init(arrayLiteral elements: AWSValue...) { self = .list(elements) }
}

extension AWSValue: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (String, AWSValue)...) {
        self = .map(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
}

extension AWSValue {
    /// A whole number from an `Int`.
    public static func int(_ value: Int) -> AWSValue { .integer(Int64(value)) }

    /// A list of strings.
    public static func strings(_ values: some Sequence<String>) -> AWSValue { .list(values.map { .string($0) }) }

    /// A map of strings.
    public static func strings(_ values: [String: String]) -> AWSValue { .map(values.mapValues { .string($0) }) }
}
