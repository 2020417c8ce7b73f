/// One shape of a botocore service model: a structure, list, map or scalar type with the
/// constraints the service validates (`required`, `min`/`max`, `pattern`, `enum`).
public struct ShapeModel: Sendable {
    /// The type of a shape.
    public enum Kind: String, Sendable, Hashable {
        case structure, list, map
        case string, integer, long, double, float, boolean, timestamp, blob

        /// Whether values are whole numbers (`integer`, `long`).
        public var isIntegral: Bool { self == .integer || self == .long }
        /// Whether values are numbers.
        public var isNumeric: Bool { isIntegral || self == .double || self == .float }
    }

    /// Where a structure member travels in an HTTP request or response (rest-json); query
    /// members are always ``body``.
    public enum Location: Sendable, Hashable {
        /// In the JSON body (rest-json) or the form / XML (query).
        case body
        /// A `{label}` of the request URI.
        case uri(String)
        /// A query-string parameter.
        case querystring(String)
        /// One HTTP header.
        case header(String)
        /// Every header starting with a prefix (a map).
        case headers(prefix: String)
        /// The HTTP status code of a response.
        case statusCode
    }

    /// A member of a structure.
    public struct Member: Sendable {
        /// The member name (`thingName`, `TopicArn`).
        public let name: String
        /// The name of the member's shape.
        public let shape: String
        /// Where the member travels.
        public let location: Location
        /// The name on the wire when it differs from ``name`` (JSON key or XML element).
        public let serializedName: String?
        /// Whether the member is required.
        public let isRequired: Bool
        /// A header member whose value is base64-encoded JSON.
        public let isJSONValue: Bool
        /// The timestamp format the member overrides (`iso8601`, `rfc822`, `unixTimestamp`).
        public let timestampFormat: String?

        /// The key or element name on the wire.
        public var wireName: String { serializedName ?? name }

        /// Creates a member.
        public init(
            _ name: String, _ shape: String, _ location: Location = .body, xmlName: String? = nil,
            required: Bool = false, jsonValue: Bool = false, timestampFormat: String? = nil
        ) {
            self.name = name
            self.shape = shape
            self.location = location
            self.serializedName = xmlName
            self.isRequired = required
            self.isJSONValue = jsonValue
            self.timestampFormat = timestampFormat
        }
    }

    /// What a modelled error answers with.
    public struct ErrorInfo: Sendable, Hashable {
        /// The HTTP status code.
        public let status: Int
        /// The query-protocol error code (`NotFound`); nil means the shape name.
        public let code: String?
        /// Whether the caller is at fault.
        public let isSenderFault: Bool

        /// Creates error information.
        public init(status: Int, code: String? = nil, senderFault: Bool = true) {
            self.status = status
            self.code = code
            self.isSenderFault = senderFault
        }
    }

    /// The shape name.
    public let name: String
    /// The type.
    public let kind: Kind
    /// The members of a structure, in model order.
    public let members: [Member]
    /// The member that is the whole HTTP body (rest-json), if any.
    public let payload: String?
    /// For an exception structure: its status and code.
    public let error: ErrorInfo?
    /// The member shape of a list.
    public let listMember: String?
    /// The element name of list members in query/XML (`member` unless given).
    public let listMemberXMLName: String?
    /// The key and value shapes of a map.
    public let mapKey: String?
    /// The value shape of a map.
    public let mapValue: String?
    /// The key element name of a map in query/XML (`key` unless given).
    public let mapKeyXMLName: String?
    /// The value element name of a map in query/XML (`value` unless given).
    public let mapValueXMLName: String?
    /// A flattened list or map (query/XML): no wrapping `member` / `entry` level.
    public let isFlattened: Bool
    /// The minimum length (strings, blobs, lists, maps) or value (numbers).
    public let min: Double?
    /// The maximum length (strings, blobs, lists, maps) or value (numbers).
    public let max: Double?
    /// The regular expression a string must match entirely (Java syntax).
    public let pattern: String?
    /// The allowed values of a string.
    public let enumValues: [String]?
    /// The timestamp format of a timestamp shape, when the model sets one.
    public let timestampFormat: String?

    private init(
        name: String, kind: Kind, members: [Member] = [], payload: String? = nil, error: ErrorInfo? = nil,
        listMember: String? = nil, listMemberXMLName: String? = nil, mapKey: String? = nil,
        mapValue: String? = nil, mapKeyXMLName: String? = nil, mapValueXMLName: String? = nil,
        isFlattened: Bool = false, min: Double? = nil, max: Double? = nil, pattern: String? = nil,
        enumValues: [String]? = nil, timestampFormat: String? = nil
    ) {
        self.name = name
        self.kind = kind
        self.members = members
        self.payload = payload
        self.error = error
        self.listMember = listMember
        self.listMemberXMLName = listMemberXMLName
        self.mapKey = mapKey
        self.mapValue = mapValue
        self.mapKeyXMLName = mapKeyXMLName
        self.mapValueXMLName = mapValueXMLName
        self.isFlattened = isFlattened
        self.min = min
        self.max = max
        self.pattern = pattern
        self.enumValues = enumValues
        self.timestampFormat = timestampFormat
    }

    /// A structure shape.
    public static func structure(
        _ name: String, _ members: [Member], payload: String? = nil, error: ErrorInfo? = nil
    ) -> ShapeModel {
        ShapeModel(name: name, kind: .structure, members: members, payload: payload, error: error)
    }

    /// A list shape.
    public static func list(
        _ name: String, member: String, memberXMLName: String? = nil, flattened: Bool = false,
        min: Double? = nil, max: Double? = nil
    ) -> ShapeModel {
        ShapeModel(
            name: name, kind: .list, listMember: member, listMemberXMLName: memberXMLName, isFlattened: flattened,
            min: min, max: max)
    }

    /// A map shape.
    public static func map(
        _ name: String, key: String, value: String, keyXMLName: String? = nil, valueXMLName: String? = nil,
        flattened: Bool = false, min: Double? = nil, max: Double? = nil
    ) -> ShapeModel {
        ShapeModel(
            name: name, kind: .map, mapKey: key, mapValue: value, mapKeyXMLName: keyXMLName,
            mapValueXMLName: valueXMLName, isFlattened: flattened, min: min, max: max)
    }

    /// A scalar shape (string, number, boolean, timestamp, blob).
    public static func scalar(
        _ name: String, _ kind: Kind, min: Double? = nil, max: Double? = nil, pattern: String? = nil,
        enumValues: [String]? = nil, timestampFormat: String? = nil
    ) -> ShapeModel {
        precondition(kind != .structure && kind != .list && kind != .map, "scalar(\(name)) of kind \(kind)")
        return ShapeModel(
            name: name, kind: kind, min: min, max: max, pattern: pattern, enumValues: enumValues,
            timestampFormat: timestampFormat)
    }

    /// The member called `name`.
    public func member(named name: String) -> Member? {
        members.first { $0.name == name }
    }
}
