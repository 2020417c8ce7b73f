import SQLKit
import Storage

/// The SNS tables (`sns_topics`, `sns_topic_tags`, `sns_subscriptions`, `sns_deliveries`) over
/// Storage's ``Database``: plain SQL that SQLite and PostgreSQL both run.
///
/// Work goes through ``read(_:)`` or ``write(_:)``, which hand the body a ``Tables`` bound to
/// one connection; everything a ``write(_:)`` body does commits or rolls back together (on
/// PostgreSQL the body may run again after a serialization failure, so it must not have
/// effects outside the database).
package struct NotificationStore: Sendable {
    /// The database; never shut down by the store.
    package let database: Database

    /// A store over `database` (apply ``migrations`` before use).
    package init(database: Database) {
        self.database = database
    }

    /// Applies the pending ``migrations``.
    package func migrate() async throws {
        try await database.migrate(component: Self.migrationComponent, Self.migrations)
    }

    /// Runs read-only `body` on the last committed state.
    package func read<R>(_ body: (Tables) async throws -> R) async throws -> R {
        try await database.read { try await body(Tables(db: $0)) }
    }

    /// Runs `body` in one transaction.
    package func write<R>(_ body: (Tables) async throws -> R) async throws -> R {
        try await database.withTransaction { try await body(Tables(db: $0)) }
    }

    /// The SNS tables seen through one connection (inside a transaction for writes).
    package struct Tables {
        /// The connection.
        package let db: any SQLDatabase

        /// The most rows of one multi-row `INSERT` of deliveries: at most 4 bound values a row,
        /// well under SQLite's 32 766 and PostgreSQL's 65 535.
        static let insertRowLimit = 1000
        /// The payload bytes after which a multi-row `INSERT` of deliveries takes no more rows.
        static let insertPayloadLimit = 4 << 20
    }
}
