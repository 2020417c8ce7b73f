import AWSWire
import Foundation

extension NotificationService {
    /// The protocols Thingport delivers to.
    static let supportedProtocols: Set<String> = ["email", "email-json", "http", "https"]
    /// The other protocols Amazon SNS knows.
    static let otherAWSProtocols: Set<String> = ["sms", "sqs", "application", "lambda", "firehose"]
    /// What `Subscribe` answers for a subscription waiting for confirmation.
    public static let pendingConfirmation = "pending confirmation"

    /// `Subscribe`: a subscription of `endpoint` to the topic, waiting for the endpoint's owner
    /// to confirm it. Writes the confirmation delivery (an e-mail, or the
    /// `SubscriptionConfirmation` JSON) with a token valid for
    /// ``Configuration/confirmationTokenLifetime``, and wakes the pipeline.
    ///
    /// Subscribing an endpoint that is already subscribed answers the existing subscription (and
    /// sends the confirmation again while it is pending), unless the attributes differ.
    ///
    /// - Parameters:
    ///   - protocol: `email`, `email-json`, `http` or `https`.
    ///   - endpoint: An e-mail address, or an `http://` / `https://` URL.
    ///   - attributes: `FilterPolicy`, `FilterPolicyScope`, `RawMessageDelivery` (http/https),
    ///     `DeliveryPolicy` (http/https).
    ///   - returnSubscriptionArn: Answer the ARN even while confirmation is pending.
    /// - Returns: The subscription ARN, or ``pendingConfirmation``.
    /// - Throws: `NotFound`; `InvalidParameter` (protocol, endpoint, attributes, filter policy);
    ///   `AuthorizationError`.
    public func subscribe(
        topicArn: String, protocol: String, endpoint: String?, attributes: [String: String] = [:],
        returnSubscriptionArn: Bool = false
    ) async throws -> String {
        let topicName = try topicName(fromArn: topicArn, action: "Subscribe")
        try Self.checkProtocol(`protocol`)
        let endpoint = try Self.checkEndpoint(endpoint, protocol: `protocol`)
        let requested: [String: String]
        do {
            requested = try SubscriptionAttributes.applying(attributes, to: [:], protocol: `protocol`)
        } catch {
            throw error.error(subscribing: true)
        }
        let now = self.now()
        let expires = now + Self.milliseconds(configuration.confirmationTokenLifetime)
        let subscription = try await store.write { tables in
            guard try await tables.topicExists(topicName) else { throw NotificationError.topicNotFound }
            if var existing = try await tables.subscription(topic: topicName, protocol: `protocol`, endpoint: endpoint)
            {
                if requested.contains(where: { existing.attributes[$0.key] != $0.value }) {
                    throw NotificationError.invalidParameter(
                        "Invalid parameter: Attributes Reason: Subscription already exists with different attributes")
                }
                if !existing.isConfirmed {
                    // Send the confirmation again; the token stays, so an earlier link works too.
                    existing.token = existing.token ?? Self.newToken()
                    existing.tokenExpires = expires
                    try await tables.updateSubscription(existing)
                    try await tables.insertDeliveries([confirmationDelivery(for: existing, now: now)])
                }
                return existing
            }
            let subscription = StoredSubscription(
                id: Self.newId(), topicName: topicName, protocol: `protocol`, endpoint: endpoint, isConfirmed: false,
                token: Self.newToken(), tokenExpires: expires, attributes: requested, created: now)
            try await tables.insertSubscription(subscription)
            try await tables.insertDeliveries([confirmationDelivery(for: subscription, now: now)])
            return subscription
        }
        if !subscription.isConfirmed {
            wakeDeliveries()
            logger.debug(
                "Subscription pending confirmation",
                metadata: ["sns.topic": "\(topicName)", "sns.subscription": "\(subscription.id)"])
        }
        let arn = subscriptionArn(topic: topicName, id: subscription.id)
        return subscription.isConfirmed || returnSubscriptionArn ? arn : Self.pendingConfirmation
    }

