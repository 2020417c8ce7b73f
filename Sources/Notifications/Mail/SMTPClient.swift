import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import NIOSSL

/// Sends e-mail to an SMTP server (RFC 5321): one connection per message, with STARTTLS or implicit TLS,
/// AUTH PLAIN or LOGIN, and pipelining (RFC 2920) when the server offers it.
///
/// ```swift
/// let client = try SMTPClient(configuration: .init(host: "smtp.example.com", port: 587, security: .startTLS,
///                                                  credentials: .init(username: "u", password: "p")))
/// try await client.send(message, from: "alerts@example.com", to: ["ops@example.com"])
/// ```
///
/// Failures are thrown as ``SMTPError``, whose ``SMTPError/isTransient`` says whether to retry.
public struct SMTPClient: MailTransport {
    /// The configuration this client was made with.
    public let configuration: Configuration
    private let eventLoopGroup: any EventLoopGroup
    private let sslContext: NIOSSLContext?
    private let logger: Logger

    /// Creates a client. No connection is made until a message is sent.
    /// - Parameters:
    ///   - configuration: the server and how to reach it.
    ///   - eventLoopGroup: where connections run; by default NIO's shared group.
    ///   - logger: receives a debug line per delivery and a trace line per command (never credentials).
    /// - Throws: ``SMTPError`` with ``SMTPError/Code/invalidConfiguration`` when the TLS settings cannot be
    ///   used (for example trust roots that are not valid PEM).
    public init(
        configuration: Configuration,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger = Logger(label: "thingport.notifications.smtp")
    ) throws(SMTPError) {
        self.configuration = configuration
        self.eventLoopGroup = eventLoopGroup
        self.logger = logger
        if configuration.security == .plain {
            self.sslContext = nil
            return
        }
        do {
            var tls = TLSConfiguration.makeClientConfiguration()
            tls.minimumTLSVersion = .tlsv12
            switch configuration.trust.roots {
            case .systemDefault:
                tls.trustRoots = .default
            case .pem(let pem):
                tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(Array(pem.utf8)))
            case .noVerification:
                tls.certificateVerification = .none
            }
            self.sslContext = try NIOSSLContext(configuration: tls)
        } catch {
            throw SMTPError(.invalidConfiguration, stage: .connect, isTransient: false, underlying: error)
        }
    }

    /// Sends a message.
    /// - Parameters:
    ///   - message: the message; it is rendered with ``EmailMessage/rendered()``.
    ///   - envelopeSender: the envelope sender (MAIL FROM), where bounces go; may differ from `From`.
    ///   - recipients: the envelope recipients (RCPT TO), one or more; they need not match `To`.
    /// - Throws: ``SMTPError``. When some recipients were refused and others accepted, the message was
    ///   delivered to the accepted ones and the error's code is ``SMTPError/Code/someRecipientsRejected``.
    public func send(_ message: EmailMessage, from envelopeSender: String, to recipients: [String])
        async throws(SMTPError)
    {
        try await self.send(
            rawMessage: message.rendered(),
            from: envelopeSender,
            to: recipients,
            requiresSMTPUTF8: message.requiresSMTPUTF8
        )
    }

    /// Sends an already rendered RFC 5322 message. Line endings are normalised to CRLF and lines starting
    /// with `.` are dot-stuffed on the way out.
    /// - Parameters:
    ///   - rawMessage: headers, blank line and body.
    ///   - envelopeSender: the envelope sender (MAIL FROM); an empty string sends the null path `<>`.
    ///   - recipients: the envelope recipients (RCPT TO).
    ///   - requiresSMTPUTF8: whether the message's headers carry UTF-8 addresses (RFC 6532).
    /// - Throws: ``SMTPError``.
    public func send(
        rawMessage: [UInt8],
        from envelopeSender: String,
        to recipients: [String],
        requiresSMTPUTF8: Bool = false
    ) async throws(SMTPError) {
        try Self.validateEnvelope(sender: envelopeSender, recipients: recipients)
        var content = ByteBuffer()
        SMTPDataEncoder.encode(rawMessage, into: &content)
        let envelope = SMTPSession.Envelope(
            sender: envelopeSender,
            recipients: recipients,
            content: content,
            requiresSMTPUTF8: requiresSMTPUTF8 || !envelopeSender.utf8.allSatisfy { $0 < 0x80 }
                || recipients.contains { !$0.utf8.allSatisfy { $0 < 0x80 } }
        )
        var logger = self.logger
        logger[metadataKey: "smtp.host"] = "\(self.configuration.host):\(self.configuration.port)"
        logger.debug("Connecting to SMTP server")

        let eventLoop = self.eventLoopGroup.any()
        let greeting = eventLoop.makePromise(of: SMTPReply.self)
        let failureRecord = NIOLockedValueBox<(any Error)?>(nil)
        let channel: any Channel
        do {
            channel = try await self.connect(on: eventLoop, greeting: greeting, failureRecord: failureRecord)
        } catch {
            greeting.fail(error)
            logger.debug("SMTP connection failed", metadata: ["error": "\(error)"])
            if case ChannelError.connectTimeout = error {
                throw SMTPError(.timeout, stage: .connect, isTransient: true, underlying: error)
            }
            throw SMTPError(.connectionFailed, stage: .connect, isTransient: true, underlying: error)
        }
        var session = SMTPSession(
            channel: channel,
            configuration: self.configuration,
            sslContext: self.sslContext,
            serverHostname: self.serverHostname,
            failureRecord: failureRecord,
            logger: logger
        )
        do {
            try await session.deliver(envelope, greeting: greeting.futureResult)
            logger.debug("SMTP server accepted the message")
        } catch {
            logger.debug("SMTP delivery failed", metadata: ["error": "\(error)"])
            await session.close()
            throw error
        }
        await session.close()
    }

    /// The name sent in TLS SNI and checked against the certificate; `nil` for an IP address, which NIOSSL
    /// then checks against the certificate's IP address entries.
    private var serverHostname: String? {
        (try? SocketAddress(ipAddress: self.configuration.host, port: 0)) == nil ? self.configuration.host : nil
    }

    private func connect(
        on eventLoop: any EventLoop,
        greeting: EventLoopPromise<SMTPReply>,
        failureRecord: NIOLockedValueBox<(any Error)?>
    ) async throws -> any Channel {
        let implicitTLS = self.configuration.security == .implicitTLS ? self.sslContext : nil
        let serverHostname = self.serverHostname
        let timeout = TimeAmount(self.configuration.commandTimeout)
        return try await ClientBootstrap(group: eventLoop)
            .connectTimeout(TimeAmount(self.configuration.connectTimeout))
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let implicitTLS {
                        let tlsHandler = try NIOSSLClientHandler(context: implicitTLS, serverHostname: serverHostname)
                        try channel.pipeline.syncOperations.addHandler(tlsHandler)
                    }
                    try channel.pipeline.syncOperations.addHandler(
                        SMTPClientChannelHandler(greeting: greeting, timeout: timeout, failureRecord: failureRecord)
                    )
                }
            }
            .connect(host: self.configuration.host, port: self.configuration.port)
            .get()
    }

    private static func validateEnvelope(sender: String, recipients: [String]) throws(SMTPError) {
        if !sender.isEmpty, EmailAddress.problem(withAddress: sender) != nil {
            throw SMTPError(.invalidAddress, stage: .mail, isTransient: false, detail: "invalid envelope sender")
        }
        guard !recipients.isEmpty else {
            throw SMTPError(.invalidAddress, stage: .rcpt, isTransient: false, detail: "no recipients")
        }
        for recipient in recipients where EmailAddress.problem(withAddress: recipient) != nil {
            throw SMTPError(
                .invalidAddress,
                stage: .rcpt,
                isTransient: false,
                detail: "invalid envelope recipient \(recipient.debugDescription)"
            )
        }
    }
}

extension SMTPClient {
    /// Sends a message; the ``MailTransport`` requirement.
    public func send(_ message: EmailMessage, envelopeSender: String, recipients: [String]) async throws {
        try await self.send(message, from: envelopeSender, to: recipients)
    }
}
