import Notifications

extension ControlPlane {
    /// Registers the handlers of the `sns` operations Thingport serves over `notifications`:
    /// topics and their attributes, subscriptions and their confirmation, publishing (single and
    /// batch) and topic tags.
    ///
    /// Service failures answer as the error code they name (``NotificationError/awsError``), in
    /// query-protocol XML. `ConfirmSubscription` through this API is a signed request, so it
    /// counts as authenticated (`ConfirmationWasAuthenticated`); the unsigned links of
    /// confirmation and notification messages call ``NotificationService`` directly.
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
            register(.sns, operation.name) { input, _ in
                do {
                    return try await handle(SNSInput(input))
                } catch let error as NotificationError {
                    throw error.awsError
                }
            }
        }
    }
}
