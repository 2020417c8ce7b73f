import Testing

@testable import Notifications

@Suite("SNS service: HTTP delivery policies")
struct HTTPDeliveryPolicyTests {
    @Test("AWS's default without policies")
    func defaults() {
        let policy = HTTPDeliveryPolicy.effective(topicDeliveryPolicy: nil, subscriptionDeliveryPolicy: nil)
        #expect(policy.healthyRetryPolicy == .awsDefault)
        #expect(policy.healthyRetryPolicy.numRetries == 3 && policy.healthyRetryPolicy.minDelayTarget == 20)
        #expect(policy.maxReceivesPerSecond == nil)
        #expect(policy.headerContentType == "text/plain; charset=UTF-8")
    }

    @Test("the subscription's members override the topic's, which override AWS's")
    func layering() {
        let topic =
            #"{"http":{"defaultHealthyRetryPolicy":{"numRetries":10,"numNoDelayRetries":2,"maxDelayTarget":60},"defaultThrottlePolicy":{"maxReceivesPerSecond":5},"defaultRequestPolicy":{"headerContentType":"application/json"}}}"#
        let subscription =
            #"{"healthyRetryPolicy":{"numRetries":4,"backoffFunction":"exponential"},"requestPolicy":{"headerContentType":"text/html"}}"#
        let policy = HTTPDeliveryPolicy.effective(topicDeliveryPolicy: topic, subscriptionDeliveryPolicy: subscription)
        #expect(
            policy.healthyRetryPolicy
                == .init(
                    minDelayTarget: 20, maxDelayTarget: 60, numRetries: 4, numNoDelayRetries: 2, numMinDelayRetries: 0,
                    numMaxDelayRetries: 0, backoffFunction: "exponential"))
        #expect(policy.maxReceivesPerSecond == 5)
        #expect(policy.headerContentType == "text/html")
        // disableSubscriptionOverrides: the topic's policy wins.
        let locked = #"{"http":{"defaultHealthyRetryPolicy":{"numRetries":10},"disableSubscriptionOverrides":true}}"#
        #expect(
            HTTPDeliveryPolicy.effective(topicDeliveryPolicy: locked, subscriptionDeliveryPolicy: subscription)
                .healthyRetryPolicy.numRetries == 10)
    }

    @Test("the retry policy: default, then topic, then subscription, member by member")
    func retryLayering() {
        let topic =
            #"{"http":{"defaultHealthyRetryPolicy":{"numRetries":6,"minDelayTarget":5,"maxDelayTarget":30,"backoffFunction":"exponential"}}}"#
        let fromTopic = HTTPDeliveryPolicy.effective(topicDeliveryPolicy: topic, subscriptionDeliveryPolicy: nil)
        #expect(
            fromTopic.healthyRetryPolicy
                == .init(
                    minDelayTarget: 5, maxDelayTarget: 30, numRetries: 6, numNoDelayRetries: 0, numMinDelayRetries: 0,
                    numMaxDelayRetries: 0, backoffFunction: "exponential"))
        let subscription = #"{"healthyRetryPolicy":{"numRetries":1}}"#
        let both = HTTPDeliveryPolicy.effective(topicDeliveryPolicy: topic, subscriptionDeliveryPolicy: subscription)
        #expect(
            both.healthyRetryPolicy
                == .init(
                    minDelayTarget: 5, maxDelayTarget: 30, numRetries: 1, numNoDelayRetries: 0, numMinDelayRetries: 0,
                    numMaxDelayRetries: 0, backoffFunction: "exponential"))
        let onlySubscription = HTTPDeliveryPolicy.effective(
            topicDeliveryPolicy: nil, subscriptionDeliveryPolicy: subscription)
        #expect(onlySubscription.healthyRetryPolicy.numRetries == 1)
        #expect(onlySubscription.healthyRetryPolicy.minDelayTarget == 20)
        let locked = #"{"http":{"disableSubscriptionOverrides":true,"defaultHealthyRetryPolicy":{"numRetries":6}}}"#
        #expect(
            HTTPDeliveryPolicy.effective(topicDeliveryPolicy: locked, subscriptionDeliveryPolicy: subscription)
                .healthyRetryPolicy.numRetries == 6)
        let unlocked = #"{"http":{"disableSubscriptionOverrides":false,"defaultHealthyRetryPolicy":{"numRetries":6}}}"#
        #expect(
            HTTPDeliveryPolicy.effective(topicDeliveryPolicy: unlocked, subscriptionDeliveryPolicy: subscription)
                .healthyRetryPolicy.numRetries == 1)
    }

    /// Stored policies were checked when set; text that is not a valid policy after all counts as
    /// absent as a whole (none of its members apply), on its own side only.
    @Test(
        "a policy that is not valid counts as absent",
        arguments: [
            "{", "[1]", "", "null",
            // Members AWS refuses: the whole policy is ignored, not just the member.
            #"{"healthyRetryPolicy":{"numRetries":5,"minDelayTarget":0}}"#,
            #"{"healthyRetryPolicy":{"numRetries":5,"backoffFunction":"EXPONENTIAL"}}"#,
            #"{"healthyRetryPolicy":{"numRetries":5.0}}"#,
            #"{"healthyRetryPolicy":{"numRetries":101}}"#,
            #"{"healthyRetryPolicy":{"numRetries":5},"throttlePolicy":{"maxReceivesPerSecond":0}}"#,
            #"{"healthyRetryPolicy":{"numRetries":5},"requestPolicy":{"headerContentType":""}}"#,
            #"{"healthyRetryPolicy":{"numRetries":5},"retryPolicy":{}}"#,
        ])
    func invalidCountsAsAbsent(subscription: String) {
        let topic =
            #"{"http":{"defaultHealthyRetryPolicy":{"numRetries":7},"defaultThrottlePolicy":{"maxReceivesPerSecond":3},"defaultRequestPolicy":{"headerContentType":"application/json"}}}"#
        let policy = HTTPDeliveryPolicy.effective(topicDeliveryPolicy: topic, subscriptionDeliveryPolicy: subscription)
        #expect(policy.healthyRetryPolicy.numRetries == 7)
        #expect(policy.maxReceivesPerSecond == 3)
        #expect(policy.headerContentType == "application/json")
        // An invalid topic policy leaves the subscription's in force.
        let fromSubscription = HTTPDeliveryPolicy.effective(
            topicDeliveryPolicy: subscription, subscriptionDeliveryPolicy: #"{"healthyRetryPolicy":{"numRetries":2}}"#)
        #expect(
            fromSubscription.healthyRetryPolicy
                == .init(
                    minDelayTarget: 20, maxDelayTarget: 20, numRetries: 2, numNoDelayRetries: 0, numMinDelayRetries: 0,
                    numMaxDelayRetries: 0, backoffFunction: "linear"))
        #expect(
            HTTPDeliveryPolicy.effective(topicDeliveryPolicy: subscription, subscriptionDeliveryPolicy: subscription)
                == HTTPDeliveryPolicy.effective(topicDeliveryPolicy: nil, subscriptionDeliveryPolicy: nil))
    }

    @Test(
        "the throttle: the subscription's, else the topic's, else none",
        arguments: [
            (nil, nil, nil),
            (nil, #"{"throttlePolicy":{"maxReceivesPerSecond":5}}"#, 5),
            (#"{"http":{"defaultThrottlePolicy":{"maxReceivesPerSecond":3}}}"#, nil, 3),
            (
                #"{"http":{"defaultThrottlePolicy":{"maxReceivesPerSecond":3}}}"#,
                #"{"throttlePolicy":{"maxReceivesPerSecond":7}}"#, 7
            ),
            (
                #"{"http":{"defaultThrottlePolicy":{"maxReceivesPerSecond":3}}}"#,
                #"{"healthyRetryPolicy":{"numRetries":1}}"#, 3
            ),
            (
                #"{"http":{"disableSubscriptionOverrides":true,"defaultThrottlePolicy":{"maxReceivesPerSecond":3}}}"#,
                #"{"throttlePolicy":{"maxReceivesPerSecond":7}}"#, 3
            ),
            (
                #"{"http":{"disableSubscriptionOverrides":true}}"#,
                #"{"throttlePolicy":{"maxReceivesPerSecond":7}}"#, nil
            ),
            (nil, #"{"throttlePolicy":{"maxReceivesPerSecond":0}}"#, nil),
            (nil, #"{"throttlePolicy":{"maxReceivesPerSecond":-2}}"#, nil),
            (nil, #"{"throttlePolicy":{"maxReceivesPerSecond":"9"}}"#, nil),
            (nil, #"{"throttlePolicy":{"maxReceivesPerSecond":2.5}}"#, nil),
            (
                #"{"http":{"defaultThrottlePolicy":{"maxReceivesPerSecond":3}}}"#,
                #"{"throttlePolicy":{"maxReceivesPerSecond":0}}"#, 3
            ),
            (nil, #"{"throttlePolicy": not json"#, nil),
        ] as [(String?, String?, Int?)])
    func throttle(topic: String?, subscription: String?, expected: Int?) {
        #expect(
            HTTPDeliveryPolicy.effective(topicDeliveryPolicy: topic, subscriptionDeliveryPolicy: subscription)
                .maxReceivesPerSecond == expected)
    }

    @Test("the Content-Type: the subscription's, then the topic's, then text/plain")
    func contentType() {
        func contentType(_ topic: String?, _ subscription: String?) -> String {
            HTTPDeliveryPolicy.effective(topicDeliveryPolicy: topic, subscriptionDeliveryPolicy: subscription)
                .headerContentType
        }
        let topic = #"{"http":{"defaultRequestPolicy":{"headerContentType":"application/json"}}}"#
        let subscription = #"{"requestPolicy":{"headerContentType":"application/xml"}}"#
        #expect(contentType(nil, nil) == "text/plain; charset=UTF-8")
        #expect(contentType(topic, nil) == "application/json")
        #expect(contentType(nil, subscription) == "application/xml")
        #expect(contentType(topic, subscription) == "application/xml")
        let locked =
            #"{"http":{"disableSubscriptionOverrides":true,"defaultRequestPolicy":{"headerContentType":"application/json"}}}"#
        #expect(contentType(locked, subscription) == "application/json")
        // Header injection: refused when set, and ignored were it stored.
        let injected = #"{"requestPolicy":{"headerContentType":"text/plain\r\nX-Evil: 1"}}"#
        #expect(throws: DeliveryPolicyError.self) { try DeliveryPolicyDocument(subscription: injected) }
        #expect(contentType(nil, injected) == "text/plain; charset=UTF-8")
        #expect(contentType(topic, injected) == "application/json")
    }

    @Test(
        "a stored content type that is not printable ASCII is not sent; the rest of the policy applies",
        arguments: [#"text/plain; charset=\u00FC"#, #"text/plain\u2028"#, #"application/json\u00A0"#])
    func contentTypeNotSendable(value: String) throws {
        let subscription = #"{"healthyRetryPolicy":{"numRetries":9},"requestPolicy":{"headerContentType":"\#(value)"}}"#
        let topic = #"{"http":{"defaultRequestPolicy":{"headerContentType":"\#(value)"}}}"#
        // The stored text is valid: the parser takes it.
        let document = try DeliveryPolicyDocument(subscription: subscription)
        #expect(document.headerContentType?.unicodeScalars.contains { $0.value > 0x7E } == true)
        let policy = HTTPDeliveryPolicy.effective(topicDeliveryPolicy: nil, subscriptionDeliveryPolicy: subscription)
        #expect(policy.healthyRetryPolicy.numRetries == 9)
        #expect(policy.headerContentType == "text/plain; charset=UTF-8")
        let fallback = #"{"http":{"defaultRequestPolicy":{"headerContentType":"application/xml"}}}"#
        #expect(
            HTTPDeliveryPolicy.effective(topicDeliveryPolicy: fallback, subscriptionDeliveryPolicy: subscription)
                .headerContentType == "application/xml")
        #expect(
            HTTPDeliveryPolicy.effective(topicDeliveryPolicy: topic, subscriptionDeliveryPolicy: nil).headerContentType
                == "text/plain; charset=UTF-8")
        // The topic's EffectiveDeliveryPolicy shows what is sent.
        #expect(
            HTTPDeliveryPolicy.topicAttributeText(topic).contains(#""headerContentType":"text/plain; charset=UTF-8""#))
        #expect(HTTPDeliveryPolicy.topicAttributeText(fallback).contains(#""headerContentType":"application/xml""#))
    }

    @Test(
        "invalid subscription policies are refused with a reason",
        arguments: [
            ("nope", "Invalid parameter: DeliveryPolicy: failed to parse JSON."),
            ("[]", "Invalid parameter: DeliveryPolicy: the policy must be a JSON object"),
            (
                #"{"healthyRetryPolicy":{"numRetries":-1}}"#,
                "Invalid parameter: DeliveryPolicy: healthyRetryPolicy.numRetries must be a non-negative integer"
            ),
            (
                #"{"healthyRetryPolicy":{"numRetries":1.5}}"#,
                "Invalid parameter: DeliveryPolicy: healthyRetryPolicy.numRetries must be a non-negative integer"
            ),
            (
                #"{"healthyRetryPolicy":{"minDelayTarget":0}}"#,
                "Invalid parameter: DeliveryPolicy: healthyRetryPolicy.minDelayTarget must be at least 1"
            ),
            (
                #"{"healthyRetryPolicy":{"minDelayTarget":30}}"#,
                "Invalid parameter: DeliveryPolicy: healthyRetryPolicy.minDelayTarget must not be greater than maxDelayTarget"
            ),
            (
                #"{"healthyRetryPolicy":{"maxDelayTarget":3601}}"#,
                "Invalid parameter: DeliveryPolicy: healthyRetryPolicy.maxDelayTarget must be at most 3600"
            ),
            (
                #"{"healthyRetryPolicy":{"numRetries":2,"numNoDelayRetries":3}}"#,
                "Invalid parameter: DeliveryPolicy: healthyRetryPolicy numNoDelayRetries + numMinDelayRetries + numMaxDelayRetries must not exceed numRetries"
            ),
            (
                #"{"healthyRetryPolicy":{"backoffFunction":"cubic"}}"#,
                "Invalid parameter: DeliveryPolicy: healthyRetryPolicy.backoffFunction must be one of arithmetic, exponential, geometric, linear"
            ),
            (
                #"{"throttlePolicy":{"maxReceivesPerSecond":0}}"#,
                "Invalid parameter: DeliveryPolicy: throttlePolicy.maxReceivesPerSecond must be a positive integer"
            ),
            (#"{"retryPolicy":{}}"#, "Invalid parameter: DeliveryPolicy: Unsupported member [retryPolicy]"),
        ])
    func invalid(policy: String, message: String) async throws {
        try await ServiceFixture.with { sns in
            try await sns.service.createTopic(name: "t")
            let arn = try await sns.confirmedSubscription(topic: "t")
            let error = await expectSNSError(.invalidParameter) {
                try await sns.service.setSubscriptionAttributes(
                    subscriptionArn: arn, attributeName: "DeliveryPolicy", attributeValue: policy)
            }
            #expect(error?.message.hasPrefix(message) == true, "\(error?.message ?? "")")
        }
    }
}
