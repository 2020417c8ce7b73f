/// The input of an operation after binding and validation: every member the request
/// carried (from the URI, query string, headers and body alike), typed by the model.
///
/// Members the model requires are present; members the request left out are absent.
public struct OperationInput: Sendable, Hashable {
    /// The operation name.
    public var operation: String
    /// The members, by their model names (`thingName`, `TopicArn`).
    public var members: [String: AWSValue]

    /// Creates an input.
    public init(operation: String, members: [String: AWSValue] = [:]) {
        self.operation = operation
        self.members = members
    }

    /// The member called `name`.
    public subscript(name: String) -> AWSValue? {
        members[name]
    }

    /// A string member.
    public func string(_ name: String) -> String? { members[name]?.stringValue }

    /// An integer or long member.
    public func int(_ name: String) -> Int? { members[name]?.intValue }

    /// A boolean member.
    public func bool(_ name: String) -> Bool? { members[name]?.boolValue }

    /// A list-of-strings member.
    public func strings(_ name: String) -> [String]? { members[name]?.stringListValue }

    /// A map-of-strings member.
    public func stringMap(_ name: String) -> [String: String]? { members[name]?.stringMapValue }

    /// A structure member's members.
    public func structure(_ name: String) -> [String: AWSValue]? { members[name]?.mapValue }
}
