import SQLKit

extension NotificationStore.Tables {
    /// Writes `deliveries` (in multi-row statements).
    package func insertDeliveries(_ deliveries: [StoredDelivery]) async throws {
        var start = deliveries.startIndex
        while start < deliveries.endIndex {
            let end = min(start + Self.insertBatchSize, deliveries.endIndex)
            var query: SQLQueryString = """
                INSERT INTO sns_deliveries (id, subscription_id, kind, payload, attempts, next_attempt, created,
                    last_error) VALUES
                """
            for (offset, delivery) in deliveries[start..<end].enumerated() {
                query += offset > 0 ? ", " : " "
                let payload = PayloadColumn.encode(delivery.payload)
                query += """
                    (\(bind: delivery.id), \(bind: delivery.subscriptionId), \(bind: delivery.kind.rawValue),
                    \(bind: payload), \(bind: delivery.attempts), \(bind: delivery.nextAttempt), \(bind: delivery.created),
                    \(bind: delivery.lastError))
                    """
            }
            try await db.raw(query).run()
            start = end
        }
    }

    /// The deliveries waiting for subscription `subscriptionId` (every one when nil), oldest
    /// first.
    package func deliveries(subscription subscriptionId: String? = nil) async throws -> [StoredDelivery] {
        var query: SQLQueryString =
            "SELECT id, subscription_id, payload, attempts, next_attempt, created, last_error FROM sns_deliveries"
        if let subscriptionId { query += " WHERE subscription_id = \(bind: subscriptionId)" }
        query += " ORDER BY created, id"
        return try await db.raw(query).all().map { row in
            StoredDelivery(
                id: try row.string("id"), subscriptionId: try row.string("subscription_id"),
                payload: try PayloadColumn.decode(try row.string("payload")), attempts: try row.int64("attempts"),
                nextAttempt: try row.int64("next_attempt"), created: try row.int64("created"),
                lastError: try row.optionalString("last_error"))
        }
    }
}
