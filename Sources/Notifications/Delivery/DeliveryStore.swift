import SQLKit
import Storage

/// The pipeline's SQL on `sns_deliveries`, joined with `sns_subscriptions` and `sns_topics` to
/// learn, at delivery time, whether the subscription still exists and is confirmed, where it points
/// and what the topic's and subscription's attributes say.
///
/// A delivery is *claimed* by moving its `next_attempt` to the end of a lease in the same
/// transaction that found it due: no other loop (of this process or another node on the same
/// PostgreSQL) sees it due until the lease ends, and if this process dies mid-delivery the row
/// becomes due again when it does.
struct DeliveryStore: Sendable {
    /// A due delivery with what its subscription and topic say now.
    struct Candidate: Sendable {
        var id: String
        var kind: String
        var payload: String
        var attempts: Int64
        var nextAttempt: Int64
        /// `nil` when the subscription no longer exists.
        var subscriptionID: String?
        var confirmed: Bool
        var endpoint: String?
        var subscriptionAttributes: String?
        var topicAttributes: String?
    }

    /// What to write back once a delivery has been attempted.
    enum Completion: Sendable {
        /// Delivered or given up.
        case delete(id: String)
        /// Failed, to be tried again; only while this loop still holds the claim.
        case reschedule(id: String, lease: Int64, attempts: Int64, nextAttempt: Int64, lastError: String)
        /// Not attempted after all (shutdown): the claim is given back, the row due as before.
        case release(id: String, lease: Int64, nextAttempt: Int64)
    }

    let database: Database

    /// Whether anything is due that the caller could take.
    func hasCandidates(now: Int64, excludingIDs: [String], excludingEndpoints: [String]) async throws -> Bool {
        try await self.database.read { db in
            try await db.raw(
                Self.selection(
                    columns: "d.id", now: now, excludingIDs: excludingIDs, excludingEndpoints: excludingEndpoints,
                    limit: 1)
            ).first() != nil
        }
    }

    /// Finds up to `limit` due deliveries (oldest due first), lets `choose` pick the ones to
    /// claim and the ones to drop, then in one short transaction moves the claimed ones'
    /// `next_attempt` to `lease` and deletes the dropped ones.
    ///
    /// The candidates are read outside the transaction, so the single SQLite writer (which
    /// Publish needs) is held only for the update; rows that stopped being due meanwhile
    /// (claimed by another node, completed) are left alone and not returned.
    func claim(
        now: Int64, lease: Int64, limit: Int, excludingIDs: [String], excludingEndpoints: [String],
        choose: @Sendable ([Candidate]) -> (claim: [Candidate], drop: [Candidate])
    ) async throws -> (claimed: [Candidate], dropped: [Candidate]) {
        let rows = try await self.database.read { db in
            try await db.raw(
                Self.selection(
                    columns: """
                        d.id, d.kind, d.payload, d.attempts, d.next_attempt, s.id AS s_id, s.confirmed AS s_confirmed, \
                        s.endpoint AS s_endpoint, s.attributes AS s_attributes, t.attributes AS t_attributes
                        """,
                    now: now, excludingIDs: excludingIDs, excludingEndpoints: excludingEndpoints, limit: limit)
            ).all()
        }
        let candidates = try rows.map { row in
            Candidate(
                id: try row.decode(column: "id", as: String.self),
                kind: try row.decode(column: "kind", as: String.self),
                payload: try row.decode(column: "payload", as: String.self),
                attempts: try row.decode(column: "attempts", as: Int64.self),
                nextAttempt: try row.decode(column: "next_attempt", as: Int64.self),
                subscriptionID: try row.decode(column: "s_id", as: String?.self),
                confirmed: (try row.decode(column: "s_confirmed", as: Int64?.self) ?? 0) != 0,
                endpoint: try row.decode(column: "s_endpoint", as: String?.self),
                subscriptionAttributes: try row.decode(column: "s_attributes", as: String?.self),
                topicAttributes: try row.decode(column: "t_attributes", as: String?.self)
            )
        }
        let (claim, drop) = choose(candidates)
        guard !claim.isEmpty || !drop.isEmpty else { return ([], []) }
        let (claimedIDs, droppedIDs) = try await self.database.withTransaction { db in
            var claimed = Set<String>()
            if !claim.isEmpty {
                let rows = try await db.raw(
                    """
                    UPDATE sns_deliveries SET next_attempt = \(bind: lease)
                    WHERE id IN (\(binds: claim.map(\.id))) AND next_attempt <= \(bind: now)
                    RETURNING id
                    """
                ).all()
                claimed = Set(try rows.map { try $0.decode(column: "id", as: String.self) })
            }
            var dropped = Set<String>()
            if !drop.isEmpty {
                let rows = try await db.raw(
                    """
                    DELETE FROM sns_deliveries
                    WHERE id IN (\(binds: drop.map(\.id))) AND next_attempt <= \(bind: now)
                    RETURNING id
                    """
                ).all()
                dropped = Set(try rows.map { try $0.decode(column: "id", as: String.self) })
            }
            return (claimed, dropped)
        }
        return (claim.filter { claimedIDs.contains($0.id) }, drop.filter { droppedIDs.contains($0.id) })
    }

    /// Writes completions back in one transaction.
    func complete(_ completions: [Completion]) async throws {
        guard !completions.isEmpty else { return }
        try await self.database.withTransaction { db in
            var deleted: [String] = []
            for completion in completions {
                switch completion {
                case .delete(let id):
                    deleted.append(id)
                case .reschedule(let id, let lease, let attempts, let nextAttempt, let lastError):
                    try await db.raw(
                        """
                        UPDATE sns_deliveries
                        SET attempts = \(bind: attempts), next_attempt = \(bind: nextAttempt), last_error = \(bind: lastError)
                        WHERE id = \(bind: id) AND next_attempt = \(bind: lease)
                        """
                    ).run()
                case .release(let id, let lease, let nextAttempt):
                    try await db.raw(
                        """
                        UPDATE sns_deliveries SET next_attempt = \(bind: nextAttempt)
                        WHERE id = \(bind: id) AND next_attempt = \(bind: lease)
                        """
                    ).run()
                }
            }
            var start = deleted.startIndex
            while start < deleted.endIndex {
                let end = min(start + 500, deleted.endIndex)
                try await db.raw("DELETE FROM sns_deliveries WHERE id IN (\(binds: Array(deleted[start..<end])))").run()
                start = end
            }
        }
    }

    private static func selection(
        columns: String, now: Int64, excludingIDs: [String], excludingEndpoints: [String], limit: Int
    ) -> SQLQueryString {
        var query: SQLQueryString = """
            SELECT \(unsafeRaw: columns)
            FROM sns_deliveries d
            LEFT JOIN sns_subscriptions s ON s.id = d.subscription_id
            LEFT JOIN sns_topics t ON t.name = s.topic_name
            WHERE d.next_attempt <= \(bind: now)
            """
        if !excludingIDs.isEmpty {
            query += " AND d.id NOT IN (\(binds: excludingIDs))"
        }
        if !excludingEndpoints.isEmpty {
            query += " AND (s.endpoint IS NULL OR s.endpoint NOT IN (\(binds: excludingEndpoints)))"
        }
        query += " ORDER BY d.next_attempt LIMIT \(literal: limit)"
        return query
    }
}
