import Foundation
import Identity
import SQLKit
import Storage
import Testing

/// Where the identity tests run: SQLite in a temporary directory, and PostgreSQL too when
/// `THINGPORT_TEST_POSTGRES_URL` is set (each test in a schema of its own, dropped after).
enum Engine: String, Sendable, CustomTestStringConvertible {
    case sqlite
    case postgres

    static var postgresURL: String? {
        ProcessInfo.processInfo.environment["THINGPORT_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    static var available: [Engine] { postgresURL == nil ? [.sqlite] : [.sqlite, .postgres] }

    var testDescription: String { rawValue }
}

/// A clock the tests move by hand.
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current = Date(timeIntervalSince1970: 1_700_000_000.75)

    var now: Date { lock.withLock { current } }

    func advance(seconds: TimeInterval) { lock.withLock { current += seconds } }
}

/// A fresh store over a fresh database.
struct Fixture: Sendable {
    static let accountId = "123456789012"

    let engine: Engine
    let configuration: Database.Configuration
    let directory: URL?
    let schema: String?
    let clock = TestClock()

    init(_ engine: Engine) {
        self.engine = engine
        switch engine {
        case .sqlite:
            let directory = FileManager.default.temporaryDirectory
                .appendingPathComponent("thingport-identity-\(UUID().uuidString)", isDirectory: true)
            self.directory = directory
            self.schema = nil
            configuration = .sqlite(path: directory.appendingPathComponent("thingport.sqlite").path)
        case .postgres:
            let schema = "i_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
            self.directory = nil
            self.schema = schema
            configuration = .postgres(url: Engine.postgresURL!, schema: schema)
        }
    }

    /// Opens the database and a migrated store on it.
    func open(
        configuration storeConfiguration: IdentityStore.Configuration = IdentityStore.Configuration()
    ) async throws -> (Database, IdentityStore) {
        let database = try await Database.open(configuration)
        let store = IdentityStore(
            database: database, accountId: Self.accountId, configuration: storeConfiguration,
            clock: { [clock] in clock.now })
        try await store.migrate()
        return (database, store)
    }

    func destroy() async {
        if let directory { try? FileManager.default.removeItem(at: directory) }
        if let schema, let url = Engine.postgresURL, let database = try? await Database.open(.postgres(url: url)) {
            try? await database.withTransaction {
                try await $0.raw("DROP SCHEMA IF EXISTS \(ident: schema) CASCADE").run()
            }
            await database.shutdown()
        }
    }

    /// Runs `body` with a fresh store, then removes everything.
    static func with(
        _ engine: Engine,
        configuration: IdentityStore.Configuration = IdentityStore.Configuration(),
        _ body: (IdentityStore, Fixture) async throws -> Void
    ) async throws {
        let fixture = Fixture(engine)
        let (database, store) = try await fixture.open(configuration: configuration)
        do {
            try await body(store, fixture)
        } catch {
            await database.shutdown()
            await fixture.destroy()
            throw error
        }
        await database.shutdown()
        await fixture.destroy()
    }
}

/// Policy documents for the tests.
enum Documents {
    /// Lets `service` assume the role.
    static func trust(_ service: String = "iot.amazonaws.com") -> String {
        #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"\#(service)"},"Action":"sts:AssumeRole"}]}"#
    }

    /// One statement with `effect` for `action` on `resource`.
    static func permissions(_ action: String, _ resource: String = "*", effect: String = "Allow") -> String {
        #"{"Version":"2012-10-17","Statement":{"Effect":"\#(effect)","Action":"\#(action)","Resource":"\#(resource)"}}"#
    }
}

/// The ARN of a role or policy of the test account.
func roleArn(_ name: String, path: String = "/") -> String {
    "arn:aws:iam::\(Fixture.accountId):role\(path)\(name)"
}

func policyArn(_ name: String, path: String = "/") -> String {
    "arn:aws:iam::\(Fixture.accountId):policy\(path)\(name)"
}

/// Expects `body` to throw an ``IdentityError`` with `code`, and returns it.
@discardableResult
func expectIdentityError(
    _ code: IdentityError.Code, sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () async throws -> Void
) async -> IdentityError? {
    do {
        try await body()
        Issue.record("expected \(code), but nothing was thrown", sourceLocation: sourceLocation)
        return nil
    } catch let error as IdentityError {
        #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
        return error
    } catch {
        Issue.record("expected \(code), got \(error)", sourceLocation: sourceLocation)
        return nil
    }
}

extension IdentityStore {
    /// Every item of a listing, page after page.
    func collect<Item: Sendable>(
        pages list: (String?) async throws -> Page<Item>
    ) async throws -> (items: [Item], pages: Int) {
        var items: [Item] = []
        var marker: String?
        var pages = 0
        repeat {
            let page = try await list(marker)
            #expect(page.isTruncated == (page.marker != nil))
            items += page.items
            marker = page.marker
            pages += 1
        } while marker != nil && pages < 1000
        return (items, pages)
    }
}
