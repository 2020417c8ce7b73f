extension NotificationService {
    /// Deletes every topic, tag, subscription and pending delivery in one transaction
    /// (`POST /_thingport/reset`), keeping the schema.
    public func reset() async throws {
        try await store.write { try await $0.deleteEverything() }
        logger.debug("Notifications reset")
    }
}
