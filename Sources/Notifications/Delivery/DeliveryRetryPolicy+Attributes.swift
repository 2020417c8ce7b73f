import JSON

extension DeliveryRetryPolicy {
    /// The HTTP/HTTPS retry policy in force for a subscription, member by member: AWS's default
    /// (``httpDefault``), overridden by the topic's `DeliveryPolicy` (`http.defaultHealthyRetryPolicy`),
    /// overridden by the subscription's `DeliveryPolicy` (`healthyRetryPolicy`) unless the topic sets
    /// `http.disableSubscriptionOverrides`. Unreadable policies count as absent.
    /// - Parameters:
    ///   - topicPolicy: the topic's `DeliveryPolicy` attribute (JSON text), if any.
    ///   - subscriptionPolicy: the subscription's `DeliveryPolicy` attribute (JSON text), if any.
    public static func effectiveHTTPPolicy(topicPolicy: String?, subscriptionPolicy: String?) -> DeliveryRetryPolicy {
        let (topic, subscription) = Self.documents(topicPolicy: topicPolicy, subscriptionPolicy: subscriptionPolicy)
        var policy = DeliveryRetryPolicy.httpDefault
        if let retry = topic?["defaultHealthyRetryPolicy"] {
            policy.apply(retry)
        }
        if let retry = subscription?["healthyRetryPolicy"] {
            policy.apply(retry)
        }
        return policy
    }

    /// The most HTTP/HTTPS deliveries per second to one subscription (`throttlePolicy`), member
    /// by member as the retry policy: the subscription's `throttlePolicy.maxReceivesPerSecond`
    /// unless the topic disables overrides, else the topic's
    /// `http.defaultThrottlePolicy.maxReceivesPerSecond`; nil when neither sets one (no limit).
    public static func effectiveMaxReceivesPerSecond(topicPolicy: String?, subscriptionPolicy: String?) -> Int? {
        // Most subscriptions have no throttle: skip parsing their policies.
        guard topicPolicy?.contains("hrottlePolicy") == true || subscriptionPolicy?.contains("hrottlePolicy") == true
        else { return nil }
        let (topic, subscription) = Self.documents(topicPolicy: topicPolicy, subscriptionPolicy: subscriptionPolicy)
        for value in [
            subscription?["throttlePolicy"]?["maxReceivesPerSecond"],
            topic?["defaultThrottlePolicy"]?["maxReceivesPerSecond"],
        ] {
            if let rate = value?.int64Value, rate > 0 { return Int(clamping: rate) }
        }
        return nil
    }

    /// The `Content-Type` of HTTP/HTTPS deliveries: the subscription's
    /// `requestPolicy.headerContentType` (unless the topic disables overrides), else the topic's
    /// `http.defaultRequestPolicy.headerContentType`, else `text/plain; charset=UTF-8` (AWS's default).
    public static func effectiveContentType(topicPolicy: String?, subscriptionPolicy: String?) -> String {
        let (topic, subscription) = Self.documents(topicPolicy: topicPolicy, subscriptionPolicy: subscriptionPolicy)
        if let value = subscription?["requestPolicy"]?["headerContentType"]?.stringValue, Self.isHeaderSafe(value) {
            return value
        }
        if let value = topic?["defaultRequestPolicy"]?["headerContentType"]?.stringValue, Self.isHeaderSafe(value) {
            return value
        }
        return "text/plain; charset=UTF-8"
    }

    /// The topic's `http` member and the subscription's policy, the latter `nil` when the topic
    /// disables subscription overrides.
    private static func documents(topicPolicy: String?, subscriptionPolicy: String?) -> (JSONValue?, JSONValue?) {
        let topic = topicPolicy.flatMap { try? JSONValue.parse($0) }?["http"]
        let subscription = subscriptionPolicy.flatMap { try? JSONValue.parse($0) }
        if topic?["disableSubscriptionOverrides"]?.boolValue == true {
            return (topic, nil)
        }
        return (topic, subscription)
    }

    /// Overrides the members a `healthyRetryPolicy` object gives; malformed members are ignored.
    mutating func apply(_ json: JSONValue) {
        func int(_ name: String) -> Int? {
            guard let value = json[name]?.int64Value else { return nil }
            return Int(clamping: value)
        }
        let function = json["backoffFunction"]?.stringValue.flatMap { BackoffFunction(rawValue: $0.lowercased()) }
        self = DeliveryRetryPolicy(
            minDelayTarget: int("minDelayTarget") ?? self.minDelayTarget,
            maxDelayTarget: int("maxDelayTarget") ?? self.maxDelayTarget,
            numRetries: int("numRetries") ?? self.numRetries,
            numNoDelayRetries: int("numNoDelayRetries") ?? self.numNoDelayRetries,
            numMinDelayRetries: int("numMinDelayRetries") ?? self.numMinDelayRetries,
            numMaxDelayRetries: int("numMaxDelayRetries") ?? self.numMaxDelayRetries,
            backoffFunction: function ?? self.backoffFunction
        )
    }

    private static func isHeaderSafe(_ value: String) -> Bool {
        !value.isEmpty && value.utf8.allSatisfy { (32...126).contains($0) }
    }
}
