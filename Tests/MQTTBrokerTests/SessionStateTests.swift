import MQTTProtocol
import NIOCore
import Testing

@testable import MQTTBroker

private func message(_ topic: String = "t", _ text: String = "x", qos: MQTTQoS = .atLeastOnce) -> BrokerMessage {
    BrokerMessage(
        topic: topic, payload: ByteBuffer(string: text), qos: qos, retain: false, publisherClientIdentifier: "p")
}

private func text(_ item: OutboundItem) -> String? {
    guard case .publish(let message, _, _, _, _) = item else { return nil }
    return String(buffer: message.payload)
}

private func identifier(_ item: OutboundItem) -> MQTTPacketIdentifier? {
    switch item {
    case .publish(_, _, let identifier, _, _): identifier
    case .pubrel(let identifier): identifier
    }
}

private func sent(_ result: SessionState.EnqueueResult) -> OutboundItem? {
    if case .send(let item) = result { return item }
    return nil
}

@Suite("Session state as values")
struct SessionStateTests {
    private func online(inflight: Int = 2, queued: Int = 3, persistent: Bool = false) -> SessionState {
        var state = SessionState(
            clientIdentifier: "c", isPersistent: persistent, maximumInflight: inflight, maximumQueued: queued)
        _ = state.attach()
        return state
    }

    @Test func qos0IsSentWhileOnlineAndSkippedWhileAway() {
        var state = online()
        #expect(sent(state.enqueue(message(qos: .atMostOnce), qos: .atMostOnce, retain: false)) != nil)
        state.detach()
        guard case .skippedOffline = state.enqueue(message(qos: .atMostOnce), qos: .atMostOnce, retain: false) else {
            Issue.record("QoS 0 for an absent client must not be queued")
            return
        }
    }

