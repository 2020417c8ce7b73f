import Notifications

extension ControlPlane {
    /// Registers the handlers of the `sns` operations Thingport serves over `notifications`:
    /// topics and their attributes, subscriptions and their confirmation, publishing (single and
    /// batch) and topic tags.
    ///
    /// Service failures answer as the error code they name (``NotificationError/awsError``), in
    /// query-protocol XML. `ConfirmSubscription` through this API is a signed request, so it
    /// counts as authenticated (`ConfirmationWasAuthenticated`). The links SNS messages carry —
    /// `SubscribeURL` (`GET /?Action=ConfirmSubscription&TopicArn=…&Token=…`) and
    /// `UnsubscribeURL` (`GET /?Action=Unsubscribe&SubscriptionArn=…`) — work unsigned, as on
    /// AWS, and count as unauthenticated (an unsubscribe link is refused for a subscription
    /// confirmed with `AuthenticateOnUnsubscribe`).
    ///
    /// ```swift
    /// var api = ControlPlane(configuration: configuration, logger: logger)
    /// api.registerSNSOperations(NotificationService(database: database, region: "us-east-1",
    ///                                               accountId: "000000000000"))
    /// ```
    public mutating func registerSNSOperations(_ notifications: NotificationService) {
        let handlers = SNSHandlers(notifications: notifications)
        for operation in handlers.operations {
            let handle = operation.handle
            register(.sns, operation.name) { input, _ in try await handle(SNSInput(input)) }
        }
        registerUnsignedLink(.sns, "ConfirmSubscription") { input in
            let arn = try await notifications.confirmSubscription(
                topicArn: input.string("TopicArn") ?? "", token: input.string("Token") ?? "",
                authenticateOnUnsubscribe: false, authenticated: false)
            return ["SubscriptionArn": .string(arn)]
        }
        registerUnsignedLink(.sns, "Unsubscribe") { input in
            try await notifications.unsubscribe(
                subscriptionArn: input.string("SubscriptionArn") ?? "", authenticated: false)
            return .empty
        }
    }
}
