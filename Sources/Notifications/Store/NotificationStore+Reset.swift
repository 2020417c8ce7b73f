import SQLKit

extension NotificationStore.Tables {
    /// The SNS tables, children before the tables they reference.
    static let tablesInDeletionOrder = ["sns_deliveries", "sns_subscriptions", "sns_topic_tags", "sns_topics"]

    /// Deletes every row of every SNS table, keeping the schema.
    package func deleteEverything() async throws {
        for table in Self.tablesInDeletionOrder {
            try await db.raw("DELETE FROM \(ident: table)").run()
        }
    }
}
