/// A row of `sns_subscriptions`.
package struct StoredSubscription: Sendable, Hashable {
    /// The id: the UUID at the end of the subscription ARN.
    package var id: String
    /// The name of its topic.
    package var topicName: String
    /// `email`, `email-json`, `http` or `https`.
    package var `protocol`: String
    /// The address or URL.
    package var endpoint: String
    /// Whether the endpoint's owner confirmed it.
    package var isConfirmed: Bool
    /// The confirmation token sent by `Subscribe` (kept after confirmation: confirming again
    /// with it answers the same subscription until it expires).
    package var token: String?
    /// When the token stops being accepted, in milliseconds since 1970.
    package var tokenExpires: Int64?
    /// The attributes set on it (`FilterPolicy`, `FilterPolicyScope`, `RawMessageDelivery`,
    /// `DeliveryPolicy`, `ConfirmationWasAuthenticated`…).
    package var attributes: [String: String]
    /// When it was created, in milliseconds since 1970.
    package var created: Int64

    /// A row.
    package init(
        id: String, topicName: String, protocol: String, endpoint: String, isConfirmed: Bool, token: String?,
        tokenExpires: Int64?, attributes: [String: String] = [:], created: Int64
    ) {
        self.id = id
        self.topicName = topicName
        self.protocol = `protocol`
        self.endpoint = endpoint
        self.isConfirmed = isConfirmed
        self.token = token
        self.tokenExpires = tokenExpires
        self.attributes = attributes
        self.created = created
    }
}
