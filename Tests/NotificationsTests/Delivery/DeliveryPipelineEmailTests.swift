import Foundation
import JSON
import Testing

@testable import Notifications

@Suite("Delivery pipeline by e-mail")
struct DeliveryPipelineEmailTests {
    typealias Harness = DeliveryPipelineHarness
    static let email = "0b1c2d3e-0000-4000-8000-0000000000e1"
    static let emailJSON = "0b1c2d3e-0000-4000-8000-0000000000e2"
    static let pending = "0b1c2d3e-0000-4000-8000-0000000000e3"

    static func body(_ message: [UInt8]) throws -> String {
        let (_, body) = MIMEDecoding.split(message)
        if MIMEDecoding.header("Content-Transfer-Encoding", in: message) == "quoted-printable" {
            return String(decoding: try #require(MIMEDecoding.decodeQuotedPrintable(body)), as: UTF8.self)
        }
        return String(decoding: body, as: UTF8.self)
    }

    @Test("email, email-json and confirmation e-mails are written to the outbox")
    func outbox() async throws {
        try await DeliveryTestDatabase.with { db in
            let outbox = OutboxDirectory(path: db.directory + "/outbox")
            try await db.addTopic(attributes: #"{"DisplayName":"Plant Alerts"}"#)
            try await db.addSubscription(id: Self.email, protocol: "email", endpoint: "ops@example.com")
            try await db.addSubscription(id: Self.emailJSON, protocol: "email-json", endpoint: "robot@example.com")
            try await db.addSubscription(
                id: Self.pending, protocol: "email", endpoint: "new@example.com", confirmed: false)
            let note = DeliveryFixtures.notification(
                protocol: "email", endpoint: "ops@example.com", subscriptionID: Self.email)
            try await db.addDelivery(note, subscriptionID: Self.email)
            try await db.addDelivery(
                DeliveryFixtures.notification(
                    protocol: "email-json", endpoint: "robot@example.com", subscriptionID: Self.emailJSON),
                subscriptionID: Self.emailJSON)
            try await db.addDelivery(
                DeliveryFixtures.confirmation(
                    protocol: "email", endpoint: "new@example.com", subscriptionID: Self.pending),
                subscriptionID: Self.pending)

            let pipeline = try Harness.pipeline(database: db.database, mail: outbox)
            try await Harness.running(pipeline) {
                try await Harness.eventually("three e-mails") {
                    let count = try await outbox.messages().count
                    let empty = try await db.rows().isEmpty
                    return count == 3 && empty
                }
            }
            let messages = try await outbox.messages().map(\.bytes)
            func find(_ recipient: String) throws -> [UInt8] {
                guard let message = messages.first(where: { MIMEDecoding.header("To", in: $0) == recipient }) else {
                    throw DeliveryRenderError("no e-mail to \(recipient)")
                }
                return message
            }
            let plain = try find("ops@example.com")
            #expect(MIMEDecoding.header("From", in: plain) == "Plant Alerts <no-reply@sns.thingport.local>")
            #expect(MIMEDecoding.header("Subject", in: plain) == "Temperature alert")
            let plainBody = try Self.body(plain)
            #expect(
                plainBody.hasPrefix("Sensor 7 reads 41 C.\r\n\r\n--\r\nIf you wish to stop receiving notifications"))
            #expect(
                plainBody.contains(
                    "http://localhost:8080/?Action=Unsubscribe&SubscriptionArn=\(note.subscriptionArn)\r\n"))

            let json = try find("robot@example.com")
            #expect(MIMEDecoding.header("Subject", in: json) == "Temperature alert")
            let document = try Self.body(json)
            #expect(try JSONValue.parse(document)["Type"]?.stringValue == "Notification")
            #expect(
                try IndependentSNSVerifier.isValid(
                    json: document, certificatePEM: SNSSigningCredentials.shared.certificatePEM))

            let confirmation = try find("new@example.com")
            #expect(MIMEDecoding.header("Subject", in: confirmation) == "AWS Notification - Subscription Confirmation")
            #expect(
                try Self.body(confirmation).contains(
                    "http://localhost:8080/?Action=ConfirmSubscription&TopicArn=\(DeliveryFixtures.topicArn)&Token=\(DeliveryFixtures.token)"
                ))

