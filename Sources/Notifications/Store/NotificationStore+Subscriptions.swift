import SQLKit

extension NotificationStore.Tables {
    static let subscriptionColumns =
        "id, topic_name, protocol, endpoint, confirmed, token, token_expires, attributes, created"

    /// The subscription with `id`.
    package func subscription(id: String) async throws -> StoredSubscription? {
        try await db.raw(
            "SELECT \(unsafeRaw: Self.subscriptionColumns) FROM sns_subscriptions WHERE id = \(bind: id)"
        ).first().map(Self.subscription(from:))
    }

    /// The subscription of topic `topicName` to `endpoint` over `protocol`, if any.
    package func subscription(topic topicName: String, protocol: String, endpoint: String) async throws
        -> StoredSubscription?
    {
        try await db.raw(
            """
            SELECT \(unsafeRaw: Self.subscriptionColumns) FROM sns_subscriptions
            WHERE topic_name = \(bind: topicName) AND protocol = \(bind: `protocol`) AND endpoint = \(bind: endpoint)
            ORDER BY id LIMIT 1
            """
        ).first().map(Self.subscription(from:))
    }

    /// The subscription of topic `topicName` whose confirmation token is `token` (a confirmed
    /// subscription keeps its token, so that confirming again answers the same subscription).
    package func subscription(topic topicName: String, token: String) async throws -> StoredSubscription? {
        try await db.raw(
            """
            SELECT \(unsafeRaw: Self.subscriptionColumns) FROM sns_subscriptions
            WHERE topic_name = \(bind: topicName) AND token = \(bind: token)
            """
        ).first().map(Self.subscription(from:))
    }

    /// Up to `limit` subscriptions after id `after` (exclusive), by id; only topic
    /// `topicName`'s when given.
    package func subscriptions(topic topicName: String? = nil, after: String?, limit: Int) async throws
        -> [StoredSubscription]
    {
        var query: SQLQueryString = "SELECT \(unsafeRaw: Self.subscriptionColumns) FROM sns_subscriptions WHERE 1 = 1"
        if let topicName { query += " AND topic_name = \(bind: topicName)" }
        if let after { query += " AND id > \(bind: after)" }
        query += " ORDER BY id LIMIT \(literal: limit)"
        return try await db.raw(query).all().map(Self.subscription(from:))
    }

    /// The confirmed subscriptions of topic `topicName`, by id: who receives what it publishes
    /// (only the columns `Publish` uses; it reads them for every message).
    package func recipients(topic topicName: String) async throws -> [StoredRecipient] {
        try await db.raw(
            """
            SELECT id, protocol, endpoint, attributes FROM sns_subscriptions
            WHERE topic_name = \(bind: topicName) AND confirmed = 1 ORDER BY id
            """
        ).all().map { row in
            StoredRecipient(
                id: try row.string("id"), protocol: try row.string("protocol"), endpoint: try row.string("endpoint"),
                attributes: try AttributesColumn.decode(try row.string("attributes")))
        }
    }

    /// How many subscriptions of topic `topicName` are confirmed and how many pending.
    package func subscriptionCounts(topic topicName: String) async throws -> (confirmed: Int, pending: Int) {
        let rows = try await db.raw(
            """
            SELECT confirmed, COUNT(*) AS count FROM sns_subscriptions
            WHERE topic_name = \(bind: topicName) GROUP BY confirmed
            """
        ).all()
        var counts = (confirmed: 0, pending: 0)
        for row in rows {
            let count = Int(try row.int64("count"))
            if try row.int64("confirmed") == 1 { counts.confirmed += count } else { counts.pending += count }
        }
        return counts
    }

    /// Adds a subscription (its id must be new).
    package func insertSubscription(_ subscription: StoredSubscription) async throws {
        try await db.raw(
            """
            INSERT INTO sns_subscriptions (\(unsafeRaw: Self.subscriptionColumns))
            VALUES (\(bind: subscription.id), \(bind: subscription.topicName), \(bind: subscription.protocol),
                \(bind: subscription.endpoint), \(bind: subscription.isConfirmed ? 1 : 0), \(bind: subscription.token),
                \(bind: subscription.tokenExpires), \(bind: AttributesColumn.encode(subscription.attributes)),
                \(bind: subscription.created))
            """
        ).run()
    }

    /// Stores the confirmation state, token and attributes of `subscription` (matched by id).
    package func updateSubscription(_ subscription: StoredSubscription) async throws {
        try await db.raw(
            """
            UPDATE sns_subscriptions SET confirmed = \(bind: subscription.isConfirmed ? 1 : 0),
                token = \(bind: subscription.token), token_expires = \(bind: subscription.tokenExpires),
                attributes = \(bind: AttributesColumn.encode(subscription.attributes))
            WHERE id = \(bind: subscription.id)
            """
        ).run()
    }

    /// Deletes the subscription with `id`; returns whether it existed.
    @discardableResult
    package func deleteSubscription(id: String) async throws -> Bool {
        let existed = try await subscription(id: id) != nil
        try await db.raw("DELETE FROM sns_subscriptions WHERE id = \(bind: id)").run()
        return existed
    }

    static func subscription(from row: any SQLRow) throws -> StoredSubscription {
        StoredSubscription(
            id: try row.string("id"), topicName: try row.string("topic_name"), protocol: try row.string("protocol"),
            endpoint: try row.string("endpoint"), isConfirmed: try row.int64("confirmed") != 0,
            token: try row.optionalString("token"), tokenExpires: try row.optionalInt64("token_expires"),
            attributes: try AttributesColumn.decode(try row.string("attributes")), created: try row.int64("created"))
    }
}
