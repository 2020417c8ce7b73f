import Foundation
import SQLKit
import Storage
import Testing

@Suite("Migrations")
struct MigrationTests {
    static let first = Migration(version: 1, name: "create a") { _ in ["CREATE TABLE a (id BIGINT PRIMARY KEY)"] }
    static let second = Migration(version: 2, name: "create b") { _ in ["CREATE TABLE b (id BIGINT PRIMARY KEY)"] }
    static let third = Migration(version: 3, name: "create c") { _ in ["CREATE TABLE c (id BIGINT PRIMARY KEY)"] }

    static func tableExists(_ database: Database, _ name: String) async -> Bool {
        (try? await database.read { try await $0.raw("SELECT COUNT(*) AS n FROM \(ident: name)").run() }) != nil
    }

    @Test("Migrations apply in order once, and again is a no-op", arguments: TestEngine.available)
    func appliesOnce(engine: TestEngine) async throws {
        try await TestStore.with(engine) { database, _ in
            let applied = try await database.migrate(component: "test", [Self.first, Self.second])
            #expect(applied.map(\.version) == [1, 2])
            #expect(await Self.tableExists(database, "a"))
            #expect(await Self.tableExists(database, "b"))

            #expect(try await database.migrate(component: "test", [Self.first, Self.second]).isEmpty)
            let recorded = try await database.appliedMigrations(component: "test")
            #expect(recorded.map(\.version) == [1, 2])
            #expect(recorded.map(\.name) == ["create a", "create b"])
            #expect(recorded.allSatisfy { $0.appliedAt > 1_600_000_000_000 })

            // A later build adds a migration: only that one runs.
            #expect(
                try await database.migrate(component: "test", [Self.first, Self.second, Self.third]).map(\.version) == [
                    3
                ])
        }
    }

    @Test("Components have independent versions", arguments: TestEngine.available)
    func components(engine: TestEngine) async throws {
        try await TestStore.with(engine) { database, _ in
            try await database.migrate(component: "one", [Self.first])
            let other = Migration(version: 1, name: "other") { _ in ["CREATE TABLE other (id BIGINT PRIMARY KEY)"] }
            #expect(try await database.migrate(component: "two", [other]).count == 1)
            #expect(try await database.appliedMigrations(component: "one").map(\.name) == ["create a"])
            #expect(try await database.appliedMigrations(component: "two").map(\.name) == ["other"])
            #expect(try await database.appliedMigrations(component: "three").isEmpty)
        }
    }

    @Test("A database newer than the code refuses to start", arguments: TestEngine.available)
    func newerThanCode(engine: TestEngine) async throws {
        let store = TestStore(engine)
        let newer = try await store.open()
        try await newer.migrate(component: "test", [Self.first, Self.second, Self.third])
        await newer.shutdown()

        let older = try await store.open()
        do {
            try await older.migrate(component: "test", [Self.first, Self.second])
            Issue.record("an older build migrated a newer database")
        } catch let error as DatabaseError {
            #expect(error.code == .schemaNewerThanCode)
            #expect(error.message.contains("version 3"))
        }
        do {
            try await older.migrate(component: "test", [])
            Issue.record("a build without migrations accepted a migrated database")
        } catch let error as DatabaseError {
            #expect(error.code == .schemaNewerThanCode)
        }
        await older.shutdown()
        await store.destroy()
    }

    @Test("Versions must increase strictly from 1")
    func invalidOrder() async throws {
        try await TestStore.with(.sqlite) { database, _ in
            for migrations in [
                [Self.second, Self.first], [Self.first, Self.first], [Migration(version: 0, name: "zero") { _ in [] }],
            ] {
                do {
                    try await database.migrate(component: "test", migrations)
                    Issue.record("accepted versions \(migrations.map(\.version))")
                } catch let error as DatabaseError {
                    #expect(error.code == .invalidMigrations)
                }
            }
            #expect(try await database.appliedMigrations(component: "test").isEmpty)
        }
    }

    struct Broken: Error {}

    @Test("A failing migration is rolled back and stops the later ones", arguments: TestEngine.available)
    func failingMigration(engine: TestEngine) async throws {
        try await TestStore.with(engine) { database, _ throws in
            let broken = Migration(version: 2, name: "broken") { db, _ in
                try await db.raw("CREATE TABLE half (id BIGINT PRIMARY KEY)").run()
                throw Broken()
            }
            await #expect(throws: Broken.self) {
                try await database.migrate(component: "test", [Self.first, broken, Self.third])
            }
            #expect(try await database.appliedMigrations(component: "test").map(\.version) == [1])
            #expect(await Self.tableExists(database, "a"))
            #expect(!(await Self.tableExists(database, "half")))
            #expect(!(await Self.tableExists(database, "c")))

            // Fixed in a later build: the migration then applies.
            let fixed = Migration(version: 2, name: "fixed") { _ in ["CREATE TABLE half (id BIGINT PRIMARY KEY)"] }
            #expect(
                try await database.migrate(component: "test", [Self.first, fixed, Self.third]).map(\.version) == [2, 3])
        }
    }

    @Test("Migrations run concurrently apply each step exactly once", arguments: TestEngine.available)
    func concurrentMigrations(engine: TestEngine) async throws {
        let store = TestStore(engine)
        var databases: [Database] = []
        do {
            for _ in 0..<3 { databases.append(try await store.open()) }
            let opened = databases
            let counts = try await withThrowingTaskGroup(of: Int.self) { group in
                for database in opened {
                    group.addTask { try await database.migrate(component: "test", [Self.first, Self.second]).count }
                }
                return try await group.reduce(0, +)
            }
            #expect(counts == 2)
            #expect(try await databases[0].appliedMigrations(component: "test").map(\.version) == [1, 2])
        } catch {
            Issue.record("\(String(reflecting: error))")
        }
        for database in databases { await database.shutdown() }
        await store.destroy()
    }
}
