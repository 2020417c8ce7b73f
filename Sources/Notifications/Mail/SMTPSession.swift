import AWSWire
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOSSL

/// The dialogue of one SMTP connection, from greeting to QUIT (RFC 5321 §3 and §4.1), written as
/// straight-line async code over ``SMTPClientChannelHandler``, which owns all I/O.
///
/// Every failure leaves here as an ``SMTPError`` tagged with the ``SMTPError/Stage`` it happened in.
struct SMTPSession {
    /// What to deliver: the envelope and the content, already encoded for DATA.
    struct Envelope {
        var sender: String
        var recipients: [String]
        /// Dot-stuffed content including the terminating `.` CRLF.
        var content: ByteBuffer
        var requiresSMTPUTF8: Bool
    }

    private let channel: any Channel
    private let configuration: SMTPClient.Configuration
    private let sslContext: NIOSSLContext?
    private let serverHostname: String?
    private let failureRecord: NIOLockedValueBox<(any Error)?>
    private let logger: Logger
    private var stage = SMTPError.Stage.greeting

    init(
        channel: any Channel,
        configuration: SMTPClient.Configuration,
        sslContext: NIOSSLContext?,
        serverHostname: String?,
        failureRecord: NIOLockedValueBox<(any Error)?>,
        logger: Logger
    ) {
        self.channel = channel
        self.configuration = configuration
        self.sslContext = sslContext
        self.serverHostname = serverHostname
        self.failureRecord = failureRecord
        self.logger = logger
    }

    /// Runs the dialogue up to the server's acceptance of the message (QUIT is left to ``close()``).
    mutating func deliver(_ envelope: Envelope, greeting: EventLoopFuture<SMTPReply>) async throws(SMTPError) {
        do {
            try await self.run(envelope, greeting: greeting)
        } catch let error as SMTPError {
            throw error
        } catch {
            throw self.connectionError(error)
        }
    }

    /// Says QUIT when the connection is still usable, waits a little for the 221 reply, then closes.
    ///
    /// The message's fate is already known here, so the wait is capped at ``quitTimeout``.
    func close() async {
        if self.channel.isActive {
            let quit = self.write(["QUIT"])[0]
            let channel = self.channel
            let deadline = channel.eventLoop.scheduleTask(in: Self.quitTimeout) { channel.close(promise: nil) }
            _ = try? await quit.get()
            deadline.cancel()
        }
        try? await self.channel.close()
    }

    /// The longest wait for the reply to QUIT.
    static let quitTimeout = TimeAmount.seconds(5)

    private mutating func run(_ envelope: Envelope, greeting: EventLoopFuture<SMTPReply>) async throws {
        self.stage = .greeting
        try Self.expect(try await greeting.get(), code: 220, stage: .greeting)

        var capabilities = try await self.hello()
        if self.configuration.security == .startTLS {
            guard capabilities.startTLS else {
                throw SMTPError(
                    .startTLSNotOffered,
                    stage: .startTLS,
                    isTransient: false,
                    detail: "the server does not offer STARTTLS, which the configuration requires"
                )
            }
            self.stage = .startTLS
            try Self.expect(try await self.command("STARTTLS"), code: 220, stage: .startTLS)
            try await self.upgradeToTLS()
            capabilities = try await self.hello()
        }
        if let credentials = self.configuration.credentials {
            try await self.authenticate(credentials, mechanisms: capabilities.authMechanisms)
        }
        try await self.transaction(envelope, capabilities: capabilities)
    }

    // MARK: - Steps

    /// EHLO, or HELO when the server does not know EHLO (any 5xx reply).
    private mutating func hello() async throws -> SMTPCapabilities {
        self.stage = .ehlo
        let reply = try await self.command("EHLO \(self.configuration.heloName)")
        if reply.isPositiveCompletion {
            return SMTPCapabilities(ehloReply: reply)
        }
        guard reply.isPermanentFailure else { throw Self.failure(reply, stage: .ehlo) }
        self.logger.debug("SMTP server refused EHLO, falling back to HELO", metadata: ["smtp.reply": "\(reply)"])
        try Self.expect(try await self.command("HELO \(self.configuration.heloName)"), stage: .ehlo)
        return SMTPCapabilities()
    }

