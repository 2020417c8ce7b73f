import JSON

/// How SNS delivers to an HTTP/S subscription: the retry policy, throttle and content type that
/// result from the topic's and the subscription's `DeliveryPolicy` attributes and AWS's
/// defaults (what `EffectiveDeliveryPolicy` shows).
///
/// ```swift
/// let policy = HTTPDeliveryPolicy.effective(
///     topicDeliveryPolicy: topicAttributes["DeliveryPolicy"],
///     subscriptionDeliveryPolicy: subscriptionAttributes["DeliveryPolicy"])
/// policy.healthyRetryPolicy.numRetries  // 3 by default
/// ```
package struct HTTPDeliveryPolicy: Sendable, Hashable {
    /// When and how often a failed delivery is tried again (seconds).
    package struct RetryPolicy: Sendable, Hashable {
        /// The shortest delay between attempts.
        package var minDelayTarget: Int
        /// The longest delay between attempts.
        package var maxDelayTarget: Int
        /// Retries in total, after the first attempt (0–100).
        package var numRetries: Int
        /// Retries made at once, first.
        package var numNoDelayRetries: Int
        /// Retries made after ``minDelayTarget``, next.
        package var numMinDelayRetries: Int
        /// Retries made after ``maxDelayTarget``, last.
        package var numMaxDelayRetries: Int
        /// How the delay grows between the minimum and maximum phases: `arithmetic`,
        /// `exponential`, `geometric` or `linear`.
        package var backoffFunction: String

        /// AWS's default for HTTP/S: 3 retries 20 seconds apart.
        package static let awsDefault = RetryPolicy(
            minDelayTarget: 20, maxDelayTarget: 20, numRetries: 3, numNoDelayRetries: 0, numMinDelayRetries: 0,
            numMaxDelayRetries: 0, backoffFunction: "linear")

        /// Creates a retry policy.
        package init(
            minDelayTarget: Int, maxDelayTarget: Int, numRetries: Int, numNoDelayRetries: Int,
            numMinDelayRetries: Int, numMaxDelayRetries: Int, backoffFunction: String
        ) {
            self.minDelayTarget = minDelayTarget
            self.maxDelayTarget = maxDelayTarget
            self.numRetries = numRetries
            self.numNoDelayRetries = numNoDelayRetries
            self.numMinDelayRetries = numMinDelayRetries
            self.numMaxDelayRetries = numMaxDelayRetries
            self.backoffFunction = backoffFunction
        }
    }

    /// The `Content-Type` SNS sends when nothing else is asked for.
    package static let defaultContentType = "text/plain; charset=UTF-8"

    /// The retry policy.
    package var healthyRetryPolicy: RetryPolicy
    /// The most deliveries per second to the endpoint, if limited.
    package var maxReceivesPerSecond: Int?
    /// The `Content-Type` of each delivery.
    package var headerContentType: String

    /// The policy of an HTTP/S subscription, the one place its rules live: the retry policy
    /// member by member, the subscription's `healthyRetryPolicy` over the topic's
    /// `http.defaultHealthyRetryPolicy` over AWS's default; the throttle and the content type the
    /// subscription's, else the topic's (else none, else ``defaultContentType``). The topic's
    /// `http.disableSubscriptionOverrides` makes the subscription's policy count for nothing.
    ///
    /// Attribute text that is not a valid policy (it never is once stored) counts as absent, and
    /// so does a content type that cannot be sent as a header value (not printable ASCII).
    package static func effective(topicDeliveryPolicy: String?, subscriptionDeliveryPolicy: String?)
        -> HTTPDeliveryPolicy
    {
        let topic = topicDeliveryPolicy.flatMap { try? DeliveryPolicyDocument(topic: $0) }
        var subscription = subscriptionDeliveryPolicy.flatMap { try? DeliveryPolicyDocument(subscription: $0) }
        if topic?.disableSubscriptionOverrides == true { subscription = nil }
        var retry = RetryPolicy.awsDefault
        topic?.retry.apply(to: &retry)
        subscription?.retry.apply(to: &retry)
        return HTTPDeliveryPolicy(
            healthyRetryPolicy: retry,
            maxReceivesPerSecond: subscription?.maxReceivesPerSecond ?? topic?.maxReceivesPerSecond,
            headerContentType: Self.sendable(subscription?.headerContentType)
                ?? Self.sendable(topic?.headerContentType) ?? Self.defaultContentType)
    }

    /// The content type if it can be sent as a header value: printable ASCII, not empty. Stored
    /// policies have no control characters, but may have other non-ASCII text.
    private static func sendable(_ contentType: String?) -> String? {
        guard let contentType, !contentType.isEmpty, contentType.utf8.allSatisfy({ (0x20...0x7E).contains($0) })
        else { return nil }
        return contentType
    }

    /// The subscription's `EffectiveDeliveryPolicy` attribute, as AWS writes it.
    var subscriptionAttributeText: String {
        let document: JSONValue = .object([
            .init(key: "healthyRetryPolicy", value: healthyRetryPolicy.json),
            .init(key: "sicklyRetryPolicy", value: .null),
            .init(
                key: "throttlePolicy",
                value: maxReceivesPerSecond.map { ["maxReceivesPerSecond": JSONValue($0)] } ?? .null),
            .init(key: "requestPolicy", value: ["headerContentType": JSONValue(headerContentType)]),
            .init(key: "guaranteed", value: false),
        ])
        return document.serializedString()
    }

    /// A topic's `EffectiveDeliveryPolicy` attribute for its `DeliveryPolicy` (nil: none), as
    /// AWS writes it.
    static func topicAttributeText(_ deliveryPolicy: String?) -> String {
        let topic = deliveryPolicy.flatMap { try? DeliveryPolicyDocument(topic: $0) }
        var retry = RetryPolicy.awsDefault
        topic?.retry.apply(to: &retry)
        var http: [JSONValue.Member] = [
            .init(key: "defaultHealthyRetryPolicy", value: retry.json),
            .init(key: "disableSubscriptionOverrides", value: .bool(topic?.disableSubscriptionOverrides ?? false)),
        ]
        if let rate = topic?.maxReceivesPerSecond {
            http.append(.init(key: "defaultThrottlePolicy", value: ["maxReceivesPerSecond": JSONValue(rate)]))
        }
        http.append(
            .init(
                key: "defaultRequestPolicy",
                value: ["headerContentType": JSONValue(sendable(topic?.headerContentType) ?? defaultContentType)]))
        return JSONValue.object([.init(key: "http", value: .object(http))]).serializedString()
    }
}

extension HTTPDeliveryPolicy.RetryPolicy {
    /// The policy as AWS writes it, members in AWS's order.
    var json: JSONValue {
        .object([
            .init(key: "minDelayTarget", value: JSONValue(minDelayTarget)),
            .init(key: "maxDelayTarget", value: JSONValue(maxDelayTarget)),
            .init(key: "numRetries", value: JSONValue(numRetries)),
            .init(key: "numMaxDelayRetries", value: JSONValue(numMaxDelayRetries)),
            .init(key: "numNoDelayRetries", value: JSONValue(numNoDelayRetries)),
            .init(key: "numMinDelayRetries", value: JSONValue(numMinDelayRetries)),
            .init(key: "backoffFunction", value: JSONValue(backoffFunction)),
        ])
    }
}
