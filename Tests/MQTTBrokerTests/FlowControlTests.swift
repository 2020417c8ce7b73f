import MQTTProtocol
import NIOConcurrencyHelpers
import NIOCore
import NIOEmbedded
import Testing

@testable import MQTTBroker

/// Flow control between publishers and subscribers: a session under pressure (congested
/// channel, or a half-full QoS 1 queue while the client still acknowledges) asks publishers to
/// wait; pressure that outlasts the stall timeout is a stall and nobody waits for it.
@Suite("Flow control")
struct FlowControlTests {
    /// A connection that records what the session hands it.
    private final class RecordingConnection: SessionConnection, @unchecked Sendable {
        let eventLoop: any EventLoop = EmbeddedEventLoop()
        func deliver(_ items: [OutboundItem], of session: Session) {}
        func closeForTakeover() {}
        func close(reason: DisconnectReason) {}
    }

    /// Counts how often a waiter was resumed.
    private final class Resumptions: Sendable {
        private let count = NIOLockedValueBox(0)
        var value: Int { count.withLockedValue { $0 } }
        func callAsFunction() { count.withLockedValue { $0 += 1 } }
    }

    private func attachedSession(
        maximumInflight: Int = 10, maximumQueued: Int = 10, stallTimeout: TimeAmount = .seconds(30),
        mailboxLimit: Int = 1000
    ) -> Session {
        let session = Session(
            state: SessionState(
                clientIdentifier: "subscriber", isPersistent: false, maximumInflight: maximumInflight,
                maximumQueued: maximumQueued),
            counters: BrokerCounters(),
            mailboxLimit: mailboxLimit,
            stallTimeout: stallTimeout
        )
        _ = session.attach(RecordingConnection(), authorization: AllowAllAuthorizer())
        return session
    }

    private func message(_ qos: MQTTQoS = .atMostOnce) -> BrokerMessage {
        BrokerMessage(
            topic: "t", payload: ByteBuffer(string: "x"), qos: qos, retain: false, publisherClientIdentifier: "p")
    }

    // MARK: Session pressure

    @Test func aWritableSessionPutsNoPressureOnPublishers() {
        let session = attachedSession()
        #expect(!session.deliver(message(), qos: .atMostOnce, retain: false))
        let resumed = Resumptions()
        #expect(!session.waitForPressureToEase { resumed() })
        #expect(resumed.value == 1)
    }

    @Test func aCongestedChannelAsksPublishersToWaitUntilItIsWritableAgain() {
        let session = attachedSession()
        session.channelWritabilityChanged(isWritable: false)
        #expect(session.deliver(message(), qos: .atMostOnce, retain: false))
        #expect(!session.isStalled)
        let resumed = Resumptions()
        #expect(session.waitForPressureToEase { resumed() })
        #expect(resumed.value == 0)
        session.channelWritabilityChanged(isWritable: true)
        #expect(resumed.value == 1)
        #expect(!session.deliver(message(), qos: .atMostOnce, retain: false))
    }

    @Test func aBackedUpMailboxAsksPublishersToWaitUntilItIsDrained() {
        // Limit 8: pressure from 2 waiting messages (a quarter), drops only at 8.
        let session = attachedSession(mailboxLimit: 8)
        #expect(!session.deliver(message(), qos: .atMostOnce, retain: false))
        #expect(session.deliver(message(), qos: .atMostOnce, retain: false))
        let resumed = Resumptions()
        #expect(session.waitForPressureToEase { resumed() })
        session.drain()
        #expect(resumed.value == 1)
        #expect(!session.deliver(message(), qos: .atMostOnce, retain: false))
    }

    @Test func congestionLongerThanTheStallTimeoutIsAStallNobodyWaitsFor() async throws {
        let session = attachedSession(stallTimeout: .milliseconds(20))
        session.channelWritabilityChanged(isWritable: false)
        #expect(session.deliver(message(), qos: .atMostOnce, retain: false))
        try await Task.sleep(for: .milliseconds(60))
        #expect(session.isStalled)
        #expect(!session.deliver(message(), qos: .atMostOnce, retain: false))
        let resumed = Resumptions()
        #expect(!session.waitForPressureToEase { resumed() })
        #expect(resumed.value == 1)
    }

    @Test func aCongestedClientWhoseWritesStillCompleteIsSlowNotStalled() async throws {
        let session = attachedSession(stallTimeout: .milliseconds(20))
        session.channelWritabilityChanged(isWritable: false)
        try await Task.sleep(for: .milliseconds(60))
        session.recordWriteProgress()
        #expect(!session.isStalled)
        #expect(session.deliver(message(), qos: .atMostOnce, retain: false))
        try await Task.sleep(for: .milliseconds(60))
        #expect(session.isStalled)
    }

