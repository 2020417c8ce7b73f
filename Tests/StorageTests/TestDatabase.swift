import Foundation
import SQLKit
import Storage
import Testing

/// Where the storage tests run: always SQLite in a temporary directory, and PostgreSQL too
/// when `THINGPORT_TEST_POSTGRES_URL` is set (each test in a schema of its own, dropped after).
enum TestEngine: String, Sendable, CustomTestStringConvertible, CaseIterable {
    case sqlite
    case postgres

    static var postgresURL: String? {
        ProcessInfo.processInfo.environment["THINGPORT_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The engines available in this run.
    static var available: [TestEngine] {
        postgresURL == nil ? [.sqlite] : [.sqlite, .postgres]
    }

    var testDescription: String { rawValue }
}

/// A fresh, empty store for one test, and how to reopen the same store.
struct TestStore: Sendable {
    let engine: TestEngine
    let configuration: Database.Configuration
    let directory: URL?
    let schema: String?

    init(_ engine: TestEngine) {
        self.engine = engine
        switch engine {
        case .sqlite:
            let directory = FileManager.default.temporaryDirectory
                .appendingPathComponent("thingport-storage-\(UUID().uuidString)", isDirectory: true)
            self.directory = directory
            self.schema = nil
            self.configuration = .sqlite(path: directory.appendingPathComponent("thingport.sqlite").path)
        case .postgres:
            let schema = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
            self.directory = nil
            self.schema = schema
            self.configuration = .postgres(url: TestEngine.postgresURL!, schema: schema)
        }
    }

    func open() async throws -> Database {
        try await Database.open(configuration)
    }

    /// Removes what the test left: the directory, or the schema.
    func destroy() async {
        if let directory {
            try? FileManager.default.removeItem(at: directory)
        }
        if let schema, let url = TestEngine.postgresURL,
            let database = try? await Database.open(.postgres(url: url))
        {
            try? await database.withTransaction {
                try await $0.raw("DROP SCHEMA IF EXISTS \(ident: schema) CASCADE").run()
            }
            await database.shutdown()
        }
    }

    /// Runs `body` with a fresh store, then shuts it down and removes it.
    static func with<R>(_ engine: TestEngine, _ body: (Database, TestStore) async throws -> R) async throws -> R {
        let store = TestStore(engine)
        let database = try await store.open()
        do {
            let result = try await body(database, store)
            await database.shutdown()
            await store.destroy()
            return result
        } catch {
            await database.shutdown()
            await store.destroy()
            throw error
        }
    }
}
