import AWSWire
import ControlPlane
import Foundation
import Notifications
import Storage
import Testing

/// The sns operations over a fresh SQLite notification service, called through the router
/// with signed query-protocol requests.
struct SNSFixture: Sendable {
    static let accountId = "123456789012"

    let notifications: NotificationService
    let database: Database
    let client: APIClient

    /// Runs `body` with a client of an API serving the sns operations, then removes everything.
    static func with(_ body: @escaping @Sendable (SNSFixture) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("thingport-sns-api-\(UUID().uuidString)", isDirectory: true)
        let database = try await Database.open(.sqlite(path: directory.appendingPathComponent("db.sqlite").path))
        let notifications = NotificationService(database: database, region: "us-east-1", accountId: accountId)
        do {
            try await notifications.migrate()
            var api = TestAPI(registersTestHandlers: false)
            api.controlPlane.registerSNSOperations(notifications)
            try await api.run { client in
                try await body(SNSFixture(notifications: notifications, database: database, client: client))
            }
        } catch {
            await database.shutdown()
            try? FileManager.default.removeItem(at: directory)
            throw error
        }
        await database.shutdown()
        try? FileManager.default.removeItem(at: directory)
    }

    /// Sends a signed sns request for `action` with `parameters`.
    @discardableResult
    func call(_ action: String, _ parameters: [(String, String)] = []) async throws -> APIResponse {
        try await client.query("sns", [("Action", action), ("Version", "2010-03-31")] + parameters)
    }

    func topicArn(_ name: String) -> String { "arn:aws:sns:us-east-1:\(Self.accountId):\(name)" }

    /// The token of the latest confirmation written for `subscriptionArn`.
    func token(for subscriptionArn: String) async throws -> String {
        let payload = try await NotificationStore(database: database).read { try await $0.deliveries() }
            .map(\.payload).last { $0.kind == .confirmation && $0.subscriptionArn == subscriptionArn }
        return try #require(payload?.token)
    }

    /// The notifications written so far.
    func notificationPayloads() async throws -> [DeliveryPayload] {
        try await NotificationStore(database: database).read { try await $0.deliveries() }.map(\.payload)
            .filter { $0.kind == .notification }
    }
}

extension APIResponse {
    /// Expects a 200 sns answer to `action`.
    @discardableResult
    func snsOK(_ action: String, sourceLocation: SourceLocation = #_sourceLocation) -> APIResponse {
        #expect(status == 200, "\(status): \(body)", sourceLocation: sourceLocation)
        #expect(
            body.hasPrefix(#"<\#(action)Response xmlns="http://sns.amazonaws.com/doc/2010-03-31/">"#), "\(body)",
            sourceLocation: sourceLocation)
        return self
    }

    /// Expects an sns `<ErrorResponse>` with `code` and `status`, and returns its message.
    @discardableResult
    func snsError(_ code: String, status expected: Int, sourceLocation: SourceLocation = #_sourceLocation) -> String {
        #expect(status == expected, "\(body)", sourceLocation: sourceLocation)
        #expect(
            body.hasPrefix(#"<ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/">"#), "\(body)",
            sourceLocation: sourceLocation)
        #expect(xml("Code") == code, "\(body)", sourceLocation: sourceLocation)
        #expect(xml("Type") == (expected < 500 ? "Sender" : "Receiver"), sourceLocation: sourceLocation)
        return xml("Message") ?? ""
    }

    /// The `<entry>`s of a query-protocol map, as a dictionary.
    var xmlEntries: [String: String] {
        Dictionary(zip(xmlAll("key"), xmlAll("value")).map { ($0, $1) }, uniquingKeysWith: { $1 })
    }
}
