import Testing

@testable import Notifications

@Suite("Delivery retry policies")
struct DeliveryRetryPolicyTests {
    @Test("AWS's HTTP/S default: three retries, 20 seconds apart, then give up")
    func httpDefault() {
        let policy = DeliveryRetryPolicy.httpDefault
        #expect(policy.totalAttempts == 4)
        #expect((1...3).map { policy.delay(beforeRetry: $0) } == [.seconds(20), .seconds(20), .seconds(20)])
        #expect(policy.delay(beforeRetry: 4) == nil)
        #expect(policy.delay(beforeRetry: 0) == nil)
    }

    @Test("AWS's SMTP policy: 2 at 10 s, 10 backing off exponentially to 600 s, 38 at 600 s")
    func email() {
        let policy = DeliveryRetryPolicy.email
        #expect(policy.totalAttempts == 51)
        #expect(policy.delay(beforeRetry: 1) == .seconds(10))
        #expect(policy.delay(beforeRetry: 2) == .seconds(10))
        let backoff = (3...12).map { policy.delay(beforeRetry: $0)! }
        #expect(zip(backoff, backoff.dropFirst()).allSatisfy { $0 < $1 })
        #expect(backoff.first! > .seconds(10))
        #expect(backoff.last == .seconds(600))
        // Exponential: each step multiplies the delay by the same factor, 60^(1/10).
        #expect(abs(Double(backoff[1].components.seconds) / Double(backoff[0].components.seconds) - 1.5) < 0.1)
        #expect((13...50).allSatisfy { policy.delay(beforeRetry: $0) == .seconds(600) })
        #expect(policy.delay(beforeRetry: 51) == nil)
        let total = (1...50).reduce(Duration.zero) { $0 + policy.delay(beforeRetry: $1)! }
        #expect(total > .seconds(6 * 3600) && total < .seconds(7 * 3600))
    }

    @Test("the four phases come in order", arguments: DeliveryRetryPolicy.BackoffFunction.allCases)
    func phases(function: DeliveryRetryPolicy.BackoffFunction) {
        let policy = DeliveryRetryPolicy(
            minDelayTarget: 5, maxDelayTarget: 80, numRetries: 10, numNoDelayRetries: 2, numMinDelayRetries: 2,
            numMaxDelayRetries: 2, backoffFunction: function)
        let delays = (1...10).map { policy.delay(beforeRetry: $0)! }
        #expect(Array(delays[0..<2]) == [.zero, .zero])
        #expect(Array(delays[2..<4]) == [.seconds(5), .seconds(5)])
        let backoff = Array(delays[4..<8])
        #expect(zip(backoff, backoff.dropFirst()).allSatisfy { $0 < $1 })
        #expect(backoff.first! > .seconds(5))
        #expect(backoff.last == .seconds(80))
        #expect(Array(delays[8..<10]) == [.seconds(80), .seconds(80)])
        #expect(policy.delay(beforeRetry: 11) == nil)
    }

    @Test("linear backoff steps evenly; phases larger than numRetries are cut")
    func linearAndOverlap() {
        let linear = DeliveryRetryPolicy(minDelayTarget: 10, maxDelayTarget: 50, numRetries: 4)
        #expect(
            (1...4).map { linear.delay(beforeRetry: $0)! } == [.seconds(20), .seconds(30), .seconds(40), .seconds(50)])
        let crowded = DeliveryRetryPolicy(
            minDelayTarget: 1, maxDelayTarget: 9, numRetries: 3, numNoDelayRetries: 2, numMinDelayRetries: 5)
        #expect((1...3).map { crowded.delay(beforeRetry: $0)! } == [.zero, .zero, .seconds(1)])
        let none = DeliveryRetryPolicy(numRetries: 0)
        #expect(none.delay(beforeRetry: 1) == nil)
        let clamped = DeliveryRetryPolicy(minDelayTarget: 0, maxDelayTarget: -5, numRetries: -1)
        #expect(clamped.minDelayTarget == 1 && clamped.maxDelayTarget == 1 && clamped.numRetries == 0)
    }

    @Test("the effective HTTP policy: default, then topic, then subscription, member by member")
    func effectivePolicy() {
        #expect(DeliveryRetryPolicy.effectiveHTTPPolicy(topicPolicy: nil, subscriptionPolicy: nil) == .httpDefault)
        let topic =
            #"{"http":{"defaultHealthyRetryPolicy":{"numRetries":6,"minDelayTarget":5,"maxDelayTarget":30,"backoffFunction":"exponential"}}}"#
        let fromTopic = DeliveryRetryPolicy.effectiveHTTPPolicy(topicPolicy: topic, subscriptionPolicy: nil)
        #expect(
            fromTopic
                == DeliveryRetryPolicy(
                    minDelayTarget: 5, maxDelayTarget: 30, numRetries: 6, backoffFunction: .exponential))
        let subscription = #"{"healthyRetryPolicy":{"numRetries":1}}"#
        let both = DeliveryRetryPolicy.effectiveHTTPPolicy(topicPolicy: topic, subscriptionPolicy: subscription)
        #expect(
            both
                == DeliveryRetryPolicy(
                    minDelayTarget: 5, maxDelayTarget: 30, numRetries: 1, backoffFunction: .exponential))
        let locked = #"{"http":{"disableSubscriptionOverrides":true,"defaultHealthyRetryPolicy":{"numRetries":6}}}"#
        #expect(
            DeliveryRetryPolicy.effectiveHTTPPolicy(topicPolicy: locked, subscriptionPolicy: subscription).numRetries
                == 6)
        #expect(DeliveryRetryPolicy.effectiveHTTPPolicy(topicPolicy: "{", subscriptionPolicy: "[1]") == .httpDefault)
    }

    @Test("the HTTP Content-Type: subscription, then topic, then text/plain")
    func contentType() {
        let topic = #"{"http":{"defaultRequestPolicy":{"headerContentType":"application/json"}}}"#
        let subscription = #"{"requestPolicy":{"headerContentType":"application/xml"}}"#
        #expect(
            DeliveryRetryPolicy.effectiveContentType(topicPolicy: nil, subscriptionPolicy: nil)
                == "text/plain; charset=UTF-8")
        #expect(
            DeliveryRetryPolicy.effectiveContentType(topicPolicy: topic, subscriptionPolicy: nil) == "application/json")
        #expect(
            DeliveryRetryPolicy.effectiveContentType(topicPolicy: topic, subscriptionPolicy: subscription)
                == "application/xml")
        let injected = #"{"requestPolicy":{"headerContentType":"text/plain\r\nX-Evil: 1"}}"#
        #expect(
            DeliveryRetryPolicy.effectiveContentType(topicPolicy: nil, subscriptionPolicy: injected)
                == "text/plain; charset=UTF-8")
    }
}
