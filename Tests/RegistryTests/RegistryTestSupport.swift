import Foundation
import Registry
import SQLKit
import Storage
import Testing

/// Where the registry tests run: SQLite in a temporary directory, and PostgreSQL too when
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
    private var current = Date(timeIntervalSince1970: 1_700_000_000)

    var now: Date { lock.withLock { current } }

    func advance(seconds: TimeInterval) { lock.withLock { current += seconds } }
}

/// A fresh registry over a fresh store.
struct Fixture: Sendable {
    static let scope = RegistryScope(region: "us-east-1", accountId: "123456789012")

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
                .appendingPathComponent("thingport-registry-\(UUID().uuidString)", isDirectory: true)
            self.directory = directory
            self.schema = nil
            configuration = .sqlite(path: directory.appendingPathComponent("thingport.sqlite").path)
        case .postgres:
            let schema = "r_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
            self.directory = nil
            self.schema = schema
            configuration = .postgres(url: Engine.postgresURL!, schema: schema)
        }
    }

    /// Opens the store and a migrated registry on it.
    func open() async throws -> (Database, Registry) {
        let database = try await Database.open(configuration)
        let registry = Registry(database: database, scope: Self.scope, clock: { [clock] in clock.now })
        try await registry.migrate()
        return (database, registry)
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

    /// Runs `body` with a fresh registry, then removes everything.
    static func with(
        _ engine: Engine, _ body: (Registry, Fixture) async throws -> Void
    ) async throws {
        let fixture = Fixture(engine)
        let (database, registry) = try await fixture.open()
        do {
            try await body(registry, fixture)
        } catch {
            await database.shutdown()
            await fixture.destroy()
            throw error
        }
        await database.shutdown()
        await fixture.destroy()
    }
}

/// Expects `body` to throw a ``RegistryError`` with `code`, and returns it.
@discardableResult
func expectRegistryError(
    _ code: RegistryError.Code, sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () async throws -> Void
) async -> RegistryError? {
    do {
        try await body()
        Issue.record("expected \(code.rawValue), but nothing was thrown", sourceLocation: sourceLocation)
        return nil
    } catch let error as RegistryError {
        #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
        return error
    } catch {
        Issue.record("expected \(code.rawValue), got \(error)", sourceLocation: sourceLocation)
        return nil
    }
}

/// A 64-hex certificate id made from a number.
func certificateId(_ number: Int) -> String {
    let hex = String(number, radix: 16)
    return String(repeating: "0", count: 64 - hex.count) + hex
}

func certificateArn(_ number: Int) -> String {
    Fixture.scope.arn(.certificate(certificateId(number)))
}

extension Registry {
    /// Registers certificate `number` with a placeholder PEM.
    @discardableResult
    func registerTestCertificate(
        _ number: Int, status: CertificateStatus = .active, caCertificateId: String? = nil
    ) async throws -> Certificate {
        try await registerCertificate(
            CertificateRegistration(
                certificateId: certificateId(number),
                certificatePem: "-----BEGIN CERTIFICATE-----\nMIIB\(number)\n-----END CERTIFICATE-----\n",
                status: status, caCertificateId: caCertificateId))
    }

    /// Every item of a listing, page after page of `size`.
    func collect<Item: Sendable>(
        pages list: (String?) async throws -> Page<Item>
    ) async throws -> (items: [Item], pages: Int) {
        var items: [Item] = []
        var token: String?
        var pages = 0
        repeat {
            let page = try await list(token)
            items += page.items
            token = page.nextToken
            pages += 1
        } while token != nil && pages < 1000
        return (items, pages)
    }
}