    @Test func qos1FillsTheWindowThenQueuesThenDrops() throws {
        var state = online(inflight: 2, queued: 2)
        let first = try #require(sent(state.enqueue(message("t", "1"), qos: .atLeastOnce, retain: false)))
        let second = try #require(sent(state.enqueue(message("t", "2"), qos: .atLeastOnce, retain: false)))
        #expect(identifier(first) != identifier(second))
        guard case .queued = state.enqueue(message("t", "3"), qos: .atLeastOnce, retain: false),
            case .queued = state.enqueue(message("t", "4"), qos: .atLeastOnce, retain: false),
            case .dropped = state.enqueue(message("t", "5"), qos: .atLeastOnce, retain: false)
        else {
            Issue.record("expected queued, queued, dropped")
            return
        }
        // PUBACK of the first frees a slot for the oldest queued message.
        let released = state.acknowledge(try #require(identifier(first)))
        #expect(released.compactMap(text) == ["3"])
        #expect(state.inflight.count == 2)
        #expect(state.queue.count == 1)
    }

    @Test func newMessagesWaitBehindQueuedOnesToKeepOrder() throws {
        var state = online(inflight: 1, queued: 10)
        let first = try #require(sent(state.enqueue(message("t", "1"), qos: .atLeastOnce, retain: false)))
        _ = state.enqueue(message("t", "2"), qos: .atLeastOnce, retain: false)
        let released = state.acknowledge(try #require(identifier(first)))
        #expect(released.compactMap(text) == ["2"])
        // The window is full again; "3" must wait even though nothing else is queued.
        guard case .queued = state.enqueue(message("t", "3"), qos: .atLeastOnce, retain: false) else {
            Issue.record("expected the message to wait for the window")
            return
        }
    }

    @Test func unknownOrMismatchedAcknowledgementsAreIgnored() throws {
        var state = online()
        let item = try #require(sent(state.enqueue(message(), qos: .exactlyOnce, retain: false)))
        let id = try #require(identifier(item))
        #expect(state.acknowledge(id).isEmpty)  // PUBACK for a QoS 2 message
        #expect(state.completed(id).isEmpty)  // PUBCOMP before PUBREC
        #expect(state.acknowledge(999).isEmpty)
        #expect(state.inflight.count == 1)
    }

    @Test func qos2FlowSendsPubrelThenFreesOnPubcomp() throws {
        var state = online(inflight: 1, queued: 5)
        let item = try #require(sent(state.enqueue(message("t", "1"), qos: .exactlyOnce, retain: false)))
        _ = state.enqueue(message("t", "2"), qos: .exactlyOnce, retain: false)
        let id = try #require(identifier(item))
        let afterPubrec = state.received(id)
        guard case .pubrel(id)? = afterPubrec.first, afterPubrec.count == 1 else {
            Issue.record("PUBREC must be answered by exactly one PUBREL, got \(afterPubrec)")
            return
        }
        // A repeated PUBREC gets the PUBREL again.
        #expect(state.received(id).count == 1)
        let afterPubcomp = state.completed(id)
        #expect(afterPubcomp.compactMap(text) == ["2"])
    }

    @Test func reattachResendsUnacknowledgedWithDupInOrderThenQueued() throws {
        var state = online(inflight: 2, queued: 5, persistent: true)
        let a = try #require(sent(state.enqueue(message("t", "a"), qos: .atLeastOnce, retain: false)))
        let b = try #require(sent(state.enqueue(message("t", "b"), qos: .exactlyOnce, retain: false)))
        _ = state.received(try #require(identifier(b)))  // b now awaits PUBCOMP
        state.detach()
        _ = state.enqueue(message("t", "c"), qos: .atLeastOnce, retain: false)
        let resent = state.attach()
        #expect(resent.count == 2)
        guard case .publish(let first, _, let firstID, _, let duplicate) = resent[0],
            case .pubrel(let pubrelID) = resent[1]
        else {
            Issue.record("expected PUBLISH a (DUP) then PUBREL b, got \(resent)")
            return
        }
        #expect(String(buffer: first.payload) == "a")
        #expect(duplicate)
        #expect(firstID == identifier(a))
        #expect(pubrelID == identifier(b))
        // "c" waits for the window: both slots are still taken.
        #expect(state.queue.count == 1)
        #expect(state.acknowledge(try #require(identifier(a))).compactMap(text) == ["c"])
    }

    @Test func incomingExactlyOnceIdentifiersAreRememberedUntilReleased() {
        var state = online()
        let first = state.receiveExactlyOnce(7)
        let repeated = state.receiveExactlyOnce(7)
        state.release(7)
        let afterRelease = state.receiveExactlyOnce(7)
        #expect(first)
        #expect(!repeated)
        #expect(afterRelease)
        #expect(state.awaitingReleaseCount == 1)
    }

    @Test func packetIdentifiersSkipOnesInUseAndNeverUseZero() throws {
        var state = online(inflight: 3, queued: 0)
        var seen: Set<MQTTPacketIdentifier> = []
        let first = try #require(sent(state.enqueue(message(), qos: .atLeastOnce, retain: false)))
        seen.insert(try #require(identifier(first)))
        // Cycle through the whole identifier space with one message kept in flight.
        for _ in 0..<70_000 {
            let item = try #require(sent(state.enqueue(message(), qos: .atLeastOnce, retain: false)))
            let id = try #require(identifier(item))
            #expect(id != 0)
            #expect(id != identifier(first))
            _ = state.acknowledge(id)
        }
        #expect(state.inflight.count == 1)
    }

    @Test func persistedStateRoundTripsPendingMessagesInOrder() throws {
        var state = online(inflight: 1, queued: 5, persistent: true)
        state.subscriptions = ["a/#": .atLeastOnce]
        _ = state.enqueue(message("t", "1"), qos: .atLeastOnce, retain: false)
        _ = state.enqueue(message("t", "2"), qos: .exactlyOnce, retain: true)
        _ = state.receiveExactlyOnce(42)
        let stored = state.persisted
        #expect(stored.pendingMessages.map { String(buffer: $0.payload) } == ["1", "2"])
        #expect(stored.awaitingRelease == [42])

        var restored = SessionState(restoring: stored, maximumInflight: 5, maximumQueued: 5)
        #expect(restored.subscriptions == ["a/#": .atLeastOnce])
        let resent = restored.attach()
        #expect(resent.compactMap(text) == ["1", "2"])
        let isNew = restored.receiveExactlyOnce(42)
        #expect(!isNew)
    }
}
