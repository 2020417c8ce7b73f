import Foundation
import Notifications
import Storage
import Testing

/// A notification service over a fresh, migrated database, with a hand-moved clock and a
/// recording notifier.
struct ServiceFixture: Sendable {
    static let region = "us-east-1"
    static let accountId = "123456789012"

    let service: NotificationService
    let store: NotificationStore
    let clock: SNSTestClock
    let notifier: RecordingNotifier

    /// Runs `body` with a fresh service, then removes everything.
    static func with(
        _ engine: SNSTestEngine = .sqlite,
        configuration: NotificationService.Configuration = .init(),
        _ body: (ServiceFixture) async throws -> Void
    ) async throws {
        try await SNSTestDatabase.with(engine) { database in
            let clock = SNSTestClock()
            let notifier = RecordingNotifier()
            let service = NotificationService(
                database: database, region: region, accountId: accountId, notifier: notifier,
                configuration: configuration, clock: { clock.now })
            try await service.migrate()
            try await body(
                ServiceFixture(
                    service: service, store: NotificationStore(database: database), clock: clock, notifier: notifier))
        }
    }

    /// The ARN of topic `name` of the fixture's account.
    func arn(_ name: String) -> String { "arn:aws:sns:\(Self.region):\(Self.accountId):\(name)" }

    /// Every delivery waiting, oldest first.
    func deliveries() async throws -> [StoredDelivery] {
        try await store.read { try await $0.deliveries() }
    }

    /// The notifications waiting (confirmations left out).
    func notifications() async throws -> [DeliveryPayload] {
        try await deliveries().map(\.payload).filter { $0.kind == .notification }
    }

    /// The token of the latest confirmation sent for `subscriptionArn`.
    func token(for subscriptionArn: String) async throws -> String {
        let payload = try await deliveries().map(\.payload).last {
            $0.kind == .confirmation && $0.subscriptionArn == subscriptionArn
        }
        return try #require(payload?.token)
    }

    /// Subscribes and confirms `endpoint`; returns the subscription ARN.
    @discardableResult
    func confirmedSubscription(
        topic: String, protocol: String = "https", endpoint: String = "https://example.com/hook",
        attributes: [String: String] = [:]
    ) async throws -> String {
        let arn = try await service.subscribe(
            topicArn: self.arn(topic), protocol: `protocol`, endpoint: endpoint, attributes: attributes,
            returnSubscriptionArn: true)
        return try await service.confirmSubscription(topicArn: self.arn(topic), token: try await token(for: arn))
    }
}

/// Expects `body` to throw a ``NotificationError`` with `code` (and `message` when given), and
/// returns it.
@discardableResult
func expectSNSError(
    _ code: NotificationError.Code, _ message: String? = nil, sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () async throws -> Void
) async -> NotificationError? {
    do {
        try await body()
        Issue.record("expected \(code), but nothing was thrown", sourceLocation: sourceLocation)
        return nil
    } catch let error as NotificationError {
        #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
        if let message {
            #expect(error.message == message, sourceLocation: sourceLocation)
        }
        return error
    } catch {
        Issue.record("expected \(code), got \(error)", sourceLocation: sourceLocation)
        return nil
    }
}