    /// `ConfirmSubscription`, from the API or from the link in a confirmation (unsigned).
    ///
    /// The token stays valid until it expires: confirming again (a confirmation link opened
    /// twice) answers the same subscription ARN and changes nothing, as AWS.
    ///
    /// - Parameters:
    ///   - token: The token of the confirmation delivery.
    ///   - authenticateOnUnsubscribe: Whether only signed requests may unsubscribe it (honoured
    ///     only when `authenticated`).
    ///   - authenticated: Whether the request was signed (`ConfirmationWasAuthenticated`).
    /// - Returns: The subscription ARN.
    /// - Throws: `InvalidParameter`: `Invalid parameter: Token` for a token this topic did not
    ///   issue (or a topic that does not exist), `Invalid token` for text that is not a token,
    ///   and a reason for an expired token; `AuthorizationError`.
    public func confirmSubscription(
        topicArn: String, token: String, authenticateOnUnsubscribe: Bool = false, authenticated: Bool = true
    ) async throws -> String {
        let topicName: String
        switch Result(catching: { () throws(NotificationError) in
            try self.topicName(fromArn: topicArn, action: "ConfirmSubscription")
        }) {
        case .success(let name): topicName = name
        case .failure(let error) where error.code == .invalidParameter:
            throw NotificationError.invalidParameter("Invalid parameter: Topic")
        case .failure(let error): throw error
        }
        guard Self.isWellFormedToken(token) else { throw NotificationError.invalidParameter("Invalid token") }
        let now = self.now()
        let subscription = try await store.write { tables in
            guard try await tables.topicExists(topicName),
                var subscription = try await tables.subscription(topic: topicName, token: token)
            else {
                throw NotificationError.invalidParameter("Invalid parameter: Token")
            }
            if let expires = subscription.tokenExpires, now > expires {
                throw NotificationError.invalidParameter("Invalid parameter: Token Reason: Token expired")
            }
            // Already confirmed with this token: the same answer, and the first confirmation's
            // attributes stay.
            if subscription.isConfirmed { return subscription }
            subscription.isConfirmed = true
            subscription.attributes[SubscriptionAttributes.confirmationWasAuthenticated] = String(authenticated)
            if authenticated && authenticateOnUnsubscribe {
                subscription.attributes[SubscriptionAttributes.authenticateOnUnsubscribe] = "true"
            }
            try await tables.updateSubscription(subscription)
            return subscription
        }
        logger.debug(
            "Subscription confirmed", metadata: ["sns.topic": "\(topicName)", "sns.subscription": "\(subscription.id)"])
        return subscriptionArn(topic: topicName, id: subscription.id)
    }

    /// `Unsubscribe`, from the API or from the link in every delivery (unsigned). Idempotent:
    /// unsubscribing a subscription that does not exist succeeds, as AWS.
    ///
    /// - Parameter authenticated: Whether the request was signed; a subscription confirmed
    ///   with `AuthenticateOnUnsubscribe` refuses unsigned requests.
    /// - Throws: `InvalidParameter` for a malformed ARN; `AuthorizationError`.
    public func unsubscribe(subscriptionArn: String, authenticated: Bool = true) async throws {
        let reference = try subscriptionReference(fromArn: subscriptionArn, action: "Unsubscribe")
        let deleted = try await store.write { tables in
            guard let subscription = try await tables.subscription(id: reference.id),
                subscription.topicName == reference.topicName
            else { return false }
            if !authenticated, subscription.attributes[SubscriptionAttributes.authenticateOnUnsubscribe] == "true" {
                throw NotificationError(
                    code: .authorizationError,
                    message: "Unsubscribing this subscription requires an authenticated (signed) request")
            }
            return try await tables.deleteSubscription(id: reference.id)
        }
        if deleted { logger.debug("Unsubscribed", metadata: ["sns.subscription": "\(reference.id)"]) }
    }

    /// `ListSubscriptions`: every subscription, 100 per page.
    ///
    /// - Throws: `InvalidParameter` for a bad `NextToken`.
    public func listSubscriptions(nextToken: String? = nil) async throws -> Page<Subscription> {
        let after = try PageToken.decode(nextToken)
        let rows = try await store.read { try await $0.subscriptions(after: after, limit: PageToken.pageSize + 1) }
        return PageToken.page(rows, key: \.id, item: subscription(from:))
    }

