import MQTTProtocol
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import Testing

@testable import MQTTBroker

/// Collects deliveries from an in-process client with a deadline, so a missing message
/// fails the test instead of hanging it.
private func next(
    _ count: Int,
    from client: InProcessClient,
    timeout: Duration = .seconds(5)
) async throws -> [InProcessDelivery] {
    try await withThrowingTaskGroup(of: [InProcessDelivery].self) { group in
        group.addTask {
            var received: [InProcessDelivery] = []
            for await delivery in client.deliveries {
                received.append(delivery)
                if received.count == count { break }
            }
            return received
        }
        group.addTask {
            try await Task.sleep(for: timeout)
            return []
        }
        let first = try #require(await group.next())
        group.cancelAll()
        return first
    }
}

private struct DenyingAuthorization: ClientAuthorization {
    var principal: String? { "denier" }
    func authorizePublish(topic: String, retain: Bool) -> PublishDecision {
        topic.hasPrefix("secret") ? .disconnect : .allow
    }
    func authorizeSubscribe(topicFilter: String) -> Bool { !topicFilter.hasPrefix("secret") }
    func authorizeReceive(topic: String) -> Bool { !topic.hasPrefix("private") }
}

private final class RecordingObserver: MessageObserver, @unchecked Sendable {
    private let lock = NIOLock()
    private var topics: [String] = []
    func messageAccepted(_ message: BrokerMessage, from publisher: PublisherInfo) {
        lock.withLock { topics.append("\(publisher.clientIdentifier):\(message.topic)") }
    }
    var seen: [String] { lock.withLock { topics } }
}

@Suite("Broker with in-process clients")
struct InProcessBrokerTests {
    private func makeBroker(queued: Int = 1000) -> Broker {
        Broker(configuration: .init(listeners: [], maximumQueuedMessages: queued))
    }

    @Test func publishReachesMatchingSubscribersOnly() async throws {
        let broker = makeBroker()
        let subscriber = broker.connectInProcess(clientIdentifier: "sub")
        let other = broker.connectInProcess(clientIdentifier: "other")
        let publisher = broker.connectInProcess(clientIdentifier: "pub")
        try subscriber.subscribe("sensors/+/temperature", qos: .atLeastOnce)
        try other.subscribe("unrelated/#")
        try publisher.publish(
            topic: "sensors/kitchen/temperature", payload: ByteBuffer(string: "21"), qos: .atLeastOnce)
        let received = try await next(1, from: subscriber)
        #expect(received.map { String(buffer: $0.message.payload) } == ["21"])
        #expect(received.first?.qos == .atLeastOnce)
        #expect(received.first?.retain == false)
        #expect(broker.statistics.messagesReceived == 1)
        #expect(broker.statistics.messagesSent == 1)
    }

    @Test func deliveryQoSIsTheMinimumOfPublishAndGranted() async throws {
        let broker = makeBroker()
        let low = broker.connectInProcess(clientIdentifier: "low")
        let high = broker.connectInProcess(clientIdentifier: "high")
        try low.subscribe("q", qos: .atMostOnce)
        try high.subscribe("q", qos: .exactlyOnce)
        let publisher = broker.connectInProcess(clientIdentifier: "pub")
        try publisher.publish(topic: "q", payload: ByteBuffer(string: "m"), qos: .atLeastOnce)
        #expect(try await next(1, from: low).first?.qos == .atMostOnce)
        #expect(try await next(1, from: high).first?.qos == .atLeastOnce)
    }

    @Test func retainedMessagesAreStoredReplacedClearedAndDeliveredWithRetainSet() async throws {
        let broker = makeBroker()
        let publisher = broker.connectInProcess(clientIdentifier: "pub")
        try publisher.publish(topic: "r/a", payload: ByteBuffer(string: "old"), retain: true)
        try publisher.publish(topic: "r/a", payload: ByteBuffer(string: "new"), retain: true)
        try publisher.publish(topic: "r/b", payload: ByteBuffer(string: "gone"), retain: true)
        try publisher.publish(topic: "r/b", payload: ByteBuffer(), retain: true)
        #expect(broker.retained.count == 1)

        let late = broker.connectInProcess(clientIdentifier: "late")
        try late.subscribe("r/+", qos: .atLeastOnce)
        let received = try await next(1, from: late)
        #expect(received.map { String(buffer: $0.message.payload) } == ["new"])
        #expect(received.first?.retain == true)
    }

    @Test func systemTopicsAreNotMatchedByLeadingWildcards() async throws {
        let broker = makeBroker()
        let all = broker.connectInProcess(clientIdentifier: "all")
        let system = broker.connectInProcess(clientIdentifier: "system")
        try all.subscribe("#")
        try system.subscribe("$aws/#")
        let publisher = broker.connectInProcess(clientIdentifier: "pub")
        try publisher.publish(topic: "$aws/events/x", payload: ByteBuffer(string: "1"))
        try publisher.publish(topic: "plain", payload: ByteBuffer(string: "2"))
        #expect(try await next(1, from: system).map(\.message.topic) == ["$aws/events/x"])
        #expect(try await next(1, from: all).map(\.message.topic) == ["plain"])
    }