            #expect(pipeline.statistics.counts(topic: "alerts", protocol: "email") == .init(delivered: 2))
            #expect(pipeline.statistics.counts(topic: "alerts", protocol: "email-json") == .init(delivered: 1))
        }
    }

    @Test("e-mail goes through the SMTP client to a real server")
    func smtp() async throws {
        try await DeliveryTestDatabase.with { db in
            try await db.addTopic()
            try await db.addSubscription(id: Self.email, protocol: "email", endpoint: "ops@example.com")
            try await db.addDelivery(
                DeliveryFixtures.notification(
                    protocol: "email", endpoint: "ops@example.com", subscriptionID: Self.email),
                subscriptionID: Self.email)
            try await TestSMTPServer.with { server in
                let client = try SMTPClient(
                    configuration: .init(host: "127.0.0.1", port: server.port, security: .plain))
                let pipeline = try Harness.pipeline(database: db.database, mail: client)
                try await Harness.running(pipeline) {
                    try await Harness.eventually("accepted by the server") {
                        let empty = try await db.rows().isEmpty
                        return server.messages.count == 1 && empty
                    }
                }
                let message = try #require(server.messages.first)
                #expect(message.sender == "no-reply@sns.thingport.local")
                #expect(message.recipients == ["ops@example.com"])
                #expect(MIMEDecoding.header("Subject", in: message.content) == "Temperature alert")
                #expect(
                    try Self.body(message.content).contains(
                        "If you wish to stop receiving notifications from this topic"))
                #expect(pipeline.statistics.counts(topic: "alerts", protocol: "email") == .init(delivered: 1))
            }
        }
    }

    @Test("a temporary SMTP refusal is retried on AWS's SMTP schedule; a permanent one is given up")
    func smtpFailures() async throws {
        try await DeliveryTestDatabase.with { db in
            try await db.addTopic()
            try await db.addSubscription(id: Self.email, protocol: "email", endpoint: "later@example.com")
            try await db.addSubscription(id: Self.emailJSON, protocol: "email-json", endpoint: "never@example.com")
            let clock = ManualDeliveryClock()
            let later = try await db.addDelivery(
                DeliveryFixtures.notification(
                    protocol: "email", endpoint: "later@example.com", subscriptionID: Self.email),
                subscriptionID: Self.email, nextAttempt: clock.now())
            let never = try await db.addDelivery(
                DeliveryFixtures.notification(
                    protocol: "email-json", endpoint: "never@example.com", subscriptionID: Self.emailJSON),
                subscriptionID: Self.emailJSON, nextAttempt: clock.now())
            var script = TestSMTPServer.Script()
            script.actions[.rcpt("later@example.com")] = .reply(["451 4.7.1 greylisted, try later"])
            script.actions[.rcpt("never@example.com")] = .reply(["550 5.1.1 no such user"])
            try await TestSMTPServer.with(script) { server in
                let client = try SMTPClient(
                    configuration: .init(host: "127.0.0.1", port: server.port, security: .plain))
                let pipeline = try Harness.pipeline(database: db.database, mail: client, clock: clock)
                try await Harness.running(pipeline) {
                    try await Harness.eventually("both attempted") {
                        let gone = try await db.row(never) == nil
                        let attempts = try await db.row(later)?.attempts
                        return gone && attempts == 1
                    }
                }
                let row = try #require(try await db.row(later))
                #expect(row.nextAttempt == clock.now() + 10_000)
                #expect(row.lastError?.contains("451") == true)
                #expect(server.messages.isEmpty)
                #expect(pipeline.statistics.counts(topic: "alerts", protocol: "email") == .init(retried: 1))
                #expect(pipeline.statistics.counts(topic: "alerts", protocol: "email-json") == .init(failed: 1))
            }
        }
    }
}
