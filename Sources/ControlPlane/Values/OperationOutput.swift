/// What an operation handler returns: the output members by their model names. The
/// serializer places each member where the output shape says (JSON body, header, status
/// code, or query XML) and skips members the shape does not have.
///
/// ```swift
/// return ["thingName": .string(name), "thingArn": .string(arn), "version": .int(1)]
/// ```
public struct OperationOutput: Sendable, Hashable, ExpressibleByDictionaryLiteral {
    /// The members, by their model names.
    public var members: [String: AWSValue]

    /// Creates an output.
    public init(_ members: [String: AWSValue] = [:]) {
        self.members = members
    }

    public init(dictionaryLiteral elements: (String, AWSValue)...) {
        self.members = Dictionary(elements, uniquingKeysWith: { _, last in last })
    }

    /// The output of an operation that returns nothing.
    public static let empty = OperationOutput()

    /// The member called `name`.
    public subscript(name: String) -> AWSValue? {
        get { members[name] }
        set { members[name] = newValue }
    }
}