    @Test func persistentSessionQueuesWhileAwayAndTakeoverEndsTheOldClient() async throws {
        let broker = makeBroker()
        let first = broker.connectInProcess(clientIdentifier: "device", cleanSession: false)
        try first.subscribe("cmd/#", qos: .atLeastOnce)
        first.disconnect()

        let publisher = broker.connectInProcess(clientIdentifier: "pub")
        for n in 1...3 {
            try publisher.publish(topic: "cmd/\(n)", payload: ByteBuffer(string: "\(n)"), qos: .atLeastOnce)
        }
        try publisher.publish(topic: "cmd/qos0", payload: ByteBuffer(string: "lost"), qos: .atMostOnce)

        let again = broker.connectInProcess(clientIdentifier: "device", cleanSession: false)
        let received = try await next(3, from: again)
        #expect(received.map { String(buffer: $0.message.payload) } == ["1", "2", "3"])

        // A third client with the same identifier takes the session over.
        let third = broker.connectInProcess(clientIdentifier: "device", cleanSession: false)
        var finished = true
        for await _ in again.deliveries { finished = false }
        #expect(finished)
        try publisher.publish(topic: "cmd/4", payload: ByteBuffer(string: "4"), qos: .atLeastOnce)
        #expect(try await next(1, from: third).map { String(buffer: $0.message.payload) } == ["4"])
    }

    @Test func offlineQueueIsBoundedAndDropsAreCounted() async throws {
        let broker = makeBroker(queued: 5)
        let device = broker.connectInProcess(clientIdentifier: "device", cleanSession: false)
        try device.subscribe("x", qos: .atLeastOnce)
        device.disconnect()
        let publisher = broker.connectInProcess(clientIdentifier: "pub")
        for n in 0..<12 { try publisher.publish(topic: "x", payload: ByteBuffer(string: "\(n)"), qos: .atLeastOnce) }
        #expect(broker.statistics.messagesDropped == 7)
        let back = broker.connectInProcess(clientIdentifier: "device", cleanSession: false)
        let received = try await next(5, from: back)
        #expect(received.map { String(buffer: $0.message.payload) } == ["0", "1", "2", "3", "4"])
    }

    @Test func cleanSessionForgetsEarlierSubscriptions() async throws {
        let broker = makeBroker()
        let device = broker.connectInProcess(clientIdentifier: "device", cleanSession: false)
        try device.subscribe("x", qos: .atLeastOnce)
        device.disconnect()
        let clean = broker.connectInProcess(clientIdentifier: "device", cleanSession: true)
        #expect(broker.index.subscriptionCount == 0)
        clean.disconnect()
    }

    @Test func authorizationDecidesPublishSubscribeAndReceive() async throws {
        let broker = makeBroker()
        let guarded = broker.connectInProcess(clientIdentifier: "guarded", authorization: DenyingAuthorization())
        #expect(try guarded.subscribe("secret/#") == nil)
        #expect(try guarded.subscribe("#") == .atMostOnce)
        #expect(throws: MQTTProtocolError.self) {
            try guarded.publish(topic: "secret/x", payload: ByteBuffer(string: "no"))
        }
        let publisher = broker.connectInProcess(clientIdentifier: "pub")
        try publisher.publish(topic: "private/x", payload: ByteBuffer(string: "hidden"))
        try publisher.publish(topic: "public/x", payload: ByteBuffer(string: "shown"))
        #expect(try await next(1, from: guarded).map(\.message.topic) == ["public/x"])
        #expect(broker.statistics.receiveDenied == 1)
    }

    @Test func observersSeeEveryAcceptedMessage() throws {
        let broker = makeBroker()
        let observer = RecordingObserver()
        broker.addObserver(observer)
        let publisher = broker.connectInProcess(clientIdentifier: "pub")
        try publisher.publish(topic: "a", payload: ByteBuffer(string: "1"))
        try publisher.publish(topic: "b", payload: ByteBuffer(string: "2"), qos: .exactlyOnce)
        #expect(observer.seen == ["pub:a", "pub:b"])
    }

    @Test func invalidTopicsAreRefused() {
        let broker = makeBroker()
        let client = broker.connectInProcess(clientIdentifier: "c")
        #expect(throws: MQTTProtocolError.self) { try client.publish(topic: "a/+", payload: ByteBuffer()) }
        #expect(throws: MQTTProtocolError.self) { try client.subscribe("a/#/b") }
    }

    @Test func persistentSessionsSurviveARestartThroughTheSessionStore() async throws {
        let store = InMemorySessionStore()
        do {
            let broker = Broker(configuration: .init(listeners: []), sessionStore: store)
            let running = Task { try await broker.run() }
            _ = try await broker.waitUntilListening()
            let device = broker.connectInProcess(clientIdentifier: "device", cleanSession: false)
            try device.subscribe("cmd", qos: .atLeastOnce)
            device.disconnect()
            let publisher = broker.connectInProcess(clientIdentifier: "pub")
            try publisher.publish(topic: "cmd", payload: ByteBuffer(string: "while-away"), qos: .atLeastOnce)
            running.cancel()
            try await running.value
        }
        let stored = try await store.loadSessions()
        #expect(stored.map(\.clientIdentifier) == ["device"])

        let broker = Broker(configuration: .init(listeners: []), sessionStore: store)
        let running = Task { try await broker.run() }
        _ = try await broker.waitUntilListening()
        let device = broker.connectInProcess(clientIdentifier: "device", cleanSession: false)
        #expect(try await next(1, from: device).map { String(buffer: $0.message.payload) } == ["while-away"])
        let publisher = broker.connectInProcess(clientIdentifier: "pub")
        try publisher.publish(topic: "cmd", payload: ByteBuffer(string: "after"), qos: .atLeastOnce)
        #expect(try await next(1, from: device).map { String(buffer: $0.message.payload) } == ["after"])
        running.cancel()
        try await running.value
    }
}
