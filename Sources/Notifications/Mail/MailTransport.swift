/// Something that takes e-mail for delivery: ``SMTPClient`` for a real server, ``OutboxDirectory`` when
/// no server is configured.
public protocol MailTransport: Sendable {
    /// Hands a message over for delivery.
    /// - Parameters:
    ///   - message: the message.
    ///   - envelopeSender: the envelope sender (SMTP MAIL FROM).
    ///   - recipients: the envelope recipients (SMTP RCPT TO).
    /// - Throws: when the message was not taken; ``SMTPError`` from ``SMTPClient`` says whether to retry.
    func send(_ message: EmailMessage, envelopeSender: String, recipients: [String]) async throws
}
