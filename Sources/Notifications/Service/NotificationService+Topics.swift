extension NotificationService {
    /// The longest topic name.
    static let maximumTopicNameLength = 256

    /// `CreateTopic`. Idempotent: creating a topic that exists answers its ARN, unless the
    /// request's attributes or tags contradict the topic's.
    ///
    /// - Parameters:
    ///   - name: 1–256 characters of `[A-Za-z0-9_-]`.
    ///   - attributes: `DisplayName`, `Policy`, `DeliveryPolicy`, `SignatureVersion`,
    ///     `TracingConfig`, `KmsMasterKeyId`, the delivery-status feedback attributes;
    ///     `FifoTopic=true` is refused (FIFO topics are not supported).
    ///   - tags: Up to 50, keys unique.
    ///   - dataProtectionPolicy: Refused (not supported).
    /// - Returns: The topic ARN.
    /// - Throws: `InvalidParameter` (name, attributes, "already exists with different …");
    ///   `TagLimitExceeded`.
    @discardableResult
    public func createTopic(
        name: String, attributes: [String: String] = [:], tags: [Tag] = [], dataProtectionPolicy: String? = nil
    ) async throws -> String {
        if attributes["FifoTopic"]?.lowercased() == "true" || name.hasSuffix(".fifo") {
            throw TopicAttributes.Problem.fifo.error(creating: true)
        }
        guard Self.isValidTopicName(name) else {
            throw NotificationError.invalidParameter("Invalid parameter: Topic Name")
        }
        if dataProtectionPolicy != nil {
            throw NotificationError.invalidParameter(
                "Invalid parameter: DataProtectionPolicy Reason: data protection policies are not supported by Thingport"
            )
        }
        var stored: [String: String] = [:]
        for key in attributes.keys.sorted() {
            do {
                if let value = try TopicAttributes.validate(name: key, value: attributes[key]!) {
                    stored[key] = value
                }
            } catch {
                throw error.error(creating: true)
            }
        }
        try Self.checkTags(tags)
        let arn = topicArn(name)
        let created = try await store.write { tables in
            if let existing = try await tables.topic(named: name) {
                for (key, value) in stored {
                    let current =
                        existing.attributes[key]
                        ?? TopicAttributes.defaultValue(of: key, topicArn: arn, accountId: accountId)
                    if current != value {
                        throw NotificationError.invalidParameter(
                            "Invalid parameter: Attributes Reason: Topic already exists with different attributes")
                    }
                }
                let existingTags = Dictionary(
                    try await tables.tags(ofTopic: name).map { ($0.key, $0.value) }, uniquingKeysWith: { $1 })
                if tags.contains(where: { existingTags[$0.key] != $0.value }) {
                    throw NotificationError.invalidParameter(
                        "Invalid parameter: Tags Reason: Topic already exists with different tags")
                }
                return false
            }
            try await tables.insertTopic(StoredTopic(name: name, attributes: stored, created: now()))
            try await tables.setTags(ofTopic: name, tags.map { ($0.key, $0.value) })
            return true
        }
        if created { logger.debug("Topic created", metadata: ["sns.topic": "\(name)"]) }
        return arn
    }

    /// `DeleteTopic`: the topic, its tags and its subscriptions. Idempotent: deleting a topic
    /// that does not exist succeeds, as AWS.
    ///
    /// - Throws: `InvalidParameter` for a malformed ARN; `AuthorizationError` for another
    ///   account's topic.
    public func deleteTopic(topicArn: String) async throws {
        let name = try topicName(fromArn: topicArn, action: "DeleteTopic")
        let existed = try await store.write { try await $0.deleteTopic(name) }
        if existed { logger.debug("Topic deleted", metadata: ["sns.topic": "\(name)"]) }
    }

    /// `ListTopics`: topic ARNs by name, 100 per page.
    ///
    /// - Throws: `InvalidParameter` for a `NextToken` this service did not make.
    public func listTopics(nextToken: String? = nil) async throws -> Page<String> {
        let after = try PageToken.decode(nextToken)
        let rows = try await store.read { try await $0.topics(after: after, limit: PageToken.pageSize + 1) }
        return PageToken.page(rows, key: \.name, item: { topicArn($0.name) })
    }

    /// `GetTopicAttributes`: the attributes set on the topic and the ones SNS computes
    /// (`TopicArn`, `Owner`, `Policy` (the default one unless set), `DisplayName`,
    /// `SubscriptionsConfirmed`, `SubscriptionsPending`, `SubscriptionsDeleted`,
    /// `EffectiveDeliveryPolicy`).
    ///
    /// - Throws: `NotFound`; `InvalidParameter`; `AuthorizationError`.
    public func getTopicAttributes(topicArn: String) async throws -> [String: String] {
        let name = try topicName(fromArn: topicArn, action: "GetTopicAttributes")
        let (topic, counts) = try await store.read { tables in
            guard let topic = try await tables.topic(named: name) else { throw NotificationError.topicNotFound }
            return (topic, try await tables.subscriptionCounts(topic: name))
        }
        let arn = self.topicArn(name)
        var attributes = topic.attributes
        attributes["TopicArn"] = arn
        attributes["Owner"] = accountId
        attributes["DisplayName"] = topic.attributes["DisplayName"] ?? ""
        attributes["Policy"] =
            topic.attributes["Policy"] ?? TopicAttributes.defaultPolicy(topicArn: arn, accountId: accountId)
        attributes["SubscriptionsConfirmed"] = String(counts.confirmed)
        attributes["SubscriptionsPending"] = String(counts.pending)
        // Unsubscribing deletes at once here; AWS counts deletions it has not finished yet.
        attributes["SubscriptionsDeleted"] = "0"
        attributes["EffectiveDeliveryPolicy"] = HTTPDeliveryPolicy.topicAttributeText(
            topic.attributes["DeliveryPolicy"])
        return attributes
    }

    /// `SetTopicAttributes`: sets one attribute (an empty `Policy` or `DeliveryPolicy` goes back
    /// to the default).
    ///
    /// - Throws: `InvalidParameter` (`Invalid parameter: AttributeName` for an attribute a
    ///   standard topic does not have); `NotFound`; `AuthorizationError`.
    public func setTopicAttributes(topicArn: String, attributeName: String, attributeValue: String?) async throws {
        let name = try topicName(fromArn: topicArn, action: "SetTopicAttributes")
        let value: String?
        do throws(TopicAttributes.Problem) {
            guard attributeName != "FifoTopic" else { throw TopicAttributes.Problem.unknownName(attributeName) }
            value = try TopicAttributes.validate(name: attributeName, value: attributeValue ?? "")
        } catch {
            throw error.error(creating: false)
        }
        try await store.write { tables in
            guard var topic = try await tables.topic(named: name) else { throw NotificationError.topicNotFound }
            topic.attributes[attributeName] = value
            try await tables.updateTopicAttributes(name, topic.attributes)
        }
        logger.debug("Topic attribute set", metadata: ["sns.topic": "\(name)", "sns.attribute": "\(attributeName)"])
    }

    /// Whether `name` is a standard topic name: 1–256 of `[A-Za-z0-9_-]`.
    static func isValidTopicName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= maximumTopicNameLength
            && name.utf8.allSatisfy { byte in
                (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
                    || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                    || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
                    || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
            }
    }
}
