extension FilterPolicy {
    /// A message attribute as `Publish` receives it: a data type and a string or binary
    /// value.
    ///
    /// Filter policies compare `String`, `String.Array` and `Number` attributes (and custom
    /// types such as `Number.float` by their base type); `Binary` attributes are ignored, as
    /// if absent.
    public struct MessageAttribute: Sendable, Hashable {
        /// `String`, `String.Array`, `Number` or `Binary`, optionally with a custom suffix
        /// (`String.url`).
        public var dataType: String
        /// The value of a `String`, `String.Array` (a JSON array) or `Number` attribute.
        public var stringValue: String?
        /// The value of a `Binary` attribute.
        public var binaryValue: [UInt8]?

        /// An attribute of `dataType` with the given value.
        public init(dataType: String, stringValue: String? = nil, binaryValue: [UInt8]? = nil) {
            self.dataType = dataType
            self.stringValue = stringValue
            self.binaryValue = binaryValue
        }

        /// A `String` attribute.
        public static func string(_ value: String) -> MessageAttribute {
            MessageAttribute(dataType: "String", stringValue: value)
        }

        /// A `Number` attribute holding the number text `value`.
        public static func number(_ value: String) -> MessageAttribute {
            MessageAttribute(dataType: "Number", stringValue: value)
        }

        /// A `String.Array` attribute holding `json`, a JSON array of strings, numbers,
        /// booleans or nulls.
        public static func stringArray(_ json: String) -> MessageAttribute {
            MessageAttribute(dataType: "String.Array", stringValue: json)
        }

        /// A `Binary` attribute.
        public static func binary(_ value: [UInt8]) -> MessageAttribute {
            MessageAttribute(dataType: "Binary", binaryValue: value)
        }
    }
}
