import Foundation
import Notifications
import SQLKit
import Storage
import Testing

/// Where the SNS store and service tests run: SQLite in a temporary directory, and PostgreSQL
/// too when `THINGPORT_TEST_POSTGRES_URL` is set (each test in a schema of its own, dropped
/// after).
enum SNSTestEngine: String, Sendable, CustomTestStringConvertible {
    case sqlite
    case postgres

    static var postgresURL: String? {
        ProcessInfo.processInfo.environment["THINGPORT_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    static var available: [SNSTestEngine] { postgresURL == nil ? [.sqlite] : [.sqlite, .postgres] }

    var testDescription: String { rawValue }
}

/// A fresh database for one test, removed afterwards.
struct SNSTestDatabase: Sendable {
    let configuration: Database.Configuration
    let directory: URL?
    let schema: String?

    init(_ engine: SNSTestEngine) {
        switch engine {
        case .sqlite:
            let directory = FileManager.default.temporaryDirectory
                .appendingPathComponent("thingport-sns-\(UUID().uuidString)", isDirectory: true)
            self.directory = directory
            self.schema = nil
            configuration = .sqlite(path: directory.appendingPathComponent("thingport.sqlite").path)
        case .postgres:
            let schema = "sns_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
            self.directory = nil
            self.schema = schema
            configuration = .postgres(url: SNSTestEngine.postgresURL!, schema: schema)
        }
    }

    func destroy() async {
        if let directory { try? FileManager.default.removeItem(at: directory) }
        if let schema, let url = SNSTestEngine.postgresURL, let database = try? await Database.open(.postgres(url: url))
        {
            try? await database.withTransaction {
                try await $0.raw("DROP SCHEMA IF EXISTS \(ident: schema) CASCADE").run()
            }
            await database.shutdown()
        }
    }

    /// Runs `body` with an open database (not migrated), then removes everything.
    static func with(_ engine: SNSTestEngine, _ body: (Database) async throws -> Void) async throws {
        let place = SNSTestDatabase(engine)
        let database = try await Database.open(place.configuration)
        do {
            try await body(database)
        } catch {
            await database.shutdown()
            await place.destroy()
            throw error
        }
        await database.shutdown()
        await place.destroy()
    }

    /// Runs `body` with a migrated store, then removes everything.
    static func withStore(_ engine: SNSTestEngine, _ body: (NotificationStore) async throws -> Void) async throws {
        try await with(engine) { database in
            let store = NotificationStore(database: database)
            try await store.migrate()
            try await body(store)
        }
    }
}

/// A clock the tests move by hand.
final class SNSTestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current = Date(timeIntervalSince1970: 1_764_214_800.125)

    var now: Date { lock.withLock { current } }

    func advance(seconds: TimeInterval) { lock.withLock { current += seconds } }
}

/// A delivery notifier that counts how often it was woken.
final class RecordingNotifier: DeliveryNotifier, @unchecked Sendable {
    private let lock = NSLock()
    private var wakes = 0

    var count: Int { lock.withLock { wakes } }

    func wake() { lock.withLock { wakes += 1 } }
}
