import AWSWire
import Foundation
import Logging
import Storage

/// Amazon SNS for Thingport, independent of HTTP: topics with their attributes and tags,
/// subscriptions of e-mail and HTTP endpoints with AWS's confirmation flow, and publishing,
/// which writes one delivery per matching confirmed subscription for the delivery pipeline.
///
/// Operations take and return values named as botocore's `sns` model names them, enforce
/// AWS's rules and throw ``NotificationError`` with the code and wording AWS uses. Every
/// change runs in one transaction; after writing deliveries (a publish, a subscription
/// confirmation request) the service wakes the ``DeliveryNotifier`` so the pipeline starts at
/// once.
///
/// ```swift
/// let sns = NotificationService(database: database, region: "us-east-1", accountId: "000000000000",
///                               notifier: pipeline)
/// try await sns.migrate()
/// let topicArn = try await sns.createTopic(name: "iot-notification")
/// _ = try await sns.subscribe(topicArn: topicArn, protocol: "email", endpoint: "ops@example.com")
/// ```
public final class NotificationService: Sendable {
    /// Tunables of a service.
    public struct Configuration: Sendable {
        /// How long a confirmation token is accepted after `Subscribe` (3 days).
        public var confirmationTokenLifetime: Duration
        /// How many compiled filter policies are kept for reuse by `Publish`.
        public var filterPolicyCacheSize: Int

        /// Creates a configuration.
        public init(confirmationTokenLifetime: Duration = .seconds(3 * 24 * 3600), filterPolicyCacheSize: Int = 1024) {
            self.confirmationTokenLifetime = confirmationTokenLifetime
            self.filterPolicyCacheSize = filterPolicyCacheSize
        }
    }

    /// The region of every ARN.
    public let region: String
    /// The 12-digit account id of every ARN, and the owner of every topic and subscription.
    public let accountId: String
    /// The partition of every ARN (`aws`).
    public let partition: String
    let configuration: Configuration
    let store: NotificationStore
    let notifier: (any DeliveryNotifier)?
    let logger: Logger
    let clock: @Sendable () -> Date
    let filterPolicies: FilterPolicyCache
    let deliveryIds = DeliveryIdGenerator()

    /// Creates a service over a database (call ``migrate()`` once before use).
    ///
    /// - Parameters:
    ///   - database: The store; never shut down by this object.
    ///   - region: The region of every ARN; ARNs of other regions are refused.
    ///   - accountId: The account of every ARN; ARNs of other accounts are refused.
    ///   - partition: The partition of every ARN.
    ///   - notifier: Told when deliveries have been written (the delivery pipeline).
    ///   - configuration: Token lifetime and caches.
    ///   - logger: Debug logs of changes (names and ids, never messages or endpoints' data).
    ///   - clock: The current time.
    public init(
        database: Database, region: String, accountId: String, partition: String = "aws",
        notifier: (any DeliveryNotifier)? = nil, configuration: Configuration = Configuration(),
        logger: Logger = Logger(label: "thingport.notifications"), clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.store = NotificationStore(database: database)
        self.region = region
        self.accountId = accountId
        self.partition = partition
        self.notifier = notifier
        self.configuration = configuration
        self.logger = logger
        self.clock = clock
        self.filterPolicies = FilterPolicyCache(capacity: configuration.filterPolicyCacheSize)
    }

    /// The component name of the SNS migrations in `schema_migrations`: `notifications`.
    public static var migrationComponent: String { NotificationStore.migrationComponent }

    /// The SNS schema (`sns_topics`, `sns_topic_tags`, `sns_subscriptions`, `sns_deliveries`).
    public static var migrations: [Migration] { NotificationStore.migrations }

    /// Applies the pending ``migrations``.
    ///
    /// - Throws: `DatabaseError` when the database was written by a newer version.
    public func migrate() async throws {
        try await store.migrate()
    }

    // MARK: Internals shared by the operations

    /// The current time in milliseconds since 1970.
    func now() -> Int64 { Int64((clock().timeIntervalSince1970 * 1000).rounded(.down)) }

    /// The ARN of topic `name`.
    func topicArn(_ name: String) -> String {
        ARN.snsTopic(name, region: region, accountId: accountId, partition: partition).description
    }

    /// The ARN of subscription `id` of topic `topicName`.
    func subscriptionArn(topic topicName: String, id: String) -> String {
        topicArn(topicName) + ":" + id
    }

    /// Tells the pipeline that deliveries were written.
    func wakeDeliveries() {
        notifier?.wake()
    }

    /// A new id in the shape AWS gives subscriptions and messages: a lower-case UUID.
    static func newId() -> String {
        UUID().uuidString.lowercased()
    }
}
