import Foundation
import Logging
import NIOConcurrencyHelpers
import SQLKit
import Storage

/// The account's IAM, independent of HTTP: roles with their trust policies, customer managed
/// policies and their versions, attachments and inline role policies, and the decision a
/// service needs before acting with a role (``authorize(roleArn:action:resource:service:context:)``).
///
/// Operations take and return values named as botocore's `iam` model names their members,
/// enforce AWS's rules (names unique regardless of case, at most 5 versions, no deleting what
/// is in use, quotas) and throw ``IdentityError`` with the code AWS returns. Policy documents
/// are checked with the policy engine and stored as given.
///
/// Every change runs in one transaction; the compiled permissions of roles are cached for
/// ``Configuration/permissionsCacheLifetime`` and dropped at once when this store changes
/// anything (another node's changes show after the lifetime, as IAM's own are eventually
/// consistent).
public final class IdentityStore: Sendable {
    /// Tunables of a store.
    public struct Configuration: Sendable {
        /// How long a role's compiled permissions are reused before being read again.
        public var permissionsCacheLifetime: Duration
        /// The most roles whose permissions are cached at once.
        public var maximumCachedRoles: Int

        /// Creates a configuration.
        public init(permissionsCacheLifetime: Duration = .seconds(5), maximumCachedRoles: Int = 1024) {
            self.permissionsCacheLifetime = permissionsCacheLifetime
            self.maximumCachedRoles = maximumCachedRoles
        }
    }

    /// The 12-digit account id of every ARN.
    public let accountId: String
    /// The partition of every ARN (`aws`).
    public let partition: String
    let configuration: Configuration
    let database: Database
    let logger: Logger
    let clock: @Sendable () -> Date
    let cache: PermissionsCache

    /// Creates a store over a database (call ``migrate()`` once before use).
    ///
    /// - Parameters:
    ///   - database: The store; never shut down by this object.
    ///   - accountId: The account of every ARN.
    ///   - partition: The partition of every ARN.
    ///   - configuration: Cache settings.
    ///   - logger: Debug logs of changes (names and ids, never documents).
    ///   - clock: The current time.
    public init(
        database: Database, accountId: String, partition: String = "aws",
        configuration: Configuration = Configuration(), logger: Logger = Logger(label: "thingport.identity"),
        clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.database = database
        self.accountId = accountId
        self.partition = partition
        self.configuration = configuration
        self.logger = logger
        self.clock = clock
        self.cache = PermissionsCache(maximumCount: configuration.maximumCachedRoles)
    }

    /// Applies the pending ``migrations``.
    ///
    /// - Throws: `DatabaseError` when the database was written by a newer version.
    public func migrate() async throws {
        try await database.migrate(component: Self.migrationComponent, Self.migrations)
    }

    // MARK: Internals shared by the operations

    /// The current time in whole seconds, as IAM reports dates.
    func now() -> Int64 { Int64(clock().timeIntervalSince1970.rounded(.down)) * 1000 }

    /// Runs `body` in a transaction; cached permissions are dropped once it commits.
    func write<R>(_ body: (any SQLDatabase) async throws -> R) async throws -> R {
        defer { cache.invalidateAll() }
        return try await database.withTransaction(body)
    }

    /// Runs read-only `body`.
    func read<R>(_ body: (any SQLDatabase) async throws -> R) async throws -> R {
        try await database.read(body)
    }

    /// The case-insensitive key of a role or policy name.
    static func key(_ name: String) -> String { name.lowercased() }

    /// A unique id in AWS's shape: a 4-letter prefix (`AROA` roles, `ANPA` policies) and 17
    /// characters of base32.
    static func uniqueId(prefix: String) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
        var generator = SystemRandomNumberGenerator()
        return prefix + String((0..<17).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] })
    }
}
