import AWSWire
import Foundation

extension NotificationService {
    /// The most entries of a `PublishBatch`.
    static let maximumBatchEntries = 10
    /// The longest `PublishBatch` entry id.
    static let maximumBatchEntryIdLength = 80

    /// `Publish`: accepts a message for every confirmed subscription of the topic whose filter
    /// policy lets it through, writing their deliveries in one transaction before answering,
    /// then wakes the pipeline.
    ///
    /// - Returns: The message id.
    /// - Throws: `InvalidParameter` (missing target, phone numbers, subject, empty or too long
    ///   message, message structure, FIFO parameters); `ParameterValueInvalid` (attributes);
    ///   `NotFound`; `AuthorizationError`.
    public func publish(_ request: PublishRequest) async throws -> String {
        try PublishedMessage.checkContent(message: request.message, subject: request.subject)
        if request.phoneNumber != nil {
            throw NotificationError.invalidParameter(
                "Invalid parameter: PhoneNumber Reason: Thingport does not send SMS messages")
        }
        let (parameter, target) = try Self.target(topicArn: request.topicArn, targetArn: request.targetArn)
        let message = try PublishedMessage(
            messageId: Self.newId(), message: request.message, subject: request.subject,
            messageStructure: request.messageStructure, attributes: request.messageAttributes)
        try Self.checkStandardTopicParameters(deduplicationId: request.messageDeduplicationId)
        let topicName = try topicName(fromArn: target, parameter: parameter, action: "Publish")
        try await fanOut([message], topicName: topicName)
        return message.messageId
    }

    /// `PublishBatch`: up to 10 messages to one topic. Entries with a bad subject or an empty or
    /// too long message are reported in ``BatchResult/failed``; bad message attributes or
    /// message structures fail the whole request, as AWS. The deliveries of every published
    /// entry are written in one transaction.
    ///
    /// - Throws: `EmptyBatchRequest`, `TooManyEntriesInBatchRequest`,
    ///   `BatchEntryIdsNotDistinct`, `InvalidBatchEntryId`, `BatchRequestTooLong`;
    ///   `ParameterValueInvalid`; `InvalidParameter`; `NotFound`; `AuthorizationError`.
    public func publishBatch(topicArn: String, entries: [BatchEntry]) async throws -> BatchResult {
        let topicName = try topicName(fromArn: topicArn, action: "Publish")
        guard !entries.isEmpty else {
            throw NotificationError(
                code: .emptyBatchRequest, message: "The batch request doesn't contain any entries.")
        }
        guard entries.count <= Self.maximumBatchEntries else {
            throw NotificationError(
                code: .tooManyEntriesInBatchRequest,
                message: "The batch request contains more entries than permissible.")
        }
        guard Set(entries.map(\.id)).count == entries.count else {
            throw NotificationError(
                code: .batchEntryIdsNotDistinct, message: "Two or more batch entries in the request have the same Id.")
        }
        for entry in entries where !Self.isValidBatchEntryId(entry.id) {
            throw NotificationError(
                code: .invalidBatchEntryId,
                message: "A batch entry id can only contain alphanumeric characters, hyphens and underscores. "
                    + "It can be at most \(Self.maximumBatchEntryIdLength) letters long.")
        }
        let total = entries.reduce(0) {
            $0 + PublishedMessage.size(message: $1.message, attributes: $1.messageAttributes)
        }
        guard total <= PublishedMessage.maximumSize else {
            throw NotificationError(
                code: .batchRequestTooLong,
                message: "The length of all the messages put together is more than the limit.")
        }
        var messages: [PublishedMessage] = []
        var result = BatchResult(successful: [], failed: [])
        for entry in entries {
            try PublishedMessage.checkAttributes(entry.messageAttributes)
            _ = try PublishedMessage.texts(message: entry.message, structure: entry.messageStructure)
            try Self.checkStandardTopicParameters(deduplicationId: entry.messageDeduplicationId)
            do {
                let message = try PublishedMessage(
                    messageId: Self.newId(), message: entry.message, subject: entry.subject,
                    messageStructure: entry.messageStructure, attributes: entry.messageAttributes)
                messages.append(message)
                result.successful.append(BatchResult.Success(id: entry.id, messageId: message.messageId))
            } catch {
                result.failed.append(
                    BatchResult.Failure(
                        id: entry.id, code: error.code.rawValue, message: error.message, senderFault: true))
            }
        }
        try await fanOut(messages, topicName: topicName)
        return result
    }

    // MARK: Fan-out

