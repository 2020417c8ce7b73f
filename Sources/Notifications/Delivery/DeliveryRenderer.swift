import Foundation

/// Turns a stored ``DeliveryPayload`` into what is sent, in AWS's formats:
///
/// - `email`: a plain-text e-mail: for a notification the message with AWS's unsubscribe footer, for
///   a confirmation AWS's "You have chosen to subscribe…" text with the confirmation link;
/// - `email-json`: an e-mail whose body is the signed JSON message (``SNSMessage/jsonText()``);
/// - `http`/`https`: a POST of the signed JSON message with the `x-amz-sns-*` headers, or of the bare
///   message with raw message delivery.
public struct DeliveryRenderer: Sendable {
    /// The default sender of e-mail deliveries.
    public static let defaultSenderAddress = "no-reply@sns.thingport.local"
    /// The From name when the topic has no `DisplayName`.
    public static let defaultDisplayName = "AWS Notifications"
    /// The Subject of a notification e-mail published without a subject.
    public static let defaultSubject = "AWS Notification Message"
    /// The Subject of a confirmation e-mail.
    public static let confirmationSubject = "AWS Notification - Subscription Confirmation"
    /// The `User-Agent` of HTTP deliveries.
    public static let userAgent = "Amazon Simple Notification Service Agent"

    /// Signs JSON messages.
    public let signer: SNSMessageSigner
    /// Builds the links.
    public let links: DeliveryLinks
    /// The envelope sender and From address of e-mail.
    public let senderAddress: String
    /// Where the e-mail footer tells readers to turn with questions; `nil` leaves that sentence out.
    public let supportContact: String?

    /// Creates a renderer.
    /// - Parameters:
    ///   - signer: signs JSON messages.
    ///   - links: builds `SubscribeURL`, `UnsubscribeURL` and `SigningCertURL`.
    ///   - senderAddress: the e-mail sender, by default ``defaultSenderAddress``.
    ///   - supportContact: a URL or address for AWS's "If you have any questions or comments regarding
    ///     this email, please contact us at …" footer sentence; `nil` (the default) leaves the sentence
    ///     out, since AWS's support address would be wrong for Thingport.
    /// - Throws: ``EmailValidationError`` when `senderAddress` is not a valid address.
    public init(
        signer: SNSMessageSigner, links: DeliveryLinks, senderAddress: String = DeliveryRenderer.defaultSenderAddress,
        supportContact: String? = nil
    ) throws(EmailValidationError) {
        _ = try EmailAddress(senderAddress)
        self.signer = signer
        self.links = links
        self.senderAddress = senderAddress
        self.supportContact = supportContact
    }

    /// Renders one delivery.
    /// - Parameters:
    ///   - payload: the stored delivery.
    ///   - options: the topic's and subscription's settings now.
    ///   - date: the e-mail's `Date`.
    /// - Throws: ``DeliveryRenderError`` (unknown protocol, confirmation without token),
    ///   ``EmailValidationError`` (an endpoint that is no e-mail address) or ``SNSSigningError``:
    ///   all mean the delivery can never succeed.
    public func render(_ payload: DeliveryPayload, options: DeliveryOptions, date: Date) throws -> RenderedDelivery {
        switch payload.protocol {
        case "email":
            return try self.renderEmail(payload, options: options, date: date, json: false)
        case "email-json":
            return try self.renderEmail(payload, options: options, date: date, json: true)
        case "http", "https":
            return .http(try self.renderHTTP(payload, options: options))
        default:
            throw DeliveryRenderError("protocol '\(payload.protocol)' cannot be delivered")
        }
    }

    /// The signed JSON message of a delivery: a `Notification`, or a `SubscriptionConfirmation` with
    /// its `SubscribeURL`.
    /// - Throws: ``DeliveryRenderError`` for a confirmation without token, ``SNSSigningError``.
    public func message(for payload: DeliveryPayload, version: SNSSignatureVersion) throws -> SNSMessage {
        let message: SNSMessage
        switch payload.kind {
        case .notification:
            message = SNSMessage(
                type: .notification, messageId: payload.messageId, topicArn: payload.topicArn,
                subject: payload.subject, message: payload.message, timestamp: payload.timestamp,
                signingCertURL: self.links.signingCertURL,
                unsubscribeURL: self.links.unsubscribeURL(subscriptionArn: payload.subscriptionArn),
                messageAttributes: payload.messageAttributes)
        case .confirmation:
            guard let token = payload.token, !token.isEmpty else {
                throw DeliveryRenderError("confirmation \(payload.messageId) has no token")
            }
            message = SNSMessage(
                type: .subscriptionConfirmation, messageId: payload.messageId, token: token,
                topicArn: payload.topicArn, message: payload.message,
                subscribeURL: self.links.subscribeURL(topicArn: payload.topicArn, token: token),
                timestamp: payload.timestamp, signingCertURL: self.links.signingCertURL)
        }
        return try self.signer.sign(message, version: version)
    }
}
