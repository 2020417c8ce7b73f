/// A JSON value.
///
/// Object members keep their order, and a parsed object keeps every member even when a key
/// repeats, so a reader can tell `{"a": 1, "a": 2}` from `{"a": 2}`. Numbers keep their text
/// (`10`, `1.5e3`, `12345678901234567890`), so no precision is lost on the way through and
/// the reader decides whether a number is an integer or a double.
public enum JSONValue: Sendable, Hashable {
    /// `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// A number, as its RFC 8259 text. The writer emits the text as it is, so a value built
    /// by hand must hold valid JSON number text; `JSONValue(42)` and `JSONValue(1.5)` do.
    case number(String)
    /// A string.
    case string(String)
    /// An array.
    case array([JSONValue])
    /// An object: its members in order.
    case object([Member])

    /// One member of an object.
    public struct Member: Sendable, Hashable {
        /// The member name.
        public var key: String
        /// The member value.
        public var value: JSONValue

        /// A member named `key` holding `value`.
        public init(key: String, value: JSONValue) {
            self.key = key
            self.value = value
        }
    }

    /// The name of the value's JSON type (`"object"`, `"array"`, `"string"`, `"number"`,
    /// `"boolean"` or `"null"`), for error messages.
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }
}