    /// Writes, in one transaction, a delivery of each message to each confirmed subscription of
    /// the topic whose filter policy matches it; then wakes the pipeline.
    ///
    /// - Throws: `NotFound` when the topic does not exist (nothing is written).
    func fanOut(_ messages: [PublishedMessage], topicName: String) async throws {
        let now = self.now()
        let timestamp = AWSTimestamp.iso8601(Date(millisecondsSince1970: now))
        let topicArn = topicArn(topicName)
        let subscriptionArnPrefix = topicArn + ":"
        let written = try await store.write { tables in
            guard try await tables.topicExists(topicName) else { throw NotificationError.topicNotFound }
            let subscriptions = try await tables.recipients(topic: topicName)
            guard !subscriptions.isEmpty else { return 0 }
            var deliveries: [StoredDelivery] = []
            for message in messages {
                var filter = MessageFilter(message: message)
                for subscription in subscriptions where accepts(subscription, &filter) {
                    let payload = DeliveryPayload(
                        kind: .notification, messageId: message.messageId, topicArn: topicArn,
                        subject: message.subject, message: message.text(for: subscription.protocol),
                        messageAttributes: message.deliveredAttributes, timestamp: timestamp,
                        subscriptionArn: subscriptionArnPrefix + subscription.id,
                        protocol: subscription.protocol, endpoint: subscription.endpoint,
                        rawMessageDelivery: subscription.attributes["RawMessageDelivery"] == "true"
                            && SubscriptionAttributes.httpProtocols.contains(subscription.protocol))
                    deliveries.append(
                        StoredDelivery(
                            id: deliveryIds.next(now: now), subscriptionId: subscription.id, payload: payload, now: now)
                    )
                }
            }
            try await tables.insertDeliveries(deliveries)
            return deliveries.count
        }
        if written > 0 { wakeDeliveries() }
        logger.trace(
            "Published",
            metadata: [
                "sns.topic": "\(topicName)", "sns.messages": "\(messages.count)",
                "sns.deliveries": "\(written)",
            ])
    }

    /// Whether `subscription`'s filter policy lets the message through (no policy: yes).
    private func accepts(_ subscription: StoredRecipient, _ filter: inout MessageFilter) -> Bool {
        guard let json = subscription.attributes["FilterPolicy"] else { return true }
        let scope = SubscriptionAttributes.scope(subscription.attributes)
        do {
            let policy = try filterPolicies.policy(json, scope: scope)
            return filter.passes(policy, protocol: subscription.protocol)
        } catch {
            // Stored policies were checked when set; one that no longer compiles lets nothing through.
            logger.warning(
                "Stored filter policy does not compile", metadata: ["sns.subscription": "\(subscription.id)"])
            return false
        }
    }

    // MARK: Checks

    /// The member naming the topic and its value: `TopicArn` or `TargetArn` (the same topic if
    /// both).
    static func target(topicArn: String?, targetArn: String?) throws(NotificationError) -> (String, String) {
        switch (topicArn, targetArn) {
        case (let topic?, nil): return ("TopicArn", topic)
        case (nil, let target?):
            if target.contains(":endpoint/") {
                throw .invalidParameter(
                    "Invalid parameter: TargetArn Reason: No endpoint found for the target arn specified")
            }
            return ("TargetArn", target)
        case (let topic?, let target?) where topic == target: return ("TopicArn", topic)
        case (_?, _?):
            throw .invalidParameter(
                "Invalid parameter: TopicArn or TargetArn Reason: Only one of TopicArn and TargetArn may be given")
        case (nil, nil):
            throw .invalidParameter("Invalid parameter: TopicArn or TargetArn Reason: no value for required parameter")
        }
    }

    /// FIFO-only parameters on a standard topic (every Thingport topic).
    static func checkStandardTopicParameters(deduplicationId: String?) throws(NotificationError) {
        if deduplicationId != nil {
            throw .invalidParameter(
                "Invalid parameter: MessageDeduplicationId Reason: The request includes MessageDeduplicationId "
                    + "parameter that is not valid for this topic type")
        }
    }

    static func isValidBatchEntryId(_ id: String) -> Bool {
        !id.isEmpty && id.utf8.count <= maximumBatchEntryIdLength
            && id.utf8.allSatisfy { byte in
                (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
                    || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                    || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
                    || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
            }
    }
}

/// What filter policies see of one message, built once per message and reused for every
/// subscription.
struct MessageFilter {
    let message: PublishedMessage
    private var attributes: FilterPolicy.Input?
    private var bodies: [String: FilterPolicy.Input] = [:]

    init(message: PublishedMessage) {
        self.message = message
    }

    /// Whether `policy` lets the message through to a subscription over `protocol` (a body
    /// policy sees that protocol's text).
    mutating func passes(_ policy: FilterPolicy, protocol: String) -> Bool {
        switch policy.scope {
        case .messageAttributes:
            if attributes == nil { attributes = FilterPolicy.Input(attributes: message.attributes) }
            return policy.matches(attributes!)
        case .messageBody:
            let text = message.text(for: `protocol`)
            if let input = bodies[text] { return policy.matches(input) }
            let input = FilterPolicy.Input(body: text)
            bodies[text] = input
            return policy.matches(input)
        }
    }
}
