/// One delivery as the store keeps it (`sns_deliveries.payload`, JSON): everything the
/// delivery pipeline needs to render and send it, copied from the message and the
/// subscription when it was written, so that it is delivered as it was accepted.
public struct DeliveryPayload: Sendable, Hashable, Codable {
    /// What is delivered.
    public enum Kind: String, Sendable, Hashable, Codable {
        /// A published message.
        case notification
        /// The `SubscriptionConfirmation` of a new subscription.
        case confirmation
    }

    /// A message attribute as SNS's notification JSON shows it.
    public struct MessageAttribute: Sendable, Hashable, Codable {
        /// `String`, `Number`, `String.Array` or `Binary`.
        public var type: String
        /// The value (base64 for `Binary`).
        public var value: String

        enum CodingKeys: String, CodingKey {
            case type = "Type"
            case value = "Value"
        }

        public init(type: String, value: String) {
            self.type = type
            self.value = value
        }
    }

    /// Notification or confirmation.
    public var kind: Kind
    /// The message id (a UUID), also of a confirmation.
    public var messageId: String
    /// The topic ARN.
    public var topicArn: String
    /// The subject, if the publisher gave one.
    public var subject: String?
    /// The text for this subscription's protocol (with `MessageStructure=json`, its own entry
    /// or `default`); for a confirmation, AWS's "You have chosen to subscribe…" text.
    public var message: String
    /// The message attributes.
    public var messageAttributes: [String: MessageAttribute]
    /// When SNS accepted the message: ISO 8601 with milliseconds, `2026-11-27T03:40:00.123Z`.
    public var timestamp: String
    /// The confirmation token (confirmations only).
    public var token: String?
    /// The subscription ARN.
    public var subscriptionArn: String
    /// `email`, `email-json`, `http` or `https`.
    public var `protocol`: String
    /// The address or URL.
    public var endpoint: String
    /// `RawMessageDelivery` of the subscription (http/https only).
    public var rawMessageDelivery: Bool

    /// Creates a payload.
    public init(
        kind: Kind, messageId: String, topicArn: String, subject: String? = nil, message: String,
        messageAttributes: [String: MessageAttribute] = [:], timestamp: String, token: String? = nil,
        subscriptionArn: String, protocol: String, endpoint: String, rawMessageDelivery: Bool = false
    ) {
        self.kind = kind
        self.messageId = messageId
        self.topicArn = topicArn
        self.subject = subject
        self.message = message
        self.messageAttributes = messageAttributes
        self.timestamp = timestamp
        self.token = token
        self.subscriptionArn = subscriptionArn
        self.protocol = `protocol`
        self.endpoint = endpoint
        self.rawMessageDelivery = rawMessageDelivery
    }
}
