/// What `Publish` reads of a confirmed subscription: enough to apply its filter policy and to
/// write its delivery.
package struct StoredRecipient: Sendable, Hashable {
    /// The subscription id.
    package var id: String
    /// `email`, `email-json`, `http` or `https`.
    package var `protocol`: String
    /// The address or URL.
    package var endpoint: String
    /// The subscription's attributes (`FilterPolicy`, `FilterPolicyScope`, `RawMessageDelivery`…).
    package var attributes: [String: String]

    /// A recipient.
    package init(id: String, protocol: String, endpoint: String, attributes: [String: String]) {
        self.id = id
        self.protocol = `protocol`
        self.endpoint = endpoint
        self.attributes = attributes
    }
}
