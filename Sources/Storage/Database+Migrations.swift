import Foundation
import SQLKit

extension Database {
    /// A migration recorded in `schema_migrations`.
    public struct AppliedMigration: Sendable, Hashable {
        /// The component it belongs to.
        public var component: String
        /// Its version within the component.
        public var version: Int
        /// Its name when it was applied.
        public var name: String
        /// When it was applied, in milliseconds since 1970.
        public var appliedAt: Int64
    }

    /// Brings `component`'s schema up to date: applies, in increasing version order, every
    /// migration not yet recorded in `schema_migrations`, each in its own transaction
    /// together with its record. Already-applied migrations are skipped, so calling this on
    /// every start is safe. On PostgreSQL a transaction-scoped advisory lock keeps several
    /// nodes starting at once from applying the same migration twice.
    ///
    /// - Parameters:
    ///   - component: The name that owns these versions (`registry`…); components migrate
    ///     independently in one database.
    ///   - migrations: Every migration of the component, versions strictly increasing from 1.
    /// - Returns: The migrations applied by this call (empty when already up to date).
    /// - Throws: ``DatabaseError/Code/schemaNewerThanCode`` when the database records a
    ///   version of `component` above the highest in `migrations` (a newer Thingport wrote
    ///   it: refuse to start rather than corrupt it); ``DatabaseError/Code/invalidMigrations``
    ///   for versions that are not strictly increasing and positive; or the error a migration
    ///   threw (its transaction is rolled back and later migrations are not tried).
    @discardableResult
    public func migrate(component: String, _ migrations: [Migration]) async throws -> [Migration] {
        var previous = 0
        for migration in migrations {
            guard migration.version > previous else {
                throw DatabaseError(
                    code: .invalidMigrations,
                    message: "Migrations of \(component) must have strictly increasing versions from 1; "
                        + "\(migration.version) (\(migration.name)) follows \(previous)")
            }
            previous = migration.version
        }
        let latestKnown = migrations.last?.version ?? 0
        try await withTransaction(serializable: false) { db in
            // Concurrent CREATE TABLE IF NOT EXISTS can still collide on PostgreSQL: serialize.
            try await lockMigrations(db)
            try await createMigrationsTable(db)
        }
        var applied: [Migration] = []
        for migration in migrations {
            let didApply = try await withTransaction(serializable: false) { db in
                try await lockMigrations(db)
                let current = try await latestVersion(component: component, db)
                if current > latestKnown {
                    throw DatabaseError(
                        code: .schemaNewerThanCode,
                        message: "The database has \(component) schema version \(current), newer than the "
                            + "latest this build knows (\(latestKnown)); it was written by a newer version "
                            + "of Thingport. Upgrade Thingport or use another data directory.")
                }
                let existing = try await db.raw(
                    """
                    SELECT version FROM schema_migrations
                    WHERE component = \(bind: component) AND version = \(bind: migration.version)
                    """
                ).first()
                guard existing == nil else { return false }
                try await migration.apply(db, engine)
                let now = Date().millisecondsSince1970
                try await db.raw(
                    """
                    INSERT INTO schema_migrations (component, version, name, applied_at)
                    VALUES (\(bind: component), \(bind: migration.version), \(bind: migration.name), \(bind: now))
                    """
                ).run()
                return true
            }
            if didApply {
                logger.info(
                    "Applied migration",
                    metadata: [
                        "storage.component": "\(component)", "storage.migration.version": "\(migration.version)",
                        "storage.migration.name": "\(migration.name)",
                    ])
                applied.append(migration)
            }
        }
        if migrations.isEmpty {
            // Still refuse a database written by a newer build.
            let current = try await read { try await latestVersion(component: component, $0) }
            if current > 0 {
                throw DatabaseError(
                    code: .schemaNewerThanCode,
                    message: "The database has \(component) schema version \(current), but this build knows none")
            }
        }
        return applied
    }

    /// The migrations recorded for `component`, in version order.
    public func appliedMigrations(component: String) async throws -> [AppliedMigration] {
        try await read { db in
            guard try await migrationsTableExists(db) else { return [] }
            return try await db.raw(
                """
                SELECT component, version, name, applied_at FROM schema_migrations
                WHERE component = \(bind: component) ORDER BY version
                """
            ).all().map { row in
                AppliedMigration(
                    component: try row.decode(column: "component", as: String.self),
                    version: try row.decode(column: "version", as: Int.self),
                    name: try row.decode(column: "name", as: String.self),
                    appliedAt: Int64(try row.decode(column: "applied_at", as: Int.self)))
            }
        }
    }

    /// An arbitrary constant naming Thingport's migration locks among PostgreSQL advisory locks.
    static let migrationLockKey: Int32 = 0x7468_7067

    /// On PostgreSQL, serializes migrations across nodes until the transaction ends (SQLite
    /// transactions already run one at a time).
    private func lockMigrations(_ db: any SQLDatabase) async throws {
        if engine == .postgres {
            // One lock per schema: nodes sharing a schema wait for each other, others do not.
            try await db.raw(
                "SELECT pg_advisory_xact_lock(\(literal: Self.migrationLockKey), hashtext(current_schema()))"
            ).run()
        }
    }

    private func createMigrationsTable(_ db: any SQLDatabase) async throws {
        try await db.raw(
            """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                component TEXT NOT NULL,
                version BIGINT NOT NULL,
                name TEXT NOT NULL,
                applied_at BIGINT NOT NULL,
                PRIMARY KEY (component, version)
            )
            """
        ).run()
    }

    private func migrationsTableExists(_ db: any SQLDatabase) async throws -> Bool {
        let row: (any SQLRow)?
        switch engine {
        case .sqlite:
            row = try await db.raw(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"
            ).first()
        case .postgres:
            row = try await db.raw(
                """
                SELECT tablename AS name FROM pg_catalog.pg_tables
                WHERE tablename = 'schema_migrations' AND schemaname = ANY (current_schemas(false))
                """
            ).first()
        }
        return row != nil
    }

    private func latestVersion(component: String, _ db: any SQLDatabase) async throws -> Int {
        guard try await migrationsTableExists(db) else { return 0 }
        let row = try await db.raw(
            "SELECT MAX(version) AS latest FROM schema_migrations WHERE component = \(bind: component)"
        ).first()
        return try row?.decode(column: "latest", as: Int?.self) ?? 0
    }
}
