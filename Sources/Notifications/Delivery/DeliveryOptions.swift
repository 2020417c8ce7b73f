import JSON

/// What a delivery takes from its topic and subscription when it is sent: the topic's
/// `DisplayName` (the e-mail's From name) and `SignatureVersion`, and the HTTP `Content-Type` of the
/// delivery policies.
public struct DeliveryOptions: Sendable, Hashable {
    /// The topic's `DisplayName`; e-mail comes from `"<DisplayName>" <sender>`, or from
    /// "AWS Notifications" without one.
    public var displayName: String?
    /// How JSON messages are signed (the topic's `SignatureVersion`).
    public var signatureVersion: SNSSignatureVersion
    /// The `Content-Type` of HTTP/HTTPS deliveries.
    public var httpContentType: String

    /// Creates options.
    public init(
        displayName: String? = nil, signatureVersion: SNSSignatureVersion = .v1,
        httpContentType: String = "text/plain; charset=UTF-8"
    ) {
        self.displayName = displayName
        self.signatureVersion = signatureVersion
        self.httpContentType = httpContentType
    }

    /// The options of a topic and subscription from their stored attributes (JSON objects of string
    /// to string, as `sns_topics.attributes` and `sns_subscriptions.attributes` hold them). Unreadable
    /// attributes count as none.
    public init(topicAttributes: String?, subscriptionAttributes: String?) {
        let topic = Self.attributes(topicAttributes)
        let policy = HTTPDeliveryPolicy.effective(
            topicDeliveryPolicy: topic["DeliveryPolicy"],
            subscriptionDeliveryPolicy: Self.attributes(subscriptionAttributes)["DeliveryPolicy"])
        self.init(topicAttributes: topic, httpPolicy: policy)
    }

    /// The options of a topic (its attributes, parsed) and of the subscription's effective HTTP/S
    /// delivery policy, if it has one.
    init(topicAttributes topic: [String: String], httpPolicy: HTTPDeliveryPolicy?) {
        self.init(
            displayName: topic["DisplayName"],
            signatureVersion: SNSSignatureVersion(topicAttribute: topic["SignatureVersion"]),
            httpContentType: httpPolicy?.headerContentType ?? HTTPDeliveryPolicy.defaultContentType)
    }

    /// A stored attribute object as a dictionary; non-string members are skipped.
    static func attributes(_ text: String?) -> [String: String] {
        guard let text, let members = (try? JSONValue.parse(text))?.members else { return [:] }
        var result: [String: String] = [:]
        for member in members {
            if let value = member.value.stringValue {
                result[member.key] = value
            }
        }
        return result
    }
}
