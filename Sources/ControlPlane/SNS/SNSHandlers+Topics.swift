import AWSWire
import Notifications

/// Topics: `CreateTopic`, `DeleteTopic`, `ListTopics`, `GetTopicAttributes`,
/// `SetTopicAttributes`.
extension SNSHandlers {
    var topicOperations: [Operation] {
        [
            ("CreateTopic", createTopic), ("DeleteTopic", deleteTopic), ("ListTopics", listTopics),
            ("GetTopicAttributes", getTopicAttributes), ("SetTopicAttributes", setTopicAttributes),
        ]
    }

    func createTopic(_ input: SNSInput) async throws -> OperationOutput {
        let arn = try await notifications.createTopic(
            name: try input.required("Name"), attributes: input.stringMap("Attributes"), tags: input.tags,
            dataProtectionPolicy: input.string("DataProtectionPolicy"))
        return ["TopicArn": .string(arn)]
    }

    func deleteTopic(_ input: SNSInput) async throws -> OperationOutput {
        try await notifications.deleteTopic(topicArn: try input.required("TopicArn"))
        return .empty
    }

    func listTopics(_ input: SNSInput) async throws -> OperationOutput {
        let page = try await notifications.listTopics(nextToken: input.string("NextToken"))
        return Self.paging(page, "Topics") { ["TopicArn": .string($0)] }
    }

    func getTopicAttributes(_ input: SNSInput) async throws -> OperationOutput {
        let attributes = try await notifications.getTopicAttributes(topicArn: try input.required("TopicArn"))
        return ["Attributes": .strings(attributes)]
    }

    func setTopicAttributes(_ input: SNSInput) async throws -> OperationOutput {
        try await notifications.setTopicAttributes(
            topicArn: try input.required("TopicArn"), attributeName: try input.required("AttributeName"),
            attributeValue: input.string("AttributeValue"))
        return .empty
    }
}
