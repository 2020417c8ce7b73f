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
        arguments: [
            (nil, nil, nil),
            (nil, #"{"throttlePolicy":{"maxReceivesPerSecond":5}}"#, 5),
            (#"{"http":{"defaultThrottlePolicy":{"maxReceivesPerSecond":3}}}"#, nil, 3),
            (
                #"{"http":{"defaultThrottlePolicy":{"maxReceivesPerSecond":3}}}"#,
                #"{"throttlePolicy":{"maxReceivesPerSecond":7}}"#, 7
            ),
            (
                #"{"http":{"disableSubscriptionOverrides":true,"defaultThrottlePolicy":{"maxReceivesPerSecond":3}}}"#,
                #"{"throttlePolicy":{"maxReceivesPerSecond":7}}"#, 3
            ),
            (nil, #"{"throttlePolicy":{"maxReceivesPerSecond":0}}"#, nil),
            (nil, #"{"throttlePolicy":{"maxReceivesPerSecond":"9"}}"#, nil),
            (nil, #"{"throttlePolicy": not json"#, nil),
        ] as [(String?, String?, Int?)])
    func effectiveRate(topic: String?, subscription: String?, expected: Int?) {
        #expect(
            DeliveryRetryPolicy.effectiveMaxReceivesPerSecond(topicPolicy: topic, subscriptionPolicy: subscription)
                == expected)
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
