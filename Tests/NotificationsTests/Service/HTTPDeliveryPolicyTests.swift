import Notifications
import Testing

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
