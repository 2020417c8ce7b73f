import Foundation
import SQLKit
import Storage
import Testing

@Suite("Database")
struct DatabaseTests {
    static let counterTable = Migration(version: 1, name: "counter") { _ in
        [
            "CREATE TABLE counter (id BIGINT PRIMARY KEY, value BIGINT NOT NULL)",
            "INSERT INTO counter (id, value) VALUES (1, 0)",
            "CREATE TABLE items (name TEXT PRIMARY KEY)",
        ]
    }

    static func counter(_ db: any SQLDatabase) async throws -> Int {
        try await db.raw("SELECT value FROM counter WHERE id = 1").first()!.decode(column: "value", as: Int.self)
    }

    static func itemNames(_ db: any SQLDatabase) async throws -> [String] {
        try await db.raw("SELECT name FROM items ORDER BY name").all().map {
            try $0.decode(column: "name", as: String.self)
        }
    }

    @Test("SQLite opens in WAL mode with foreign keys on and a busy timeout")
    func sqlitePragmas() async throws {
        try await TestStore.with(.sqlite) { database, store in
            #expect(database.engine == .sqlite)
            let (mode, foreignKeys, timeout) = try await database.withTransaction { db in
                (
                    try await db.raw("PRAGMA journal_mode").first()!.decode(column: "journal_mode", as: String.self),
                    try await db.raw("PRAGMA foreign_keys").first()!.decode(column: "foreign_keys", as: Int.self),
                    try await db.raw("PRAGMA busy_timeout").first()!.decode(column: "timeout", as: Int.self)
                )
            }
            #expect(mode == "wal")
            #expect(foreignKeys == 1)
            #expect(timeout == 5000)
            let readerForeignKeys = try await database.read { db in
                try await db.raw("PRAGMA foreign_keys").first()!.decode(column: "foreign_keys", as: Int.self)
            }
            #expect(readerForeignKeys == 1)
            #expect(
                FileManager.default.fileExists(atPath: store.directory!.appendingPathComponent("thingport.sqlite").path)
            )
        }
    }

    @Test("SQLite read connections are read-only")
    func sqliteReadersAreReadOnly() async throws {
        try await TestStore.with(.sqlite) { database, _ in
            try await database.migrate(component: "test", [Self.counterTable])
            await #expect(throws: (any Error).self) {
                try await database.read { try await $0.raw("INSERT INTO items (name) VALUES ('x')").run() }
            }
            #expect(try await database.read { try await Self.itemNames($0) } == [])
        }
    }

    @Test("A foreign key violation is refused", arguments: TestEngine.available)
    func foreignKeysEnforced(engine: TestEngine) async throws {
        try await TestStore.with(engine) { database, _ in
            try await database.migrate(
                component: "test",
                [
                    Migration(version: 1, name: "fk") { _ in
                        [
                            "CREATE TABLE parent (name TEXT PRIMARY KEY)",
                            "CREATE TABLE child (name TEXT PRIMARY KEY, parent TEXT NOT NULL REFERENCES parent (name))",
                        ]
                    }
                ])
            await #expect(throws: (any Error).self) {
                try await database.withTransaction {
                    try await $0.raw("INSERT INTO child (name, parent) VALUES ('c', 'missing')").run()
                }
            }
        }
    }

    @Test("A transaction commits when its body returns", arguments: TestEngine.available)
    func commit(engine: TestEngine) async throws {
        try await TestStore.with(engine) { database, _ in
            try await database.migrate(component: "test", [Self.counterTable])
            let returned = try await database.withTransaction { db in
                try await db.raw("INSERT INTO items (name) VALUES (\(bind: "a"))").run()
                try await db.raw("INSERT INTO items (name) VALUES (\(bind: "b"))").run()
                return 42
            }
            #expect(returned == 42)
            #expect(try await database.read { try await Self.itemNames($0) } == ["a", "b"])
        }
    }

    struct Boom: Error {}

    @Test("A transaction rolls back every change when its body throws", arguments: TestEngine.available)
    func rollback(engine: TestEngine) async throws {
        try await TestStore.with(engine) { database, _ in
            try await database.migrate(component: "test", [Self.counterTable])
            await #expect(throws: Boom.self) {
                try await database.withTransaction { db in
                    try await db.raw("INSERT INTO items (name) VALUES ('a')").run()
                    try await db.raw("UPDATE counter SET value = 7 WHERE id = 1").run()
                    throw Boom()
                }
            }
            #expect(try await database.read { try await Self.itemNames($0) } == [])
            #expect(try await database.read { try await Self.counter($0) } == 0)
            // The connection is usable afterwards.
            try await database.withTransaction { try await $0.raw("INSERT INTO items (name) VALUES ('b')").run() }
            #expect(try await database.read { try await Self.itemNames($0) } == ["b"])
        }
    }

    @Test("A failed statement rolls the transaction back and the next one works", arguments: TestEngine.available)
    func failedStatement(engine: TestEngine) async throws {
        try await TestStore.with(engine) { database, _ in
            try await database.migrate(component: "test", [Self.counterTable])
            await #expect(throws: (any Error).self) {
                try await database.withTransaction { db in
                    try await db.raw("INSERT INTO items (name) VALUES ('a')").run()
                    try await db.raw("INSERT INTO items (name) VALUES ('a')").run()  // primary key violation
                }
            }
            try await database.withTransaction { try await $0.raw("INSERT INTO items (name) VALUES ('a')").run() }
            #expect(try await database.read { try await Self.itemNames($0) } == ["a"])
        }
    }

    @Test("A nested transaction is a savepoint of the outer one", arguments: TestEngine.available)
    func nested(engine: TestEngine) async throws {
        try await TestStore.with(engine) { database, _ in
            try await database.migrate(component: "test", [Self.counterTable])
            try await database.withTransaction { db in
                try await db.raw("INSERT INTO items (name) VALUES ('outer')").run()
                // An inner failure undoes only the inner work.
                await #expect(throws: Boom.self) {
                    try await database.withTransaction { inner in
                        try await inner.raw("INSERT INTO items (name) VALUES ('inner-failed')").run()
                        throw Boom()
                    }
                }
                // An inner success is kept, and visible to reads inside the outer transaction.
                try await database.withTransaction { inner in
                    try await inner.raw("INSERT INTO items (name) VALUES ('inner-kept')").run()
                }
                let seen = try await database.read { try await Self.itemNames($0) }
                #expect(seen == ["inner-kept", "outer"])
            }
            #expect(try await database.read { try await Self.itemNames($0) } == ["inner-kept", "outer"])

            // An outer failure undoes the inner work too.
            await #expect(throws: Boom.self) {
                try await database.withTransaction { _ in
                    try await database.withTransaction { inner in
                        try await inner.raw("INSERT INTO items (name) VALUES ('lost')").run()
                    }
                    throw Boom()
                }
            }
            #expect(try await database.read { try await Self.itemNames($0) } == ["inner-kept", "outer"])
        }
    }

    @Test("Reads outside a transaction see only committed data", arguments: TestEngine.available)
    func isolation(engine: TestEngine) async throws {
        try await TestStore.with(engine) { database, _ in
            try await database.migrate(component: "test", [Self.counterTable])
            try await database.withTransaction { db in
                try await db.raw("INSERT INTO items (name) VALUES ('pending')").run()
                // A read on another task does not join this transaction.
                let outside = try await Task.detached { try await database.read { try await Self.itemNames($0) } }.value
                #expect(outside == [])
            }
            #expect(try await database.read { try await Self.itemNames($0) } == ["pending"])
        }
    }

    @Test("Concurrent read-modify-write transactions never lose an update", arguments: TestEngine.available)
    func concurrentWriters(engine: TestEngine) async throws {
        try await TestStore.with(engine) { database, _ in
            try await database.migrate(component: "test", [Self.counterTable])
            let writers = 40
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<writers {
                    group.addTask {
                        try await database.withTransaction { db in
                            let value = try await Self.counter(db)
                            try await db.raw("UPDATE counter SET value = \(bind: value + 1) WHERE id = 1").run()
                            try await db.raw("INSERT INTO items (name) VALUES (\(bind: "item-\(index)"))").run()
                        }
                    }
                    group.addTask {
                        _ = try await database.read { try await Self.counter($0) }
                    }
                }
                try await group.waitForAll()
            }
            #expect(try await database.read { try await Self.counter($0) } == writers)
            #expect(try await database.read { try await Self.itemNames($0) }.count == writers)
        }
    }

    @Test("After shutdown every call fails with .closed", arguments: TestEngine.available)
    func shutdown(engine: TestEngine) async throws {
        let store = TestStore(engine)
        let database = try await store.open()
        try await database.migrate(component: "test", [Self.counterTable])
        await database.shutdown()
        await database.shutdown()  // idempotent
        await #expect(throws: DatabaseError.self) {
            try await database.read { try await Self.counter($0) }
        }
        do {
            try await database.withTransaction { try await $0.raw("SELECT 1").run() }
            Issue.record("a transaction ran after shutdown")
        } catch let error as DatabaseError {
            #expect(error.code == .closed)
        }
        await store.destroy()
    }

    @Test("Data survives closing and reopening the same store", arguments: TestEngine.available)
    func reopen(engine: TestEngine) async throws {
        let store = TestStore(engine)
        let first = try await store.open()
        try await first.migrate(component: "test", [Self.counterTable])
        try await first.withTransaction { try await $0.raw("INSERT INTO items (name) VALUES ('kept')").run() }
        await first.shutdown()

        let second = try await store.open()
        #expect(try await second.migrate(component: "test", [Self.counterTable]).isEmpty)
        #expect(try await second.read { try await Self.itemNames($0) } == ["kept"])
        await second.shutdown()
        await store.destroy()
    }

    @Test("An unusable configuration is refused")
    func invalidConfiguration() async throws {
        do {
            _ = try await Database.open(.sqlite(path: ""))
            Issue.record("opened an empty path")
        } catch let error as DatabaseError {
            #expect(error.code == .invalidConfiguration)
        }
        do {
            _ = try await Database.open(.postgres(url: "not a url at all"))
            Issue.record("opened an invalid URL")
        } catch let error as DatabaseError {
            #expect(error.code == .invalidConfiguration)
        }
    }
}
