/// A parsed JSON value, as much as policy documents need: object members keep their order,
/// numbers keep their text (`10`, `1.5e3`), booleans stay distinct from numbers.
enum JSONValue: Sendable, Hashable {
    case object([Member])
    case array([JSONValue])
    case string(String)
    case number(String)
    case bool(Bool)
    case null

    /// One member of an object.
    struct Member: Sendable, Hashable {
        var key: String
        var value: JSONValue
    }

    /// A short name of the value's type, for error messages.
    var typeName: String {
        switch self {
        case .object: "an object"
        case .array: "an array"
        case .string: "a string"
        case .number: "a number"
        case .bool: "a boolean"
        case .null: "null"
        }
    }
}