    /// `ListSubscriptionsByTopic`: the topic's subscriptions, 100 per page.
    ///
    /// - Throws: `NotFound`; `InvalidParameter`; `AuthorizationError`.
    public func listSubscriptionsByTopic(topicArn: String, nextToken: String? = nil) async throws
        -> Page<Subscription>
    {
        let name = try topicName(fromArn: topicArn, action: "ListSubscriptionsByTopic")
        let after = try PageToken.decode(nextToken)
        let rows = try await store.read { tables in
            guard try await tables.topicExists(name) else { throw NotificationError.topicNotFound }
            return try await tables.subscriptions(topic: name, after: after, limit: PageToken.pageSize + 1)
        }
        return PageToken.page(rows, key: \.id, item: subscription(from:))
    }

    /// `GetSubscriptionAttributes`: `SubscriptionArn`, `TopicArn`, `Owner`, `Protocol`,
    /// `Endpoint`, `PendingConfirmation`, `ConfirmationWasAuthenticated`,
    /// `RawMessageDelivery`, `SubscriptionPrincipal`, and when set `FilterPolicy` with
    /// `FilterPolicyScope`, `DeliveryPolicy`; `EffectiveDeliveryPolicy` for http/https.
    ///
    /// - Throws: `NotFound` (`Subscription does not exist`); `InvalidParameter`;
    ///   `AuthorizationError`.
    public func getSubscriptionAttributes(subscriptionArn: String) async throws -> [String: String] {
        let reference = try subscriptionReference(fromArn: subscriptionArn, action: "GetSubscriptionAttributes")
        let (subscription, topic) = try await store.read { tables in
            guard let subscription = try await tables.subscription(id: reference.id),
                subscription.topicName == reference.topicName
            else { throw NotificationError.subscriptionNotFound }
            return (subscription, try await tables.topic(named: subscription.topicName))
        }
        var attributes: [String: String] = [
            "SubscriptionArn": self.subscriptionArn(topic: subscription.topicName, id: subscription.id),
            "TopicArn": topicArn(subscription.topicName),
            "Owner": accountId,
            "Protocol": subscription.protocol,
            "Endpoint": subscription.endpoint,
            "PendingConfirmation": String(!subscription.isConfirmed),
            "ConfirmationWasAuthenticated":
                subscription.attributes[SubscriptionAttributes.confirmationWasAuthenticated] ?? "false",
            "RawMessageDelivery": subscription.attributes["RawMessageDelivery"] ?? "false",
            "SubscriptionPrincipal": "arn:\(partition):iam::\(accountId):root",
        ]
        if let policy = subscription.attributes["FilterPolicy"] {
            attributes["FilterPolicy"] = policy
            attributes["FilterPolicyScope"] = SubscriptionAttributes.scope(subscription.attributes).rawValue
        }
        if let policy = subscription.attributes["DeliveryPolicy"] {
            attributes["DeliveryPolicy"] = policy
        }
        if SubscriptionAttributes.httpProtocols.contains(subscription.protocol) {
            attributes["EffectiveDeliveryPolicy"] =
                HTTPDeliveryPolicy.effective(
                    topicDeliveryPolicy: topic?.attributes["DeliveryPolicy"],
                    subscriptionDeliveryPolicy: subscription.attributes["DeliveryPolicy"]
                ).subscriptionAttributeText
        }
        return attributes
    }

    /// `SetSubscriptionAttributes`: sets one of `DeliveryPolicy`, `FilterPolicy`,
    /// `FilterPolicyScope`, `RawMessageDelivery` (an empty `FilterPolicy` or `DeliveryPolicy`
    /// removes it).
    ///
    /// - Throws: `InvalidParameter` (`Invalid parameter: AttributeName`, bad values, a filter
    ///   policy SNS refuses, with its reason); `NotFound`; `AuthorizationError`.
    public func setSubscriptionAttributes(subscriptionArn: String, attributeName: String, attributeValue: String?)
        async throws
    {
        let reference = try subscriptionReference(fromArn: subscriptionArn, action: "SetSubscriptionAttributes")
        guard SubscriptionAttributes.settableNames.contains(attributeName) else {
            throw NotificationError.invalidParameter("Invalid parameter: AttributeName")
        }
        try await store.write { tables in
            guard var subscription = try await tables.subscription(id: reference.id),
                subscription.topicName == reference.topicName
            else { throw NotificationError.subscriptionNotFound }
            do throws(SubscriptionAttributes.Problem) {
                subscription.attributes = try SubscriptionAttributes.applying(
                    [attributeName: attributeValue ?? ""], to: subscription.attributes,
                    protocol: subscription.protocol)
            } catch {
                throw error.error(subscribing: false)
            }
            try await tables.updateSubscription(subscription)
        }
        logger.debug(
            "Subscription attribute set",
            metadata: ["sns.subscription": "\(reference.id)", "sns.attribute": "\(attributeName)"])
    }

