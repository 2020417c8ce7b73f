import AWSWire
import Notifications

/// The handlers of the `sns` operations: each takes the bound, validated input, calls the
/// notification service and returns the output members named as botocore's model names them.
///
/// One extension per family (`SNSHandlers+Topics.swift`…) lists its operations.
struct SNSHandlers: Sendable {
    /// An operation name and what it does.
    typealias Operation = (name: String, handle: @Sendable (SNSInput) async throws -> OperationOutput)

    let notifications: NotificationService

    /// Every operation served.
    var operations: [Operation] {
        topicOperations + subscriptionOperations + publishingOperations + tagOperations
    }

    /// A page's items under `member` and its `NextToken`.
    static func paging<Item>(
        _ page: NotificationService.Page<Item>, _ member: String, _ item: (Item) -> AWSValue
    ) -> OperationOutput {
        var output: OperationOutput = [member: .list(page.items.map(item))]
        if let token = page.nextToken { output["NextToken"] = .string(token) }
        return output
    }

    /// A `TagList`.
    static func tags(_ tags: [NotificationService.Tag]) -> AWSValue {
        .list(tags.map { ["Key": .string($0.key), "Value": .string($0.value)] })
    }
}

/// An `sns` operation's input, with the accessors the handlers need.
struct SNSInput: Sendable {
    let input: OperationInput

    init(_ input: OperationInput) {
        self.input = input
    }

    /// A member the model requires (the dispatcher has checked it is present).
    func required(_ name: String) throws(AWSError) -> String {
        guard let value = input.string(name) else {
            let path = name.prefix(1).lowercased() + name.dropFirst()
            throw AWSError(
                code: "InvalidParameter",
                message: "1 validation error detected: Value null at '\(path)' failed to satisfy constraint: "
                    + "Member must not be null", httpStatus: 400)
        }
        return value
    }

    func string(_ name: String) -> String? { input.string(name) }

    func bool(_ name: String) -> Bool? { input.bool(name) }

    /// A map of strings (`Attributes`); absent is empty.
    func stringMap(_ name: String) -> [String: String] { input.stringMap(name) ?? [:] }

    /// A list of strings (`TagKeys`); absent is empty.
    func strings(_ name: String) -> [String] { input.strings(name) ?? [] }

    /// `Tags` (`[{"Key", "Value"}]`).
    var tags: [NotificationService.Tag] { Self.tags(input["Tags"]) }

    /// `MessageAttributes` of the request.
    var messageAttributes: [String: NotificationService.MessageAttributeValue] {
        Self.messageAttributes(input["MessageAttributes"])
    }

    static func tags(_ value: AWSValue?) -> [NotificationService.Tag] {
        (value?.listValue ?? []).map {
            NotificationService.Tag(key: $0["Key"]?.stringValue ?? "", value: $0["Value"]?.stringValue ?? "")
        }
    }

    /// A `MessageAttributeMap`.
    static func messageAttributes(_ value: AWSValue?) -> [String: NotificationService.MessageAttributeValue] {
        (value?.mapValue ?? [:]).mapValues { attribute in
            NotificationService.MessageAttributeValue(
                dataType: attribute["DataType"]?.stringValue ?? "", stringValue: attribute["StringValue"]?.stringValue,
                binaryValue: attribute["BinaryValue"]?.blobValue)
        }
    }
}
