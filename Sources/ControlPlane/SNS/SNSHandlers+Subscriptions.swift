import AWSWire
import Notifications

/// Subscriptions: `Subscribe`, `ConfirmSubscription`, `Unsubscribe`, `ListSubscriptions`,
/// `ListSubscriptionsByTopic`, `GetSubscriptionAttributes`, `SetSubscriptionAttributes`.
extension SNSHandlers {
    var subscriptionOperations: [Operation] {
        [
            ("Subscribe", subscribe), ("ConfirmSubscription", confirmSubscription), ("Unsubscribe", unsubscribe),
            ("ListSubscriptions", listSubscriptions), ("ListSubscriptionsByTopic", listSubscriptionsByTopic),
            ("GetSubscriptionAttributes", getSubscriptionAttributes),
            ("SetSubscriptionAttributes", setSubscriptionAttributes),
        ]
    }

    func subscribe(_ input: SNSInput) async throws -> OperationOutput {
        let arn = try await notifications.subscribe(
            topicArn: try input.required("TopicArn"), protocol: try input.required("Protocol"),
            endpoint: input.string("Endpoint"), attributes: input.stringMap("Attributes"),
            returnSubscriptionArn: input.bool("ReturnSubscriptionArn") ?? false)
        return ["SubscriptionArn": .string(arn)]
    }

    func confirmSubscription(_ input: SNSInput) async throws -> OperationOutput {
        let arn = try await notifications.confirmSubscription(
            topicArn: try input.required("TopicArn"), token: try input.required("Token"),
            authenticateOnUnsubscribe: input.string("AuthenticateOnUnsubscribe")?.lowercased() == "true",
            authenticated: true)
        return ["SubscriptionArn": .string(arn)]
    }

    func unsubscribe(_ input: SNSInput) async throws -> OperationOutput {
        try await notifications.unsubscribe(subscriptionArn: try input.required("SubscriptionArn"), authenticated: true)
        return .empty
    }

    func listSubscriptions(_ input: SNSInput) async throws -> OperationOutput {
        let page = try await notifications.listSubscriptions(nextToken: input.string("NextToken"))
        return Self.paging(page, "Subscriptions", Self.subscription)
    }

    func listSubscriptionsByTopic(_ input: SNSInput) async throws -> OperationOutput {
        let page = try await notifications.listSubscriptionsByTopic(
            topicArn: try input.required("TopicArn"), nextToken: input.string("NextToken"))
        return Self.paging(page, "Subscriptions", Self.subscription)
    }

    func getSubscriptionAttributes(_ input: SNSInput) async throws -> OperationOutput {
        let attributes = try await notifications.getSubscriptionAttributes(
            subscriptionArn: try input.required("SubscriptionArn"))
        return ["Attributes": .strings(attributes)]
    }

    func setSubscriptionAttributes(_ input: SNSInput) async throws -> OperationOutput {
        try await notifications.setSubscriptionAttributes(
            subscriptionArn: try input.required("SubscriptionArn"), attributeName: try input.required("AttributeName"),
            attributeValue: input.string("AttributeValue"))
        return .empty
    }

    /// A `Subscription` of a listing (`PendingConfirmation` until confirmed).
    static func subscription(_ subscription: NotificationService.Subscription) -> AWSValue {
        [
            "SubscriptionArn": .string(subscription.listedSubscriptionArn), "Owner": .string(subscription.owner),
            "Protocol": .string(subscription.protocol), "Endpoint": .string(subscription.endpoint),
            "TopicArn": .string(subscription.topicArn),
        ]
    }
}
