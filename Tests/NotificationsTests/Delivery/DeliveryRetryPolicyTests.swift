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

    @Test("an HTTP/S delivery policy's retry policy becomes its schedule, member by member")
    func fromHTTPDeliveryPolicy() {
        #expect(DeliveryRetryPolicy(HTTPDeliveryPolicy.RetryPolicy.awsDefault) == .httpDefault)
        let retry = HTTPDeliveryPolicy.RetryPolicy(
            minDelayTarget: 5, maxDelayTarget: 80, numRetries: 10, numNoDelayRetries: 1, numMinDelayRetries: 2,
            numMaxDelayRetries: 3, backoffFunction: "geometric")
        #expect(
            DeliveryRetryPolicy(retry)
                == DeliveryRetryPolicy(
                    minDelayTarget: 5, maxDelayTarget: 80, numRetries: 10, numNoDelayRetries: 1, numMinDelayRetries: 2,
                    numMaxDelayRetries: 3, backoffFunction: .geometric))
    }

    @Test("every backoff function AWS names maps to its own", arguments: DeliveryRetryPolicy.BackoffFunction.allCases)
    func backoffFunctionNames(function: DeliveryRetryPolicy.BackoffFunction) {
        var retry = HTTPDeliveryPolicy.RetryPolicy.awsDefault
        retry.backoffFunction = function.rawValue
        #expect(DeliveryRetryPolicy(retry).backoffFunction == function)
    }

    @Test("a merged policy whose maximum delay is below its minimum is raised to it")
    func mergedBounds() {
        // Topic min 30/max 60 and a subscription max of 25 are each valid; merged, the schedule
        // uses 30 seconds throughout.
        let policy = HTTPDeliveryPolicy.effective(
            topicDeliveryPolicy: #"{"http":{"defaultHealthyRetryPolicy":{"minDelayTarget":30,"maxDelayTarget":60}}}"#,
            subscriptionDeliveryPolicy: #"{"healthyRetryPolicy":{"maxDelayTarget":25}}"#)
        #expect(policy.healthyRetryPolicy.minDelayTarget == 30 && policy.healthyRetryPolicy.maxDelayTarget == 25)
        let schedule = DeliveryRetryPolicy(policy.healthyRetryPolicy)
        #expect(schedule.maxDelayTarget == 30)
        #expect((1...3).map { schedule.delay(beforeRetry: $0) } == [.seconds(30), .seconds(30), .seconds(30)])
    }
}
