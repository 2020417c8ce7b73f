import Foundation
import JSON
import NIOConcurrencyHelpers
import Testing

@testable import Notifications

@Suite("Delivery pipeline over HTTP")
struct DeliveryPipelineHTTPTests {
    typealias Harness = DeliveryPipelineHarness
    static let subscription = "0b1c2d3e-0000-4000-8000-000000000001"
    static let pending = "0b1c2d3e-0000-4000-8000-000000000002"

    @Test(
        "a notification and a confirmation are POSTed in AWS's format, signed, then removed",
        arguments: DeliveryTestEngine.available)
    func deliversAndSigns(engine: DeliveryTestEngine) async throws {
        try await DeliveryTestDatabase.with(engine) { db in
            let endpoint = try await TestHTTPEndpoint.start()
            try await db.addTopic(attributes: #"{"SignatureVersion":"2"}"#)
            try await db.addSubscription(id: Self.subscription, protocol: "http", endpoint: endpoint.url)
            try await db.addSubscription(id: Self.pending, protocol: "http", endpoint: endpoint.url, confirmed: false)
            let notification = DeliveryFixtures.notification(
                protocol: "http", endpoint: endpoint.url, subscriptionID: Self.subscription,
                attributes: ["site": .init(type: "String", value: "plant-2")])
            let confirmation = DeliveryFixtures.confirmation(
                protocol: "http", endpoint: endpoint.url, subscriptionID: Self.pending)
            try await db.addDelivery(notification, subscriptionID: Self.subscription)
            try await db.addDelivery(confirmation, subscriptionID: Self.pending)

            let pipeline = try Harness.pipeline(database: db.database)
            try await Harness.running(pipeline) {
                try await Harness.eventually("two requests and no rows") {
                    let empty = try await db.rows().isEmpty
                    return endpoint.requests.count == 2 && empty
                }
            }
            let requests = endpoint.requests
            let posted = try #require(requests.first { $0.headers["x-amz-sns-message-type"].first == "Notification" })
            #expect(posted.method == .POST)
            #expect(posted.uri == "/sns")
            #expect(posted.headers["x-amz-sns-message-id"] == [notification.messageId])
            #expect(posted.headers["x-amz-sns-topic-arn"] == [DeliveryFixtures.topicArn])
            #expect(posted.headers["x-amz-sns-subscription-arn"] == [notification.subscriptionArn])
            #expect(posted.headers["Content-Type"] == ["text/plain; charset=UTF-8"])
            #expect(posted.headers["User-Agent"] == ["Amazon Simple Notification Service Agent"])
            let json = try JSONValue.parse(posted.text)
            #expect(json["SignatureVersion"]?.stringValue == "2")
            #expect(json["Message"]?.stringValue == notification.message)
            #expect(json["MessageAttributes"]?["site"]?["Value"]?.stringValue == "plant-2")
            #expect(
                try IndependentSNSVerifier.isValid(
                    json: posted.text, certificatePEM: pipeline.renderer.signer.certificatePEM))

            let confirming = try #require(
                requests.first { $0.headers["x-amz-sns-message-type"].first == "SubscriptionConfirmation" })
            #expect(confirming.headers["x-amz-sns-subscription-arn"].isEmpty)
            let fields = try IndependentSNSVerifier.fields(ofJSON: confirming.text)
            #expect(fields["Token"] == DeliveryFixtures.token)
            #expect(
                fields["SubscribeURL"]?.hasPrefix("http://localhost:8080/?Action=ConfirmSubscription&TopicArn=") == true
            )
            #expect(
                try IndependentSNSVerifier.isValid(
                    json: confirming.text, certificatePEM: SNSSigningCredentials.shared.certificatePEM))

            #expect(pipeline.statistics.counts(topic: "alerts", protocol: "http") == .init(delivered: 2))
            await endpoint.close()
        }
    }

    @Test(
        "deliveries whose subscription is gone, or in the wrong state, are dropped unsent",
        arguments: DeliveryTestEngine.available)
    func drops(engine: DeliveryTestEngine) async throws {
        try await DeliveryTestDatabase.with(engine) { db in
            let endpoint = try await TestHTTPEndpoint.start()
            try await db.addTopic()
            try await db.addSubscription(id: Self.subscription, protocol: "http", endpoint: endpoint.url)
            try await db.addSubscription(id: Self.pending, protocol: "http", endpoint: endpoint.url, confirmed: false)
            // A notification to a pending subscription, a confirmation to a confirmed one, and one to a
            // subscription deleted after publishing.
            try await db.addDelivery(
                DeliveryFixtures.notification(protocol: "http", endpoint: endpoint.url, subscriptionID: Self.pending),
                subscriptionID: Self.pending)
            try await db.addDelivery(
                DeliveryFixtures.confirmation(
                    protocol: "http", endpoint: endpoint.url, subscriptionID: Self.subscription),
                subscriptionID: Self.subscription)
            let gone = "0b1c2d3e-0000-4000-8000-000000000009"
            try await db.addSubscription(id: gone, protocol: "https", endpoint: endpoint.url)
            try await db.addDelivery(
                DeliveryFixtures.notification(protocol: "https", endpoint: endpoint.url, subscriptionID: gone),
                subscriptionID: gone)
            try await db.deleteSubscription(gone)
            // And one that is delivered, so the test knows the pipeline has looked at everything.
            try await db.addDelivery(
                DeliveryFixtures.notification(
                    protocol: "http", endpoint: endpoint.url, subscriptionID: Self.subscription),
                subscriptionID: Self.subscription)

            let pipeline = try Harness.pipeline(database: db.database)
            try await Harness.running(pipeline) {
                try await Harness.eventually("all rows handled") { try await db.rows().isEmpty }
            }
            #expect(endpoint.requests.count == 1)
            #expect(pipeline.statistics.counts(topic: "alerts", protocol: "http") == .init(delivered: 1, dropped: 2))
            #expect(pipeline.statistics.counts(topic: "alerts", protocol: "https") == .init(dropped: 1))
            await endpoint.close()
        }
    }

    @Test(
        "500, 500, 200: retried on AWS's 20-second schedule with the same MessageId, then delivered",
        arguments: DeliveryTestEngine.available)
    func retriesThenDelivers(engine: DeliveryTestEngine) async throws {
        try await DeliveryTestDatabase.with(engine) { db in
            let endpoint = try await TestHTTPEndpoint.start { index, _ in .status(index < 2 ? 500 : 200) }
            try await db.addTopic()
            try await db.addSubscription(id: Self.subscription, protocol: "http", endpoint: endpoint.url)
            let clock = ManualDeliveryClock()
            let payload = DeliveryFixtures.notification(
                protocol: "http", endpoint: endpoint.url, subscriptionID: Self.subscription)
            let id = try await db.addDelivery(payload, subscriptionID: Self.subscription, nextAttempt: clock.now())

            let pipeline = try Harness.pipeline(database: db.database, clock: clock)
            try await Harness.running(pipeline) {
                for attempt in 1...2 {
                    try await Harness.eventually("failed attempt \(attempt) recorded") {
                        try await db.row(id)?.attempts == Int64(attempt)
                    }
                    let row = try #require(try await db.row(id))
                    #expect(row.nextAttempt == clock.now() + 20_000)
                    #expect(row.lastError == "HTTP status 500")
                    // Not retried before the delay is over.
                    try await Harness.freshCycle(of: pipeline)
                    #expect(endpoint.requests.count == attempt)
                    #expect(try await db.row(id)?.nextAttempt == clock.now() + 20_000)
                    clock.advance(by: .seconds(20))
                    pipeline.wake()
                }
                try await Harness.eventually("delivered") { try await db.row(id) == nil }
            }
            #expect(endpoint.requests.count == 3)
            #expect(Set(endpoint.requests.map { $0.headers["x-amz-sns-message-id"].first }) == [payload.messageId])
            #expect(pipeline.statistics.counts(topic: "alerts", protocol: "http") == .init(delivered: 1, retried: 2))
            await endpoint.close()
        }
    }

    @Test(
        "an exhausted retry policy gives the delivery up: removed and counted as failed",
        arguments: DeliveryTestEngine.available)
    func givesUp(engine: DeliveryTestEngine) async throws {
        try await DeliveryTestDatabase.with(engine) { db in
            let endpoint = try await TestHTTPEndpoint.start { _, _ in .status(503) }
            try await db.addTopic(
                attributes: #"{"DeliveryPolicy":"{\"http\":{\"defaultHealthyRetryPolicy\":{\"numRetries\":3}}}"}"#)
            try await db.addSubscription(
                id: Self.subscription, protocol: "http", endpoint: endpoint.url,
                attributes:
                    #"{"DeliveryPolicy":"{\"healthyRetryPolicy\":{\"numRetries\":1,\"minDelayTarget\":5,\"maxDelayTarget\":5},\"requestPolicy\":{\"headerContentType\":\"application/json\"}}"}"#
            )
            let clock = ManualDeliveryClock()
            let id = try await db.addDelivery(
                DeliveryFixtures.notification(
                    protocol: "http", endpoint: endpoint.url, subscriptionID: Self.subscription),
                subscriptionID: Self.subscription, nextAttempt: clock.now())
            let pipeline = try Harness.pipeline(database: db.database, clock: clock)
            try await Harness.running(pipeline) {
                try await Harness.eventually("first failure") { try await db.row(id)?.attempts == 1 }
                #expect(try await db.row(id)?.nextAttempt == clock.now() + 5_000)
                clock.advance(by: .seconds(5))
                pipeline.wake()
                try await Harness.eventually("given up") { try await db.row(id) == nil }
            }
            #expect(endpoint.requests.count == 2)
            // The same effective policy gives the Content-Type.
            #expect(endpoint.requests.allSatisfy { $0.headers["Content-Type"] == ["application/json"] })
            #expect(pipeline.statistics.counts(topic: "alerts", protocol: "http") == .init(failed: 1, retried: 1))
            await endpoint.close()
        }
    }

    @Test(
        "a stuck endpoint does not delay another subscriber; its deliveries are given back at shutdown",
        arguments: DeliveryTestEngine.available)
    func stuckEndpoint(engine: DeliveryTestEngine) async throws {
        try await DeliveryTestDatabase.with(engine) { db in
            let stuck = try await TestHTTPEndpoint.start { _, _ in .hang }
            let healthy = try await TestHTTPEndpoint.start()
            try await db.addTopic()
            let stuckID = "0b1c2d3e-0000-4000-8000-00000000000a"
            try await db.addSubscription(id: stuckID, protocol: "http", endpoint: stuck.url)
            try await db.addSubscription(id: Self.subscription, protocol: "http", endpoint: healthy.url)
            // Ten for the stuck endpoint first (older), more than its concurrency limit, then one for the healthy one.
            for _ in 0..<10 {
                try await db.addDelivery(
                    DeliveryFixtures.notification(protocol: "http", endpoint: stuck.url, subscriptionID: stuckID),
                    subscriptionID: stuckID, nextAttempt: 1)
            }
            try await db.addDelivery(
                DeliveryFixtures.notification(
                    protocol: "http", endpoint: healthy.url, subscriptionID: Self.subscription),
                subscriptionID: Self.subscription, nextAttempt: 2)

            let pipeline = try Harness.pipeline(
                database: db.database,
                configuration: Harness.configuration(
                    httpTimeout: .seconds(60), pollInterval: .seconds(3600), perEndpoint: 3))
            let started = ContinuousClock.now
            try await Harness.running(pipeline) {
                // Well before the stuck endpoint's 60-second timeout, even on a loaded machine.
                try await Harness.eventually(timeout: .seconds(20), "the healthy endpoint served") {
                    healthy.requests.count == 1
                }
                #expect(ContinuousClock.now - started < .seconds(20))
                // The stuck endpoint holds exactly its three slots.
                try await Harness.eventually("three requests to the stuck endpoint") { stuck.requests.count >= 3 }
                try await Harness.freshCycle(of: pipeline)
                #expect(stuck.requests.count == 3)
                #expect(try await db.rows().filter { $0.nextAttempt == 1 }.count == 7)
            }
            // Shutdown cancelled the three and gave their claims back: all ten are due again, untried.
            let rows = try await db.rows()
            #expect(rows.count == 10)
            #expect(rows.allSatisfy { $0.attempts == 0 && $0.nextAttempt == 1 })
            #expect(pipeline.statistics.counts(topic: "alerts", protocol: "http") == .init(delivered: 1))
            await stuck.close()
            await healthy.close()
        }
    }

    @Test(
        "deliveries survive a restart: claimed ones are given back, and a new pipeline delivers them",
        arguments: DeliveryTestEngine.available)
    func survivesRestart(engine: DeliveryTestEngine) async throws {
        try await DeliveryTestDatabase.with(engine) { db in
            let answering = NIOLockedValueBox(false)
            let endpoint = try await TestHTTPEndpoint.start { _, _ in
                answering.withLockedValue { $0 } ? .status(204) : .hang
            }
            try await db.addTopic()
            try await db.addSubscription(id: Self.subscription, protocol: "http", endpoint: endpoint.url)
            var ids: [String] = []
            for _ in 0..<2 {
                ids.append(
                    try await db.addDelivery(
                        DeliveryFixtures.notification(
                            protocol: "http", endpoint: endpoint.url, subscriptionID: Self.subscription),
                        subscriptionID: Self.subscription))
            }
            let first = try Harness.pipeline(database: db.database)
            try await Harness.running(first) {
                try await Harness.eventually("both in flight") { endpoint.requests.count == 2 }
            }
            #expect(try await db.rows().map(\.id).sorted() == ids.sorted())
            await db.database.shutdown()

            // A new process: the database opened again, a new pipeline.
            answering.withLockedValue { $0 = true }
            let database = try await db.reopened()
            do {
                let second = try Harness.pipeline(database: database)
                try await Harness.running(second) {
                    try await Harness.eventually("delivered after restart") {
                        try await database.read { try await $0.raw("SELECT id FROM sns_deliveries").all().isEmpty }
                    }
                }
                #expect(endpoint.requests.count == 4)
                #expect(second.statistics.counts(topic: "alerts", protocol: "http") == .init(delivered: 2))
            } catch {
                await database.shutdown()
                throw error
            }
            await database.shutdown()
            await endpoint.close()
        }
    }

    @Test(
        "two pipelines on one database (two nodes) never send the same delivery",
        arguments: DeliveryTestEngine.available)
    func twoPipelinesClaimDisjointly(engine: DeliveryTestEngine) async throws {
        try await DeliveryTestDatabase.with(engine) { db in
            let endpoint = try await TestHTTPEndpoint.start()
            try await db.addTopic()
            var messageIDs: Set<String> = []
            for index in 0..<8 {
                let id = "0b1c2d3e-0000-4000-8000-00000000010\(index)"
                let url = endpoint.url + "/\(index)"
                try await db.addSubscription(id: id, protocol: "http", endpoint: url)
                for _ in 0..<10 {
                    let payload = DeliveryFixtures.notification(protocol: "http", endpoint: url, subscriptionID: id)
                    messageIDs.insert(payload.messageId)
                    try await db.addDelivery(payload, subscriptionID: id)
                }
            }
            let other = try await db.reopened()
            do {
                let first = try Harness.pipeline(database: db.database)
                let second = try Harness.pipeline(database: other)
                try await Harness.running(first) {
                    try await Harness.running(second) {
                        try await Harness.eventually("all delivered") { try await db.rows().isEmpty }
                    }
                }
                let sent = endpoint.requests.compactMap { $0.headers["x-amz-sns-message-id"].first }
                #expect(sent.count == 80)
                #expect(Set(sent) == messageIDs)
                let delivered = [first, second].map {
                    $0.statistics.counts(topic: "alerts", protocol: "http").delivered
                }
                #expect(delivered.reduce(0, +) == 80)
            } catch {
                await other.shutdown()
                throw error
            }
            await other.shutdown()
            await endpoint.close()
        }
    }

    @Test("wake() starts due deliveries without waiting for the poll", arguments: DeliveryTestEngine.available)
    func wakeUp(engine: DeliveryTestEngine) async throws {
        try await DeliveryTestDatabase.with(engine) { db in
            let endpoint = try await TestHTTPEndpoint.start()
            try await db.addTopic()
            try await db.addSubscription(id: Self.pending, protocol: "http", endpoint: endpoint.url, confirmed: false)
            let pipeline = try Harness.pipeline(
                database: db.database, configuration: Harness.configuration(pollInterval: .seconds(3600)))
            try await Harness.running(pipeline) {
                // The first cycle at start finds nothing; a delivery written after it waits for wake().
                try await Harness.firstCycle(of: pipeline)
                try await db.addDelivery(
                    DeliveryFixtures.confirmation(
                        protocol: "http", endpoint: endpoint.url, subscriptionID: Self.pending),
                    subscriptionID: Self.pending)
                try await Task.sleep(for: .milliseconds(300))
                #expect(endpoint.requests.isEmpty)
                #expect(pipeline.completedCycles == 1)
                pipeline.wake()
                // The poll is an hour away: only wake() can deliver it within this wait.
                try await Harness.eventually(timeout: .seconds(30), "delivered on wake") {
                    endpoint.requests.count == 1
                }
            }
            await endpoint.close()
        }
    }

    @Test("an unreadable payload or an unusable endpoint is given up at once", arguments: DeliveryTestEngine.available)
    func permanentFailures(engine: DeliveryTestEngine) async throws {
        try await DeliveryTestDatabase.with(engine) { db in
            try await db.addTopic()
            try await db.addSubscription(id: Self.subscription, protocol: "http", endpoint: "http://")
            let payload = DeliveryFixtures.notification(
                protocol: "http", endpoint: "http://", subscriptionID: Self.subscription)
            try await db.addDelivery(payload, subscriptionID: Self.subscription)
            try await db.addDelivery(payload, subscriptionID: Self.subscription, rawPayload: "{\"kind\":")
            let pipeline = try Harness.pipeline(database: db.database)
            try await Harness.running(pipeline) {
                try await Harness.eventually("both given up") { try await db.rows().isEmpty }
            }
            #expect(pipeline.statistics.counts(topic: "alerts", protocol: "http") == .init(failed: 1))
            #expect(pipeline.statistics.counts(topic: "unknown", protocol: "unknown") == .init(failed: 1))
        }
    }
}
