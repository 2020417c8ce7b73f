import Atomics
import Metrics

/// The broker's counters: exported through swift-metrics and readable as a snapshot.
final class BrokerCounters: Sendable {
    private let connectionsTotal = ManagedAtomic<Int>(0)
    private let connectionsActive = ManagedAtomic<Int>(0)
    private let messagesReceived = ManagedAtomic<Int>(0)
    private let messagesSent = ManagedAtomic<Int>(0)
    private let messagesDropped = ManagedAtomic<Int>(0)
    private let messagesQueued = ManagedAtomic<Int>(0)
    private let receiveDenied = ManagedAtomic<Int>(0)
    private let protocolErrors = ManagedAtomic<Int>(0)

    private let connectionsCounter = Counter(label: "mqtt_connections_total")
    private let activeGauge = Gauge(label: "mqtt_connections_active")
    private let receivedCounter = Counter(label: "mqtt_messages_received_total")
    private let sentCounter = Counter(label: "mqtt_messages_sent_total")
    private let droppedCounter = Counter(label: "mqtt_messages_dropped_total")
    private let protocolErrorCounter = Counter(label: "mqtt_protocol_errors_total")

    func connectionOpened() {
        connectionsTotal.wrappingIncrement(ordering: .relaxed)
        let active = connectionsActive.wrappingIncrementThenLoad(ordering: .relaxed)
        connectionsCounter.increment()
        activeGauge.record(active)
    }

    func connectionClosed() {
        let active = connectionsActive.wrappingDecrementThenLoad(ordering: .relaxed)
        activeGauge.record(active)
    }

    func received(_ count: Int = 1) {
        messagesReceived.wrappingIncrement(by: count, ordering: .relaxed)
        receivedCounter.increment(by: count)
    }

    func sent(_ count: Int) {
        messagesSent.wrappingIncrement(by: count, ordering: .relaxed)
        sentCounter.increment(by: count)
    }

    func dropped(_ count: Int = 1) {
        messagesDropped.wrappingIncrement(by: count, ordering: .relaxed)
        droppedCounter.increment(by: count)
    }

    func queued() { messagesQueued.wrappingIncrement(ordering: .relaxed) }

    func deniedReceive() { receiveDenied.wrappingIncrement(ordering: .relaxed) }

    func protocolError() {
        protocolErrors.wrappingIncrement(ordering: .relaxed)
        protocolErrorCounter.increment()
    }

    var snapshot: BrokerStatistics {
        BrokerStatistics(
            connectionsTotal: connectionsTotal.load(ordering: .relaxed),
            connectionsActive: connectionsActive.load(ordering: .relaxed),
            messagesReceived: messagesReceived.load(ordering: .relaxed),
            messagesSent: messagesSent.load(ordering: .relaxed),
            messagesDropped: messagesDropped.load(ordering: .relaxed),
            messagesQueued: messagesQueued.load(ordering: .relaxed),
            receiveDenied: receiveDenied.load(ordering: .relaxed),
            protocolErrors: protocolErrors.load(ordering: .relaxed)
        )
    }
}

/// A point-in-time copy of the broker's counters.
public struct BrokerStatistics: Sendable, Hashable {
    /// Network and in-process connections accepted since start.
    public var connectionsTotal: Int
    /// Connections open now.
    public var connectionsActive: Int
    /// PUBLISH packets accepted from clients.
    public var messagesReceived: Int
    /// PUBLISH packets written to clients.
    public var messagesSent: Int
    /// Messages not delivered because a queue was full or a client could not keep up.
    public var messagesDropped: Int
    /// Messages queued for a busy or absent client.
    public var messagesQueued: Int
    /// Deliveries refused by a client's authorization.
    public var receiveDenied: Int
    /// Connections closed for a protocol violation.
    public var protocolErrors: Int
}
