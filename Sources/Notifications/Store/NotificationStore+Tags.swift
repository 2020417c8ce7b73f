import SQLKit

extension NotificationStore.Tables {
    /// The tags of topic `name`, by key.
    package func tags(ofTopic name: String) async throws -> [(key: String, value: String)] {
        try await db.raw(
            "SELECT tag_key, tag_value FROM sns_topic_tags WHERE topic_name = \(bind: name) ORDER BY tag_key"
        ).all().map { (key: try $0.string("tag_key"), value: try $0.string("tag_value")) }
    }

    /// Sets tags on topic `name`: a key already present gets the new value.
    package func setTags(ofTopic name: String, _ tags: [(key: String, value: String)]) async throws {
        for tag in tags {
            // Delete then insert: plain SQL both engines run (no upsert dialects).
            try await db.raw(
                "DELETE FROM sns_topic_tags WHERE topic_name = \(bind: name) AND tag_key = \(bind: tag.key)"
            ).run()
            try await db.raw(
                """
                INSERT INTO sns_topic_tags (topic_name, tag_key, tag_value)
                VALUES (\(bind: name), \(bind: tag.key), \(bind: tag.value))
                """
            ).run()
        }
    }

    /// Removes the tags with `keys` from topic `name` (absent keys are ignored).
    package func removeTags(ofTopic name: String, keys: [String]) async throws {
        for key in keys {
            try await db.raw(
                "DELETE FROM sns_topic_tags WHERE topic_name = \(bind: name) AND tag_key = \(bind: key)"
            ).run()
        }
    }
}
