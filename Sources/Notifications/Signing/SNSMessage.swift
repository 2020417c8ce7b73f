/// One SNS JSON message as an HTTP/HTTPS or `email-json` subscriber receives it: a `Notification`,
/// a `SubscriptionConfirmation` or an `UnsubscribeConfirmation`.
///
/// ``SNSMessageSigner/sign(_:version:)`` fills ``signatureVersion`` and ``signature``;
/// ``jsonText()`` writes the document in the layout and member order AWS sends.
public struct SNSMessage: Sendable, Hashable {
    /// The `Type` member.
    public enum MessageType: String, Sendable, Hashable, CaseIterable {
        /// A published message.
        case notification = "Notification"
        /// The confirmation request of a new subscription.
        case subscriptionConfirmation = "SubscriptionConfirmation"
        /// The notice that a subscription was deleted.
        case unsubscribeConfirmation = "UnsubscribeConfirmation"
    }

    /// `Type`.
    public var type: MessageType
    /// `MessageId`, a UUID (the original one on every retry).
    public var messageId: String
    /// `Token` (confirmations only).
    public var token: String?
    /// `TopicArn`.
    public var topicArn: String
    /// `Subject` (notifications only, when the publisher gave one; an empty subject counts as none).
    public var subject: String?
    /// `Message`.
    public var message: String
    /// `SubscribeURL` (confirmations only).
    public var subscribeURL: String?
    /// `Timestamp`, ISO 8601 with milliseconds.
    public var timestamp: String
    /// `SignatureVersion`.
    public var signatureVersion: SNSSignatureVersion
    /// `Signature`, base64; empty until signed.
    public var signature: String
    /// `SigningCertURL`.
    public var signingCertURL: String
    /// `UnsubscribeURL` (notifications only).
    public var unsubscribeURL: String?
    /// `MessageAttributes` (notifications only; omitted from the document when empty).
    public var messageAttributes: [String: DeliveryPayload.MessageAttribute]

    /// Creates an unsigned message.
    public init(
        type: MessageType, messageId: String, token: String? = nil, topicArn: String, subject: String? = nil,
        message: String, subscribeURL: String? = nil, timestamp: String,
        signatureVersion: SNSSignatureVersion = .v1, signature: String = "", signingCertURL: String,
        unsubscribeURL: String? = nil, messageAttributes: [String: DeliveryPayload.MessageAttribute] = [:]
    ) {
        self.type = type
        self.messageId = messageId
        self.token = token
        self.topicArn = topicArn
        self.subject = subject
        self.message = message
        self.subscribeURL = subscribeURL
        self.timestamp = timestamp
        self.signatureVersion = signatureVersion
        self.signature = signature
        self.signingCertURL = signingCertURL
        self.unsubscribeURL = unsubscribeURL
        self.messageAttributes = messageAttributes
    }

    /// The subject when there is one: `nil` for an absent or empty subject.
    var presentSubject: String? {
        guard let subject, !subject.isEmpty else { return nil }
        return subject
    }
}
