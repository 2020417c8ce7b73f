/// A value of the AWS IoT SQL language: the JSON types plus `Undefined` and raw binary payloads.
///
/// `Int` and `Decimal` are distinct, as in AWS IoT: integral JSON numbers are ``int(_:)``.
/// AWS keeps 34 significant digits; Thingport keeps `Int64` and `Double`, and an integer
/// operation that overflows `Int64` continues as a `Double`.
public enum SQLValue: Sendable, Hashable {
    /// Not a value: a missing key, or a function given arguments it cannot use. Left out
    /// when serialised inside an object or array; empty when serialised on its own.
    case undefined
    /// JSON `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// An `Int`.
    case int(Int64)
    /// A `Decimal`, held with double precision.
    case decimal(Double)
    /// A UTF-8 string.
    case string(String)
    /// An array of values of any types.
    case array([SQLValue])
    /// An object whose members keep their order.
    case object(SQLObject)
    /// A payload that is not JSON, kept as raw bytes.
    case binary([UInt8])

    /// The AWS IoT SQL name of the value's type (`Int`, `Decimal`, `String`…).
    public var typeName: String {
        switch self {
        case .undefined: "Undefined"
        case .null: "Null"
        case .bool: "Boolean"
        case .int: "Int"
        case .decimal: "Decimal"
        case .string: "String"
        case .array: "Array"
        case .object: "Object"
        case .binary: "Binary"
        }
    }

    /// Whether the value is ``undefined``.
    public var isUndefined: Bool {
        if case .undefined = self { return true }
        return false
    }

    /// Whether the value is an `Int` or a `Decimal`.
    var isNumber: Bool {
        switch self {
        case .int, .decimal: true
        default: false
        }
    }

    /// The member `key` of an object; ``undefined`` for a missing key or a value that is not an object.
    public subscript(key: String) -> SQLValue {
        if case .object(let object) = self { return object[key] }
        return .undefined
    }

    /// The element at the 0-based `index` of an array; ``undefined`` when out of bounds or not an array.
    public subscript(index: Int) -> SQLValue {
        if case .array(let array) = self, index >= 0, index < array.count { return array[index] }
        return .undefined
    }
}

extension SQLValue: ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByStringLiteral, ExpressibleByArrayLiteral,
    ExpressibleByDictionaryLiteral
{
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(integerLiteral value: Int64) { self = .int(value) }
    public init(floatLiteral value: Double) { self = .decimal(value) }
    public init(stringLiteral value: String) { self = .string(value) }
    public init(arrayLiteral elements: SQLValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, SQLValue)...) {
        var object = SQLObject()
        for (key, value) in elements { object[key] = value }
        self = .object(object)
    }
}