    private func upgradeToTLS() async throws {
        guard let sslContext = self.sslContext else {
            throw SMTPError(.invalidConfiguration, stage: .startTLS, isTransient: false, detail: "no TLS context")
        }
        let handshake = self.channel.eventLoop.makePromise(of: Void.self)
        let request = SMTPClientRequest.startTLS(sslContext, serverHostname: self.serverHostname, handshake: handshake)
        self.channel.writeAndFlush(request).whenFailure { handshake.fail($0) }
        try await handshake.futureResult.get()
        self.logger.debug("SMTP connection upgraded to TLS")
    }

    /// AUTH PLAIN (preferred, with the initial response of RFC 4954 §4) or AUTH LOGIN.
    private mutating func authenticate(_ credentials: SMTPClient.Credentials, mechanisms: Set<String>) async throws {
        self.stage = .auth
        let username = Array(credentials.username.utf8)
        let password = Array(credentials.password.utf8)
        if mechanisms.contains("PLAIN") {
            // RFC 4616: authorization identity (empty), NUL, authentication identity, NUL, password.
            let response = Base64.encode([0] + username + [0] + password)
            var reply = try await self.command("AUTH PLAIN \(response)", logAs: "AUTH PLAIN")
            if reply.code == 334 {
                reply = try await self.command(response, logAs: "AUTH response")
            }
            try Self.expect(reply, code: 235, stage: .auth)
        } else if mechanisms.contains("LOGIN") {
            try Self.expect(try await self.command("AUTH LOGIN"), code: 334, stage: .auth)
            try Self.expect(
                try await self.command(Base64.encode(username), logAs: "AUTH response"),
                code: 334,
                stage: .auth
            )
            try Self.expect(
                try await self.command(Base64.encode(password), logAs: "AUTH response"),
                code: 235,
                stage: .auth
            )
        } else {
            throw SMTPError(
                .authenticationNotOffered,
                stage: .auth,
                isTransient: false,
                detail: "the server offers no AUTH mechanism the client knows (PLAIN, LOGIN)"
            )
        }
        self.logger.debug("SMTP authentication succeeded")
    }

    /// MAIL FROM, RCPT TO for each recipient, DATA and the content. With PIPELINING the three commands go
    /// out in one write and their replies are read afterwards (RFC 2920 §3.1, DATA last in the group).
    private mutating func transaction(_ envelope: Envelope, capabilities: SMTPCapabilities) async throws {
        self.stage = .mail
        var mailCommand = "MAIL FROM:<\(envelope.sender)>"
        if let maximum = capabilities.maximumMessageSize {
            let size = envelope.content.readableBytes - 3
            guard size <= maximum else {
                throw SMTPError(
                    .messageTooLarge,
                    stage: .mail,
                    isTransient: false,
                    detail: "message of \(size) octets exceeds the server's limit of \(maximum)"
                )
            }
            mailCommand += " SIZE=\(size)"
        }
        if envelope.requiresSMTPUTF8 {
            guard capabilities.smtpUTF8 else {
                throw SMTPError(
                    .smtpUTF8NotOffered,
                    stage: .mail,
                    isTransient: false,
                    detail: "internationalised addresses need SMTPUTF8, which the server does not offer"
                )
            }
            mailCommand += " SMTPUTF8"
        }
        let recipientCommands = envelope.recipients.map { "RCPT TO:<\($0)>" }

        var accepted: [String] = []
        var rejected: [SMTPError.RejectedRecipient] = []
        func record(_ reply: SMTPReply, for recipient: String) {
            if reply.isPositiveCompletion {
                accepted.append(recipient)
            } else {
                rejected.append(.init(address: recipient, replyCode: reply.code, replyText: reply.text))
            }
        }

        let dataReply: SMTPReply
        if capabilities.pipelining {
            let replies = self.write([mailCommand] + recipientCommands + ["DATA"])
            let mailReply = try await replies[0].get()
            self.stage = .rcpt
            for (recipient, reply) in zip(envelope.recipients, replies.dropFirst()) {
                record(try await reply.get(), for: recipient)
            }
            self.stage = .data
            dataReply = try await replies[replies.count - 1].get()
            if !mailReply.isPositiveCompletion || accepted.isEmpty {
                // A server that answered DATA with 354 anyway gets an empty message it will refuse (§3.1).
                if dataReply.code == 354 {
                    _ = try? await self.write(["."])[0].get()
                }
                try Self.expect(mailReply, stage: .mail)
                throw Self.allRecipientsRejected(rejected)
            }
        } else {
            try Self.expect(try await self.command(mailCommand), stage: .mail)
            self.stage = .rcpt
            for (recipient, command) in zip(envelope.recipients, recipientCommands) {
                record(try await self.command(command), for: recipient)
            }
            guard !accepted.isEmpty else { throw Self.allRecipientsRejected(rejected) }
            self.stage = .data
            dataReply = try await self.command("DATA")
        }
        try Self.expect(dataReply, code: 354, stage: .data)

        let promise = self.channel.eventLoop.makePromise(of: SMTPReply.self)
        self.channel.writeAndFlush(SMTPClientRequest.send(envelope.content, replies: [promise])).whenFailure {
            promise.fail($0)
        }
        try Self.expect(try await promise.futureResult.get(), stage: .data)

        if !rejected.isEmpty {
            throw SMTPError(
                .someRecipientsRejected,
                stage: .rcpt,
                isTransient: rejected.contains { $0.isTransient },
                reply: SMTPReply(code: rejected[0].replyCode, lines: [rejected[0].replyText]),
                rejectedRecipients: rejected,
                acceptedRecipients: accepted
            )
        }
    }

