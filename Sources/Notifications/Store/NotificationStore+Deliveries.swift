import SQLKit

extension NotificationStore.Tables {
    /// Writes `deliveries`, in as few multi-row statements as the engines' limits allow.
    ///
    /// A row binds its id, subscription, payload and last error; its kind and numbers are SQL
    /// literals. A statement holds at most ``insertRowLimit`` rows (at most 4 000 bound values:
    /// SQLite takes 32 766, PostgreSQL 65 535) and takes no more rows once its payloads pass
    /// ``insertPayloadLimit`` bytes.
    package func insertDeliveries(_ deliveries: [StoredDelivery]) async throws {
        var encoder = PayloadColumn.Encoder()
        var index = deliveries.startIndex
        while index < deliveries.endIndex {
            var rows = DeliveryRows()
            var payloadBytes = 0
            while index < deliveries.endIndex, rows.count < Self.insertRowLimit,
                payloadBytes < Self.insertPayloadLimit
            {
                let payload = encoder.encode(deliveries[index].payload)
                rows.append(deliveries[index], payload: payload)
                payloadBytes += payload.utf8.count
                index += 1
            }
            try await db.raw(
                """
                INSERT INTO sns_deliveries (id, subscription_id, kind, payload, attempts, next_attempt, created,
                    last_error) VALUES \(rows)
                """
            ).run()
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

/// The `VALUES` rows of a multi-row `INSERT INTO sns_deliveries`, written straight to the
/// serializer: a fan-out to many subscriptions makes hundreds of rows.
private struct DeliveryRows: SQLExpression {
    private var rows: [(delivery: StoredDelivery, payload: String)] = []

    var count: Int { rows.count }

    mutating func append(_ delivery: StoredDelivery, payload: String) {
        rows.append((delivery, payload))
    }

    func serialize(to serializer: inout SQLSerializer) {
        for (offset, row) in rows.enumerated() {
            let delivery = row.delivery
            serializer.write(offset == 0 ? "(" : ", (")
            serializer.write(bind: delivery.id)
            serializer.write(", ")
            serializer.write(bind: delivery.subscriptionId)
            // The kind is one of two fixed words; numbers are written as digits.
            serializer.write(", '\(delivery.kind.rawValue)', ")
            serializer.write(bind: row.payload)
            serializer.write(", \(delivery.attempts), \(delivery.nextAttempt), \(delivery.created), ")
            if let lastError = delivery.lastError {
                serializer.write(bind: lastError)
            } else {
                serializer.write("NULL")
            }
            serializer.write(")")
        }
    }
}
