import Foundation
import NIOConcurrencyHelpers
import SQLKit
import Storage
import Testing

@testable import Notifications

/// Where the pipeline tests run: SQLite, and PostgreSQL too when `THINGPORT_TEST_POSTGRES_URL` is
/// set (as `scripts/test` does), each test in a schema of its own.
enum DeliveryTestEngine: String, Sendable, CustomTestStringConvertible {
    case sqlite
    case postgres

    static var postgresURL: String? {
        ProcessInfo.processInfo.environment["THINGPORT_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    static var available: [DeliveryTestEngine] { postgresURL == nil ? [.sqlite] : [.sqlite, .postgres] }

    var testDescription: String { rawValue }
}

/// A fresh database with the SNS tables (the spec's CREATE TABLE statements) and a temporary
/// directory, and helpers to write topics, subscriptions and deliveries as the API would.
final class DeliveryTestDatabase: Sendable {
    let directory: String
    let configuration: Database.Configuration
    let schema: String?
    let database: Database

    struct Row: Sendable {
        var id: String
        var attempts: Int64
        var nextAttempt: Int64
        var lastError: String?
    }

    private init(directory: String, configuration: Database.Configuration, schema: String?, database: Database) {
        self.directory = directory
        self.configuration = configuration
        self.schema = schema
        self.database = database
    }

    static func make(_ engine: DeliveryTestEngine = .sqlite) async throws -> DeliveryTestDatabase {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("sns-delivery-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let configuration: Database.Configuration
        var schema: String?
        switch engine {
        case .sqlite:
            configuration = .sqlite(path: directory + "/sns.sqlite")
        case .postgres:
            schema = "sns_delivery_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
            configuration = .postgres(url: DeliveryTestEngine.postgresURL!, schema: schema)
        }
        let database = try await Database.open(configuration)
        let db = DeliveryTestDatabase(
            directory: directory, configuration: configuration, schema: schema, database: database)
        do {
            try await database.withTransaction { db in
                for statement in [
                    "CREATE TABLE sns_topics (name TEXT PRIMARY KEY, attributes TEXT NOT NULL, created BIGINT NOT NULL)",
                    """
                    CREATE TABLE sns_subscriptions (id TEXT PRIMARY KEY, topic_name TEXT NOT NULL, protocol TEXT NOT NULL,
                      endpoint TEXT NOT NULL, confirmed BIGINT NOT NULL, token TEXT, token_expires BIGINT,
                      attributes TEXT NOT NULL, created BIGINT NOT NULL)
                    """,
                    """
                    CREATE TABLE sns_deliveries (id TEXT PRIMARY KEY, subscription_id TEXT NOT NULL, kind TEXT NOT NULL,
                      payload TEXT NOT NULL, attempts BIGINT NOT NULL, next_attempt BIGINT NOT NULL,
                      created BIGINT NOT NULL, last_error TEXT)
                    """,
                    "CREATE INDEX sns_deliveries_due ON sns_deliveries (next_attempt)",
                ] {
                    try await db.raw(SQLQueryString(statement)).run()
                }
            }
        } catch {
            await db.close()
            throw error
        }
        return db
    }

    /// Runs `body` with a new database and closes it afterwards, also when `body` throws (an SQLite
    /// connection must be closed before it goes away).
    static func with(_ engine: DeliveryTestEngine = .sqlite, _ body: (DeliveryTestDatabase) async throws -> Void)
        async throws
    {
        let db = try await Self.make(engine)
        do {
            try await body(db)
        } catch {
            await db.close()
            throw error
        }
        await db.close()
    }

    /// Opens the same database again (a restarted process).
    func reopened() async throws -> Database {
        try await Database.open(self.configuration)
    }

    /// Closes the database and removes the directory and the PostgreSQL schema.
    func close() async {
        await self.database.shutdown()
        try? FileManager.default.removeItem(atPath: self.directory)
        if let schema, let url = DeliveryTestEngine.postgresURL,
            let database = try? await Database.open(.postgres(url: url))
        {
            try? await database.withTransaction {
                try await $0.raw("DROP SCHEMA IF EXISTS \(ident: schema) CASCADE").run()
            }
            await database.shutdown()
        }
    }

    func addTopic(_ name: String = "alerts", attributes: String = "{}") async throws {
        try await self.database.withTransaction { db in
            try await db.raw(
                "INSERT INTO sns_topics (name, attributes, created) VALUES (\(bind: name), \(bind: attributes), 0)"
            ).run()
        }
    }

    func addSubscription(
        id: String, topic: String = "alerts", protocol: String, endpoint: String, confirmed: Bool = true,
        attributes: String = "{}"
    ) async throws {
        try await self.database.withTransaction { db in
            try await db.raw(
                """
                INSERT INTO sns_subscriptions (id, topic_name, protocol, endpoint, confirmed, token, token_expires, attributes, created)
                VALUES (\(bind: id), \(bind: topic), \(bind: `protocol`), \(bind: endpoint), \(bind: confirmed ? 1 : 0),
                        \(bind: confirmed ? nil : DeliveryFixtures.token), NULL, \(bind: attributes), 0)
                """
            ).run()
        }
    }

    func deleteSubscription(_ id: String) async throws {
        try await self.database.withTransaction { db in
            try await db.raw("DELETE FROM sns_subscriptions WHERE id = \(bind: id)").run()
        }
    }

    /// Writes a delivery row as the API does; returns its id.
    @discardableResult
    func addDelivery(
        _ payload: DeliveryPayload, subscriptionID: String, nextAttempt: Int64 = 0, rawPayload: String? = nil
    )
        async throws -> String
    {
        let id = UUID().uuidString.lowercased()
        let text = try rawPayload ?? String(decoding: JSONEncoder().encode(payload), as: UTF8.self)
        try await self.database.withTransaction { db in
            try await db.raw(
                """
                INSERT INTO sns_deliveries (id, subscription_id, kind, payload, attempts, next_attempt, created, last_error)
                VALUES (\(bind: id), \(bind: subscriptionID), \(bind: payload.kind.rawValue), \(bind: text), 0,
                        \(bind: nextAttempt), \(bind: nextAttempt), NULL)
                """
            ).run()
        }
        return id
    }

    func rows() async throws -> [Row] {
        try await self.database.read { db in
            try await db.raw("SELECT id, attempts, next_attempt, last_error FROM sns_deliveries ORDER BY created, id")
                .all()
                .map { row in
                    Row(
                        id: try row.decode(column: "id", as: String.self),
                        attempts: try row.decode(column: "attempts", as: Int64.self),
                        nextAttempt: try row.decode(column: "next_attempt", as: Int64.self),
                        lastError: try row.decode(column: "last_error", as: String?.self))
                }
        }
    }

    func row(_ id: String) async throws -> Row? {
        try await self.rows().first { $0.id == id }
    }
}

/// A clock the test moves by hand.
final class ManualDeliveryClock: DeliveryClock {
    private let value: NIOLockedValueBox<Int64>

    init(_ start: Int64 = 1_795_750_800_000) {
        self.value = NIOLockedValueBox(start)
    }

    func now() -> Int64 { self.value.withLockedValue { $0 } }

    func advance(by duration: Duration) {
        self.value.withLockedValue { $0 += duration.milliseconds }
    }
}