    // MARK: - I/O

    /// Sends one command line and waits for its reply.
    private func command(_ line: String, logAs name: String? = nil) async throws -> SMTPReply {
        self.logger.trace(
            "SMTP command",
            metadata: ["smtp.command": "\(name ?? String(line.prefix { $0 != " " && $0 != ":" }))"]
        )
        let reply = try await self.write([line])[0].get()
        self.logger.trace("SMTP reply", metadata: ["smtp.reply.code": "\(reply.code)"])
        return reply
    }

    /// Writes the lines in one write and returns a future for each line's reply.
    private func write(_ lines: [String]) -> [EventLoopFuture<SMTPReply>] {
        var bytes = ByteBuffer()
        for line in lines {
            bytes.writeString(line)
            bytes.writeStaticString("\r\n")
        }
        let promises = lines.map { _ in self.channel.eventLoop.makePromise(of: SMTPReply.self) }
        self.channel.writeAndFlush(SMTPClientRequest.send(bytes, replies: promises)).whenFailure { error in
            // Completes promises the handler never saw (a channel already torn down); a no-op otherwise.
            promises.forEach { $0.fail(error) }
        }
        return promises.map(\.futureResult)
    }

    // MARK: - Errors

    /// Throws unless `reply` has the expected code (or, without one, any 2xx code).
    private static func expect(_ reply: SMTPReply, code: Int? = nil, stage: SMTPError.Stage) throws(SMTPError) {
        let isExpected = code.map { reply.code == $0 } ?? reply.isPositiveCompletion
        if !isExpected {
            throw Self.failure(reply, stage: stage)
        }
    }

    /// A 4xx reply is transient, a 5xx permanent; anything else out of place is a protocol violation.
    private static func failure(_ reply: SMTPReply, stage: SMTPError.Stage) -> SMTPError {
        if reply.isTransientFailure || reply.isPermanentFailure {
            return .rejected(reply, stage: stage)
        }
        return SMTPError(.protocolViolation, stage: stage, isTransient: true, reply: reply, detail: "unexpected reply")
    }

    private static func allRecipientsRejected(_ rejected: [SMTPError.RejectedRecipient]) -> SMTPError {
        SMTPError(
            .rejected,
            stage: .rcpt,
            isTransient: rejected.contains { $0.isTransient },
            reply: SMTPReply(code: rejected[0].replyCode, lines: [rejected[0].replyText]),
            rejectedRecipients: rejected
        )
    }

    /// Maps a failure of the connection itself (not a reply) to an ``SMTPError``; all are transient.
    private func connectionError(_ error: any Error) -> SMTPError {
        // A request that found the channel closed only knows that; the handler recorded why it closed.
        let error = self.failureRecord.withLockedValue { $0 } ?? error
        let isImplicitTLSHandshake = self.stage == .greeting && self.configuration.security == .implicitTLS
        switch error {
        case SMTPConnectionFailure.timeout:
            return SMTPError(.timeout, stage: self.stage, isTransient: true, underlying: error)
        case SMTPConnectionFailure.unexpectedData, SMTPConnectionFailure.malformedReply:
            return SMTPError(.protocolViolation, stage: self.stage, isTransient: true, underlying: error)
        case is NIOSSLError, is NIOSSLExtraError, is BoringSSLError:
            return SMTPError(
                .tlsFailed,
                stage: isImplicitTLSHandshake ? .connect : self.stage,
                isTransient: true,
                underlying: error
            )
        default:
            return SMTPError(.connectionClosed, stage: self.stage, isTransient: true, underlying: error)
        }
    }
}
