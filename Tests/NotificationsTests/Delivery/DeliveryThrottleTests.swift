import Foundation
import Testing

@testable import Notifications

/// `throttlePolicy.maxReceivesPerSecond`: at most that many HTTP/HTTPS notifications to one
/// subscription in any second; the rest wait, nothing is dropped.
@Suite("Delivery throttle policy")
struct DeliveryThrottleTests {
    typealias Harness = DeliveryPipelineHarness
    static let throttled = "0b1c2d3e-0000-4000-8000-00000000000a"
    static let free = "0b1c2d3e-0000-4000-8000-00000000000b"

    @Test(
        "a candidate's throttle comes from its stored topic and subscription attributes",
        arguments: [
            ("{}", "{}", nil),
            (#"{"DeliveryPolicy":"{\"throttlePolicy\":{\"maxReceivesPerSecond\":5}}"}"#, "{}", 5),
            ("{}", #"{"DeliveryPolicy":"{\"http\":{\"defaultThrottlePolicy\":{\"maxReceivesPerSecond\":3}}}"}"#, 3),
            (
                #"{"DeliveryPolicy":"{\"throttlePolicy\":{\"maxReceivesPerSecond\":7}}"}"#,
                #"{"DeliveryPolicy":"{\"http\":{\"disableSubscriptionOverrides\":true,\"defaultThrottlePolicy\":{\"maxReceivesPerSecond\":3}}}"}"#,
                3
            ),
            // Mentioned, but not a throttle policy of the DeliveryPolicy attribute.
            (#"{"DeliveryPolicy":"{\"throttlePolicy\":{}}"}"#, "{}", nil),
            (#"{"Note":"throttlePolicy"}"#, "{}", nil),
            ("not json throttlePolicy", "{}", nil),
        ] as [(String, String, Int?)])
    func candidateRate(subscriptionAttributes: String, topicAttributes: String, expected: Int?) {
        var candidate = Self.candidate("d", subscription: Self.throttled, attributes: subscriptionAttributes)
        candidate.topicAttributes = topicAttributes
        #expect(DeliveryPipeline.maxReceivesPerSecond(candidate) == expected)
    }

    @Test(
        "only HTTP/HTTPS endpoints are throttled, whatever the case of their scheme",
        arguments: [
            ("http://127.0.0.1:9/a", 2), ("https://example.com/a", 2), ("HTTPS://example.com/a", 2),
            ("Http://example.com", 2), ("httpfan@example.com", nil), ("ops@example.com", nil), ("http:", nil),
        ] as [(String, Int?)])
    func throttledEndpoints(endpoint: String, expected: Int?) {
        var candidate = Self.candidate("d", subscription: Self.throttled, attributes: "{}")
        candidate.endpoint = endpoint
        candidate.topicAttributes =
            #"{"DeliveryPolicy":"{\"http\":{\"defaultThrottlePolicy\":{\"maxReceivesPerSecond\":2}}}"}"#
        #expect(DeliveryPipeline.maxReceivesPerSecond(candidate) == expected)
    }

    static func candidate(_ id: String, subscription: String, attributes: String, kind: String = "notification")
        -> DeliveryStore.Candidate
    {
        DeliveryStore.Candidate(
            id: id, kind: kind, payload: "{}", attempts: 0, nextAttempt: 0, subscriptionID: subscription,
            confirmed: kind == "notification", endpoint: "http://127.0.0.1:9/\(subscription)",
            subscriptionAttributes: attributes, topicAttributes: "{}")
    }

    static let twoPerSecond = #"{"DeliveryPolicy":"{\"throttlePolicy\":{\"maxReceivesPerSecond\":2}}"}"#

    @Test func chooseClaimsWithinTheSubscriptionsBudgetAndLeavesTheRestDue() {
        let candidates =
            (0..<5).map { Self.candidate("t\($0)", subscription: Self.throttled, attributes: Self.twoPerSecond) }
            + (0..<3).map { Self.candidate("f\($0)", subscription: Self.free, attributes: "{}") }
        let fresh = DeliveryPipeline.choose(from: candidates, free: 100, perEndpoint: [:], limit: 100)
        #expect(fresh.claim.map(\.id) == ["t0", "t1", "f0", "f1", "f2"])
        #expect(fresh.drop.isEmpty)
        let afterOne = DeliveryPipeline.choose(
            from: candidates, free: 100, perEndpoint: [:], limit: 100, recentThrottled: [Self.throttled: 1])
        #expect(afterOne.claim.map(\.id) == ["t0", "f0", "f1", "f2"])
        let spent = DeliveryPipeline.choose(
            from: candidates, free: 100, perEndpoint: [:], limit: 100, recentThrottled: [Self.throttled: 2])
        #expect(spent.claim.map(\.id) == ["f0", "f1", "f2"])
    }

    @Test func chooseKeepsEachSubscriptionsOwnBudget() {
        let onePerSecond = #"{"DeliveryPolicy":"{\"throttlePolicy\":{\"maxReceivesPerSecond\":1}}"}"#
        let candidates = (0..<3).flatMap { index in
            [
                Self.candidate("t\(index)", subscription: Self.throttled, attributes: Self.twoPerSecond),
                Self.candidate("o\(index)", subscription: Self.free, attributes: onePerSecond),
            ]
        }
        let chosen = DeliveryPipeline.choose(from: candidates, free: 100, perEndpoint: [:], limit: 100)
        #expect(chosen.claim.map(\.id) == ["t0", "o0", "t1"])
        // Confirmations are not throttled.
        let confirmations = (0..<3).map {
            Self.candidate("c\($0)", subscription: Self.throttled, attributes: onePerSecond, kind: "confirmation")
        }
        #expect(
            DeliveryPipeline.choose(from: confirmations, free: 100, perEndpoint: [:], limit: 100).claim.count == 3)
    }

    @Test(
        "a throttled subscription gets its budget each second, every notification arrives",
        arguments: DeliveryTestEngine.available)
    func throttledDeliveriesArriveOverSeconds(engine: DeliveryTestEngine) async throws {
        try await DeliveryTestDatabase.with(engine) { db in
            let endpoint = try await TestHTTPEndpoint.start()
            try await db.addTopic()
            try await db.addSubscription(
                id: Self.throttled, protocol: "http", endpoint: endpoint.url, attributes: Self.twoPerSecond)
            for index in 0..<5 {
                let notification = DeliveryFixtures.notification(
                    protocol: "http", endpoint: endpoint.url, subscriptionID: Self.throttled, message: "n\(index)")
                _ = try await db.addDelivery(notification, subscriptionID: Self.throttled)
            }
            let clock = ManualDeliveryClock()
            let pipeline = try Harness.pipeline(database: db.database, clock: clock)
            try await Harness.running(pipeline) {
                for expected in [2, 4, 5] {
                    try await Harness.eventually("\(expected) requests") { endpoint.requests.count == expected }
                    // A later cycle within the same second claims nothing more.
                    try await Harness.freshCycle(of: pipeline)
                    #expect(endpoint.requests.count == expected)
                    #expect(try await db.rows().filter { $0.nextAttempt == 0 }.count == 5 - expected)
                    clock.advance(by: .seconds(1))
                }
                try await Harness.eventually("no rows left") { try await db.rows().isEmpty }
            }
        }
    }
}