    @Test func aHalfFullQueueAsksPublishersToWaitUntilAcknowledgementsDrainIt() {
        let session = attachedSession(maximumInflight: 1, maximumQueued: 4)
        // One in flight, then the queue fills: pressure from the second queued message on.
        #expect(!session.deliver(message(.atLeastOnce), qos: .atLeastOnce, retain: false))
        #expect(!session.deliver(message(.atLeastOnce), qos: .atLeastOnce, retain: false))
        #expect(session.deliver(message(.atLeastOnce), qos: .atLeastOnce, retain: false))
        let resumed = Resumptions()
        #expect(session.waitForPressureToEase { resumed() })
        // PUBACK of the in-flight message (packet identifier 1) moves one queued message in.
        session.acknowledge(1)
        #expect(resumed.value == 1)
    }

    @Test func aSubscriberThatStopsAcknowledgingIsNotWaitedForAfterTheStallTimeout() async throws {
        let session = attachedSession(maximumInflight: 1, maximumQueued: 4, stallTimeout: .milliseconds(20))
        for _ in 0..<3 { _ = session.deliver(message(.atLeastOnce), qos: .atLeastOnce, retain: false) }
        try await Task.sleep(for: .milliseconds(60))
        #expect(!session.deliver(message(.atLeastOnce), qos: .atLeastOnce, retain: false))
    }

    @Test func detachingReleasesTheWaitingPublishers() {
        let connection = RecordingConnection()
        let session = Session(
            state: SessionState(clientIdentifier: "s", isPersistent: true, maximumInflight: 10, maximumQueued: 10),
            counters: BrokerCounters(), mailboxLimit: 1000, stallTimeout: .seconds(30))
        _ = session.attach(connection, authorization: AllowAllAuthorizer())
        session.channelWritabilityChanged(isWritable: false)
        let resumed = Resumptions()
        #expect(session.waitForPressureToEase { resumed() })
        session.detach(connection)
        #expect(resumed.value == 1)
        // Offline: messages queue for the persistent session, nobody waits.
        #expect(!session.deliver(message(.atLeastOnce), qos: .atLeastOnce, retain: false))
    }

    // MARK: Publisher side

    @Test func aPausedPublisherHoldsItsReadUntilEverySessionEased() {
        let loop = EmbeddedEventLoop()
        var flow = PublisherFlowControl()
        let episode = flow.pause(waitingFor: 2, on: loop, stallTimeout: .seconds(1)) { _ in }
        #expect(flow.isPaused)
        do {
            let result = flow.mayRead()
            #expect(!result)
        }
        do {
            let result = flow.eased(episode: episode)
            #expect(!result)
        }
        #expect(flow.isPaused)
        do {
            let result = flow.eased(episode: episode)
            #expect(result)
        }
        #expect(!flow.isPaused)
        do {
            let result = flow.mayRead()
            #expect(result)
        }
    }

    @Test func theStallTimeoutEndsAPause() {
        let loop = EmbeddedEventLoop()
        var flow = PublisherFlowControl()
        let timedOut = NIOLockedValueBox<Int?>(nil)
        let episode = flow.pause(waitingFor: 1, on: loop, stallTimeout: .milliseconds(250)) { episode in
            timedOut.withLockedValue { $0 = episode }
        }
        loop.advanceTime(by: .milliseconds(249))
        #expect(timedOut.withLockedValue { $0 } == nil)
        loop.advanceTime(by: .milliseconds(1))
        #expect(timedOut.withLockedValue { $0 } == episode)
        // A read asked for during the pause is issued on resume; nothing otherwise.
        do {
            let result = flow.mayRead()
            #expect(!result)
        }
        do {
            let result = flow.resume(episode: episode)
            #expect(result)
        }
        do {
            let result = flow.resume(episode: episode)
            #expect(!result)
        }
    }

    @Test func lateWakeUpsOfAnEarlierPauseAreIgnored() {
        let loop = EmbeddedEventLoop()
        var flow = PublisherFlowControl()
        let first = flow.pause(waitingFor: 1, on: loop, stallTimeout: .seconds(1)) { _ in }
        _ = flow.resume(episode: first)
        let second = flow.pause(waitingFor: 1, on: loop, stallTimeout: .seconds(1)) { _ in }
        #expect(second != first)
        do {
            let result = flow.eased(episode: first)
            #expect(!result)
        }
        #expect(flow.isPaused)
        do {
            let result = flow.mayRead()
            #expect(!result)
        }
        do {
            let result = flow.eased(episode: second)
            #expect(result)
        }
    }

    @Test func morePressuredSessionsWhilePausedJoinTheSamePause() {
        let loop = EmbeddedEventLoop()
        var flow = PublisherFlowControl()
        let first = flow.pause(waitingFor: 1, on: loop, stallTimeout: .seconds(1)) { _ in }
        let again = flow.pause(waitingFor: 1, on: loop, stallTimeout: .seconds(1)) { _ in }
        #expect(first == again)
        do {
            let result = flow.eased(episode: first)
            #expect(!result)
        }
        #expect(flow.isPaused)
        _ = flow.eased(episode: first)
        #expect(!flow.isPaused)
    }
}
