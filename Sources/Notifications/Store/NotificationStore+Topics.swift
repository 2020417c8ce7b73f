import SQLKit

extension NotificationStore.Tables {
    /// The topic called `name`.
    package func topic(named name: String) async throws -> StoredTopic? {
        try await db.raw("SELECT name, attributes, created FROM sns_topics WHERE name = \(bind: name)")
            .first().map(Self.topic(from:))
    }

    /// Whether a topic called `name` exists.
    package func topicExists(_ name: String) async throws -> Bool {
        try await db.raw("SELECT name FROM sns_topics WHERE name = \(bind: name)").first() != nil
    }

    /// Up to `limit` topics after `after` (exclusive), by name.
    package func topics(after: String?, limit: Int) async throws -> [StoredTopic] {
        var query: SQLQueryString = "SELECT name, attributes, created FROM sns_topics"
        if let after { query += " WHERE name > \(bind: after)" }
        query += " ORDER BY name LIMIT \(literal: limit)"
        return try await db.raw(query).all().map(Self.topic(from:))
    }

    /// Adds a topic (its name must be free).
    package func insertTopic(_ topic: StoredTopic) async throws {
        try await db.raw(
            """
            INSERT INTO sns_topics (name, attributes, created)
            VALUES (\(bind: topic.name), \(bind: AttributesColumn.encode(topic.attributes)), \(bind: topic.created))
            """
        ).run()
    }

    /// Replaces the stored attributes of topic `name`.
    package func updateTopicAttributes(_ name: String, _ attributes: [String: String]) async throws {
        try await db.raw(
            "UPDATE sns_topics SET attributes = \(bind: AttributesColumn.encode(attributes)) WHERE name = \(bind: name)"
        ).run()
    }

    /// Deletes topic `name` with its tags and subscriptions; returns whether it existed.
    /// Deliveries already written stay for the pipeline to drop.
    @discardableResult
    package func deleteTopic(_ name: String) async throws -> Bool {
        let existed = try await topicExists(name)
        try await db.raw("DELETE FROM sns_subscriptions WHERE topic_name = \(bind: name)").run()
        try await db.raw("DELETE FROM sns_topic_tags WHERE topic_name = \(bind: name)").run()
        try await db.raw("DELETE FROM sns_topics WHERE name = \(bind: name)").run()
        return existed
    }

    static func topic(from row: any SQLRow) throws -> StoredTopic {
        StoredTopic(
            name: try row.string("name"), attributes: try AttributesColumn.decode(try row.string("attributes")),
            created: try row.int64("created"))
    }
}
