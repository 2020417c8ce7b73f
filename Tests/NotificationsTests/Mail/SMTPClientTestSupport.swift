import Foundation
import Testing

@testable import Notifications

/// Shared pieces of the SMTP client tests.
enum SMTPTest {
    static let sender = "bounces@thingport.test"

    static func client(
        _ server: TestSMTPServer,
        host: String = "127.0.0.1",
        security: SMTPClient.Security = .plain,
        credentials: SMTPClient.Credentials? = nil,
        trust: SMTPClient.TLSTrust = .certificates(pem: TestCertificates.shared.rootPEM),
        commandTimeout: Duration = .seconds(10)
    ) throws -> SMTPClient {
        try SMTPClient(
            configuration: .init(
                host: host,
                port: server.port,
                security: security,
                credentials: credentials,
                heloName: "client.test",
                connectTimeout: .seconds(5),
                commandTimeout: commandTimeout,
                trust: trust
            )
        )
    }

    static func message(
        subject: String = "Temperature alert",
        body: String = "Sensor 7 reads 41 C.\n",
        to: [String] = ["ops@example.com"]
    ) throws -> EmailMessage {
        try EmailMessage(
            from: EmailAddress("alerts@thingport.test", displayName: "Thingport Alerts"),
            to: to.map { try EmailAddress($0) },
            subject: subject,
            body: body,
            messageID: "0001@thingport.test",
            date: Date(timeIntervalSince1970: 1_764_211_749)
        )
    }

    /// Sends `message` and returns the ``SMTPError`` it must fail with.
    static func failure(
        sending message: EmailMessage,
        with client: SMTPClient,
        to recipients: [String] = ["ops@example.com"],
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> SMTPError {
        do {
            try await client.send(message, from: Self.sender, to: recipients)
        } catch {
            return error
        }
        Issue.record("sending succeeded but should have failed", sourceLocation: sourceLocation)
        throw CancellationError()
    }

    /// The transcript a plain, successful delivery to `recipients` produces after the EHLO (or HELO) phase.
    static func transaction(_ recipients: [String] = ["ops@example.com"]) -> [String] {
        ["MAIL FROM:<\(Self.sender)>"] + recipients.map { "RCPT TO:<\($0)>" } + ["DATA", "QUIT"]
    }
}