    // MARK: Helpers

    func subscription(from row: StoredSubscription) -> Subscription {
        Subscription(
            subscriptionArn: subscriptionArn(topic: row.topicName, id: row.id), owner: accountId,
            protocol: row.protocol, endpoint: row.endpoint, topicArn: topicArn(row.topicName),
            isConfirmed: row.isConfirmed)
    }

    /// The delivery carrying the `SubscriptionConfirmation` of `subscription`.
    func confirmationDelivery(for subscription: StoredSubscription, now: Int64) -> StoredDelivery {
        let topicArn = topicArn(subscription.topicName)
        let payload = DeliveryPayload(
            kind: .confirmation, messageId: Self.newId(), topicArn: topicArn,
            message: "You have chosen to subscribe to the topic \(topicArn).\n"
                + "To confirm the subscription, visit the SubscribeURL included in this message.",
            timestamp: AWSTimestamp.iso8601(Date(millisecondsSince1970: now)),
            token: subscription.token,
            subscriptionArn: subscriptionArn(topic: subscription.topicName, id: subscription.id),
            protocol: subscription.protocol, endpoint: subscription.endpoint, rawMessageDelivery: false)
        return StoredDelivery(
            id: deliveryIds.next(now: now), subscriptionId: subscription.id, payload: payload, now: now)
    }

    static func checkProtocol(_ name: String) throws(NotificationError) {
        guard supportedProtocols.contains(name) else {
            if otherAWSProtocols.contains(name) {
                throw .invalidParameter(
                    "Invalid parameter: Thingport does not support the \(name) protocol "
                        + "(supported: email, email-json, http, https)")
            }
            throw .invalidParameter("Invalid parameter: Amazon SNS does not support this protocol string: \(name)")
        }
    }

    /// The endpoint, checked for its protocol.
    static func checkEndpoint(_ endpoint: String?, protocol: String) throws(NotificationError) -> String {
        guard let endpoint, !endpoint.isEmpty else { throw .invalidParameter("Invalid parameter: Endpoint") }
        switch `protocol` {
        case "email", "email-json":
            guard (try? EmailAddress(endpoint)) != nil else {
                throw .invalidParameter("Invalid parameter: Email address")
            }
        default:
            guard endpoint.lowercased().hasPrefix(`protocol` + "://") else {
                throw .invalidParameter("Invalid parameter: Endpoint must match the specified protocol")
            }
            guard let url = URLComponents(string: endpoint), let host = url.host, !host.isEmpty,
                !endpoint.unicodeScalars.contains(where: { $0.value <= 0x20 || $0.value == 0x7F })
            else {
                throw .invalidParameter("Invalid parameter: Endpoint Reason: \(endpoint) is not a valid URL")
            }
        }
        return endpoint
    }

    /// `duration` in whole milliseconds.
    static func milliseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }

    /// A confirmation token: 64 random bytes in lower-case hex.
    static func newToken() -> String {
        var generator = SystemRandomNumberGenerator()
        let digits = Array("0123456789abcdef")
        return String((0..<128).map { _ in digits[Int(generator.next() % 16)] })
    }

    /// Whether `token` could be a token: hex, as long as Thingport's or AWS's.
    static func isWellFormedToken(_ token: String) -> Bool {
        token.utf8.count >= 64 && token.utf8.count <= 512 && token.utf8.allSatisfy { $0.isHexDigit }
    }
}

extension UInt8 {
    fileprivate var isHexDigit: Bool {
        (self >= UInt8(ascii: "0") && self <= UInt8(ascii: "9"))
            || (self >= UInt8(ascii: "a") && self <= UInt8(ascii: "f"))
            || (self >= UInt8(ascii: "A") && self <= UInt8(ascii: "F"))
    }
}
