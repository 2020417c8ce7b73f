/// A row of `sns_topics`.
package struct StoredTopic: Sendable, Hashable {
    /// The topic name (the last part of its ARN).
    package var name: String
    /// The attributes set on the topic (`DisplayName`, `Policy`, `DeliveryPolicy`…), as given;
    /// computed attributes (`TopicArn`, counts, defaults) are not stored.
    package var attributes: [String: String]
    /// When it was created, in milliseconds since 1970.
    package var created: Int64

    /// A row.
    package init(name: String, attributes: [String: String] = [:], created: Int64) {
        self.name = name
        self.attributes = attributes
        self.created = created
    }
}
