import Storage

extension NotificationStore {
    /// The component name of the SNS migrations in `schema_migrations`.
    package static let migrationComponent = "notifications"

    /// The SNS schema, version by version.
    ///
    /// Conventions: names and ids are `TEXT` (`COLLATE "C"` on PostgreSQL, so both engines page
    /// in byte order); times are `BIGINT` milliseconds since 1970; flags are `BIGINT` 0/1;
    /// attribute maps and delivery payloads are JSON `TEXT`; ARNs are built from the service's
    /// region and account when read. Subscriptions and deliveries carry no foreign key: a
    /// topic's subscriptions are deleted with it by the store, and a delivery outlives an
    /// unsubscribe only until the delivery pipeline drops it.
    package static let migrations: [Migration] = [
        Migration(version: 1, name: "sns topics, subscriptions and deliveries") { engine in
            let key = engine == .postgres ? "TEXT COLLATE \"C\"" : "TEXT"
            return [
                """
                CREATE TABLE sns_topics (
                    name \(key) PRIMARY KEY,
                    attributes TEXT NOT NULL,
                    created BIGINT NOT NULL
                )
                """,
                """
                CREATE TABLE sns_topic_tags (
                    topic_name \(key) NOT NULL REFERENCES sns_topics (name) ON DELETE CASCADE,
                    tag_key \(key) NOT NULL,
                    tag_value TEXT NOT NULL,
                    PRIMARY KEY (topic_name, tag_key)
                )
                """,
                """
                CREATE TABLE sns_subscriptions (
                    id \(key) PRIMARY KEY,
                    topic_name \(key) NOT NULL,
                    protocol TEXT NOT NULL,
                    endpoint TEXT NOT NULL,
                    confirmed BIGINT NOT NULL,
                    token TEXT,
                    token_expires BIGINT,
                    attributes TEXT NOT NULL,
                    created BIGINT NOT NULL
                )
                """,
                // Publish reads a topic's subscriptions on every message; listings page by id.
                "CREATE INDEX sns_subscriptions_by_topic ON sns_subscriptions (topic_name, id)",
                """
                CREATE TABLE sns_deliveries (
                    id \(key) PRIMARY KEY,
                    subscription_id \(key) NOT NULL,
                    kind TEXT NOT NULL,
                    payload TEXT NOT NULL,
                    attempts BIGINT NOT NULL,
                    next_attempt BIGINT NOT NULL,
                    created BIGINT NOT NULL,
                    last_error TEXT
                )
                """,
                "CREATE INDEX sns_deliveries_due ON sns_deliveries (next_attempt)",
            ]
        }
    ]
}
