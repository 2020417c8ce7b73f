/// Why an SMTP delivery failed, and whether trying again later can help.
///
/// ``isTransient`` is what a delivery pipeline acts on: 4xx replies, refused or broken connections,
/// timeouts and TLS failures are transient; 5xx replies and problems of the message or configuration
/// are permanent. The reply code and text and the ``Stage`` tell an operator what happened.
public struct SMTPError: Error, CustomStringConvertible {
    /// What went wrong, as an opaque, extensible code.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case rejected
            case someRecipientsRejected
            case connectionFailed
            case connectionClosed
            case timeout
            case tlsFailed
            case startTLSNotOffered
            case authenticationNotOffered
            case smtpUTF8NotOffered
            case messageTooLarge
            case protocolViolation
            case invalidAddress
            case invalidConfiguration
        }

        private let base: Base

        private init(_ base: Base) {
            self.base = base
        }

        /// The server answered a command with a 4xx or 5xx reply (see ``SMTPError/replyCode``).
        public static let rejected = Code(.rejected)
        /// The message was delivered to ``SMTPError/acceptedRecipients`` but the server refused the
        /// ``SMTPError/rejectedRecipients``.
        public static let someRecipientsRejected = Code(.someRecipientsRejected)
        /// The TCP connection could not be made (refused, unreachable, name not resolved, connect timeout).
        public static let connectionFailed = Code(.connectionFailed)
        /// The server closed or reset the connection in the middle of the dialogue.
        public static let connectionClosed = Code(.connectionClosed)
        /// The server did not answer within the command timeout.
        public static let timeout = Code(.timeout)
        /// The TLS handshake failed (including an untrusted or mismatched server certificate).
        public static let tlsFailed = Code(.tlsFailed)
        /// STARTTLS is required by the configuration but the server does not offer it.
        public static let startTLSNotOffered = Code(.startTLSNotOffered)
        /// Credentials are configured but the server offers neither AUTH PLAIN nor AUTH LOGIN.
        public static let authenticationNotOffered = Code(.authenticationNotOffered)
        /// An address or the message needs SMTPUTF8 and the server does not offer it.
        public static let smtpUTF8NotOffered = Code(.smtpUTF8NotOffered)
        /// The message is larger than the SIZE the server announced.
        public static let messageTooLarge = Code(.messageTooLarge)
        /// The server sent something that is not a valid reply at this point.
        public static let protocolViolation = Code(.protocolViolation)
        /// An envelope address is malformed (checked before connecting), or there are no recipients.
        public static let invalidAddress = Code(.invalidAddress)
        /// The configuration cannot be used (for example trust roots that are not valid PEM).
        public static let invalidConfiguration = Code(.invalidConfiguration)

        public var description: String { self.base.rawValue }
    }

    /// The step of the SMTP dialogue in which the failure happened.
    public struct Stage: Hashable, Sendable, CustomStringConvertible {
        private let name: String

        private init(_ name: String) {
            self.name = name
        }

        /// Opening the TCP connection (and, with implicit TLS, the handshake).
        public static let connect = Stage("connect")
        /// Waiting for the server's 220 greeting.
        public static let greeting = Stage("greeting")
        /// EHLO (or the HELO fallback).
        public static let ehlo = Stage("ehlo")
        /// STARTTLS and the handshake that follows it.
        public static let startTLS = Stage("starttls")
        /// AUTH.
        public static let auth = Stage("auth")
        /// MAIL FROM.
        public static let mail = Stage("mail")
        /// RCPT TO.
        public static let rcpt = Stage("rcpt")
        /// DATA and the message content.
        public static let data = Stage("data")

        public var description: String { self.name }
    }

    /// A recipient the server refused at RCPT TO.
    public struct RejectedRecipient: Hashable, Sendable {
        /// The envelope address.
        public let address: String
        /// The reply code, e.g. 550 or 450.
        public let replyCode: Int
        /// The reply text.
        public let replyText: String
        /// Whether the refusal was temporary (4xx): worth trying this recipient again later.
        public var isTransient: Bool { (400..<500).contains(self.replyCode) }
    }

    /// What went wrong.
    public let code: Code
    /// Where in the dialogue it went wrong.
    public let stage: Stage
    /// Whether a later attempt may succeed; the delivery pipeline retries only these.
    public let isTransient: Bool
    /// The server's reply code, when a reply caused the failure.
    public let replyCode: Int?
    /// The server's reply text (all lines, joined by spaces), when a reply caused the failure.
    public let replyText: String?
    /// Recipients refused at RCPT TO (with ``Code/rejected`` at ``Stage/rcpt`` all of them were refused
    /// and nothing was sent; with ``Code/someRecipientsRejected`` the others got the message).
    public let rejectedRecipients: [RejectedRecipient]
    /// Recipients that accepted the message, when it was delivered to some (``Code/someRecipientsRejected``).
    public let acceptedRecipients: [String]
    /// The lower-level error (a NIO or TLS error), when there is one.
    public let underlying: (any Error)?
    /// An explanation of a problem found by the client itself (no reply involved), when there is one.
    public let detail: String?

    /// Whether the failure is final: retrying the same message will fail the same way.
    public var isPermanent: Bool { !self.isTransient }

    /// Whether the server took the message for at least one recipient despite this error.
    public var messageAccepted: Bool { self.code == .someRecipientsRejected }

    init(
        _ code: Code,
        stage: Stage,
        isTransient: Bool,
        reply: SMTPReply? = nil,
        rejectedRecipients: [RejectedRecipient] = [],
        acceptedRecipients: [String] = [],
        underlying: (any Error)? = nil,
        detail: String? = nil
    ) {
        self.code = code
        self.stage = stage
        self.isTransient = isTransient
        self.replyCode = reply?.code
        self.replyText = reply?.text
        self.rejectedRecipients = rejectedRecipients
        self.acceptedRecipients = acceptedRecipients
        self.underlying = underlying
        self.detail = detail
    }

    /// A failure reply: transient when 4xx, permanent when 5xx.
    static func rejected(_ reply: SMTPReply, stage: Stage) -> SMTPError {
        SMTPError(.rejected, stage: stage, isTransient: !reply.isPermanentFailure, reply: reply)
    }

    public var description: String {
        var text = "SMTP \(self.code) at \(self.stage) (\(self.isTransient ? "transient" : "permanent"))"
        if let replyCode, let replyText {
            text += ": \(replyCode) \(replyText)"
        }
        if let detail {
            text += ": \(detail)"
        }
        if !self.rejectedRecipients.isEmpty {
            text +=
                "; rejected "
                + self.rejectedRecipients.map { "\($0.address) (\($0.replyCode))" }.joined(separator: ", ")
        }
        if let underlying {
            text += "; \(underlying)"
        }
        return text
    }
}
