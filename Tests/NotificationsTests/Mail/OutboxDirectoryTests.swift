import Foundation
import Testing

@testable import Notifications

@Suite("OutboxDirectory")
struct OutboxDirectoryTests {
    /// A fresh, not yet existing directory under the temporary directory, removed afterwards.
    static func withTemporaryPath(_ body: (String) async throws -> Void) async throws {
        let base = FileManager.default.temporaryDirectory.path + "/thingport-outbox-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: base) }
        try await body(base + "/data/outbox")
    }

    static func mode(_ path: String) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return (attributes[.posixPermissions] as! NSNumber).intValue & 0o777
    }

    @Test func writesPrivateFilesInAPrivateDirectoryAndReadsThemBack() async throws {
        try await Self.withTemporaryPath { path in
            let outbox = OutboxDirectory(path: path)
            let message = try SMTPTest.message()
            let transport: any MailTransport = outbox
            try await transport.send(message, envelopeSender: SMTPTest.sender, recipients: ["ops@example.com"])

            #expect(try Self.mode(path) == 0o700)
            let stored = try await outbox.messages()
            #expect(stored.count == 1)
            let first = try #require(stored.first)
            #expect(first.name.hasSuffix(".eml"))
            #expect(first.bytes == message.rendered())
            #expect(try Self.mode(path + "/" + first.name) == 0o600)
            // Only the message itself: no temporary file left behind.
            #expect(try FileManager.default.contentsOfDirectory(atPath: path) == [first.name])
        }
    }

    @Test func messagesAreListedOldestFirstWithUniqueNames() async throws {
        try await Self.withTemporaryPath { path in
            let outbox = OutboxDirectory(path: path)
            var names: [String] = []
            for index in 0..<20 {
                names.append(try await outbox.store(Array("message \(index)\r\n".utf8)))
            }
            let stored = try await outbox.messages()
            #expect(stored.map(\.name) == names)
            #expect(Set(names).count == 20)
            #expect(stored.map { String(decoding: $0.bytes, as: UTF8.self) } == (0..<20).map { "message \($0)\r\n" })
        }
    }

    @Test func concurrentWritesAllLand() async throws {
        try await Self.withTemporaryPath { path in
            let outbox = OutboxDirectory(path: path)
            try await withThrowingTaskGroup(of: String.self) { group in
                for index in 0..<16 {
                    group.addTask { try await outbox.store(Array("concurrent \(index)".utf8)) }
                }
                try await group.waitForAll()
            }
            let stored = try await outbox.messages()
            #expect(
                Set(stored.map { String(decoding: $0.bytes, as: UTF8.self) })
                    == Set((0..<16).map { "concurrent \($0)" }))
        }
    }

    @Test func missingDirectoryHoldsNoMessages() async throws {
        try await Self.withTemporaryPath { path in
            let stored = try await OutboxDirectory(path: path).messages()
            #expect(stored.isEmpty)
            #expect(!FileManager.default.fileExists(atPath: path))
        }
    }

    @Test func existingDirectoryIsUsedAsItIs() async throws {
        try await Self.withTemporaryPath { path in
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            try FileManager.default.setAttributes([.posixPermissions: 0o750], ofItemAtPath: path)
            try "not mail".write(toFile: path + "/notes.txt", atomically: true, encoding: .utf8)
            let outbox = OutboxDirectory(path: path)
            try await outbox.store(Array("x".utf8))
            let stored = try await outbox.messages()
            #expect(try Self.mode(path) == 0o750)
            #expect(stored.count == 1)
        }
    }

    @Test func aFileInTheWayIsAnError() async throws {
        try await Self.withTemporaryPath { path in
            try FileManager.default.createDirectory(
                atPath: (path as NSString).deletingLastPathComponent,
                withIntermediateDirectories: true
            )
            try "in the way".write(toFile: path, atomically: true, encoding: .utf8)
            await #expect(throws: (any Error).self) {
                try await OutboxDirectory(path: path).store(Array("x".utf8))
            }
        }
    }

    @Test func namesSortByTime() {
        let first = OutboxDirectory.makeName()
        let second = OutboxDirectory.makeName()
        #expect(first < second)
        #expect(first.range(of: #"^\d{8}T\d{6}\.\d{9}Z-[0-9a-f]{16}\.eml$"#, options: .regularExpression) != nil)
    }
}
