import AWSWire
import Foundation
import Logging
import SQLKit
import Storage

/// The AWS IoT registry's data and rules, independent of HTTP: things, thing types and
/// groups, certificates and CA certificates, IoT policies and their versions, attachments,
/// topic-rule definitions and tags.
///
/// Operations take and return values named as botocore's `iot` model names their members,
/// enforce AWS's rules (idempotent creates, `expectedVersion`, delete conflicts, certificate
/// states, the 5-version limit…) and throw ``RegistryError`` with the modelled exception AWS
/// returns. Every operation that changes several rows does so in one transaction, and
/// ``RegistryChange``s are announced to observers after it commits.
///
/// Request validation here covers what the registry relies on (names, ids, attributes,
/// tags, page sizes); the control plane still validates the rest of each request against
/// the model.
public final class Registry: Sendable {
    /// The account and region of every ARN.
    public let scope: RegistryScope
    let database: Database
    let logger: Logger
    let clock: @Sendable () -> Date
    let feed = RegistryChangeFeed()

    /// Creates a registry over a database (call ``migrate()`` once before use).
    ///
    /// - Parameters:
    ///   - database: The store; the registry never shuts it down.
    ///   - scope: The account and region of every ARN.
    ///   - logger: Debug logs of changes (names and ids, never documents or PEMs).
    ///   - clock: The current time (a test can move it, for the thing type deletion delay).
    public init(
        database: Database, scope: RegistryScope, logger: Logger = Logger(label: "thingport.registry"),
        clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.database = database
        self.scope = scope
        self.logger = logger
        self.clock = clock
    }

    /// Applies the registry's pending ``migrations``.
    ///
    /// - Throws: `DatabaseError` when the database was written by a newer version.
    public func migrate() async throws {
        try await database.migrate(component: Self.migrationComponent, Self.migrations)
    }

    /// Calls `observer` with every change committed through this registry from now on,
    /// synchronously after each commit, in commit order. Keep the returned observation: the
    /// observer is removed when it is cancelled or released.
    public func observe(_ observer: @escaping @Sendable (RegistryChange) -> Void) -> RegistryObservation {
        let id = feed.add(observer)
        return RegistryObservation { [feed] in feed.remove(id) }
    }

    /// The changes committed from now on, as an asynchronous sequence (buffered without
    /// limit; stop iterating to end it).
    public func changes() -> AsyncStream<RegistryChange> {
        let (stream, continuation) = AsyncStream<RegistryChange>.makeStream(bufferingPolicy: .unbounded)
        let observation = observe { continuation.yield($0) }
        continuation.onTermination = { _ in observation.cancel() }
        return stream
    }

    // MARK: Internals shared by the operations

    /// The current time in milliseconds.
    func now() -> Int64 { clock().millisecondsSince1970 }

    /// Runs `body` in a transaction and announces the changes it recorded after the commit.
    func write<R>(_ body: (any SQLDatabase, ChangeSet) async throws -> R) async throws -> R {
        let (result, changes) = try await database.withTransaction { db in
            let changes = ChangeSet()
            let result = try await body(db, changes)
            return (result, changes.changes)
        }
        feed.publish(changes)
        return result
    }

    /// Runs read-only `body`.
    func read<R>(_ body: (any SQLDatabase) async throws -> R) async throws -> R {
        try await database.read(body)
    }

    /// A random id in the shape of AWS's `generationId`s.
    static func generationId() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<4).map { _ in String(generator.next() as UInt64, radix: 16).leftPadded(to: 16) }.joined()
    }

    /// A lowercase UUID, for thing, thing type and thing group ids.
    static func uuid() -> String { UUID().uuidString.lowercased() }
}

/// The changes one transaction makes, announced after it commits.
final class ChangeSet {
    private(set) var changes: [RegistryChange] = []

    func record(_ change: RegistryChange) { changes.append(change) }
}

extension String {
    fileprivate func leftPadded(to length: Int) -> String {
        count >= length ? self : String(repeating: "0", count: length - count) + self
    }
}
