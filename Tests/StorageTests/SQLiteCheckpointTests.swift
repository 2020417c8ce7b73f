import Foundation
import SQLKit
import Testing

@testable import Storage

@Suite("SQLite background checkpoints")
struct SQLiteCheckpointTests {
    @Test("commits are checkpointed in the background through a read-only connection")
    func commitsAreCheckpointed() async throws {
        try await TestStore.with(.sqlite) { database, _ in
            try await database.migrate(component: "test", [DatabaseTests.counterTable])
            let writerLimit = try await database.withTransaction { db in
                try await db.raw("PRAGMA wal_autocheckpoint").first()!.decode(
                    column: "wal_autocheckpoint", as: Int.self)
            }
            #expect(writerLimit == 10_000)  // the writer no longer checkpoints at 1,000 pages
            for index in 0..<200 {
                try await database.withTransaction { db in
                    try await db.raw("INSERT INTO items (name) VALUES (\(bind: "item-\(index)"))").run()
                }
            }
            let checkpointer = try #require(database.checkpointer)
            let deadline = ContinuousClock.now + .seconds(5)
            while !checkpointer.isCaughtUp && ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(checkpointer.isCaughtUp)
            #expect(try await database.read { try await DatabaseTests.itemNames($0) }.count == 200)
        }
    }

    @Test("PostgreSQL has no checkpointer", .enabled(if: TestEngine.available.contains(.postgres)))
    func postgresHasNone() async throws {
        try await TestStore.with(.postgres) { database, _ in
            #expect(database.checkpointer == nil)
        }
    }
}
