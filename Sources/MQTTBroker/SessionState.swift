import DequeModule
import MQTTProtocol

/// A packet the session wants sent to its client, in order.
enum OutboundItem: Sendable {
    /// A PUBLISH of `message`; `packetIdentifier` is nil exactly for QoS 0.
    case publish(BrokerMessage, qos: MQTTQoS, packetIdentifier: MQTTPacketIdentifier?, retain: Bool, duplicate: Bool)
    /// A PUBREL for an outgoing QoS 2 message the client has received.
    case pubrel(MQTTPacketIdentifier)
}

/// The MQTT session of one client identifier, as a plain value: subscriptions, the
/// outgoing in-flight window, the queue behind it, and incoming QoS 2 identifiers.
///
/// Every operation returns what must be sent; nothing here does I/O, so the QoS flows can
/// be tested as values.
struct SessionState: Sendable {
    /// An outgoing QoS 1 or 2 message that the client has not fully acknowledged.
    enum InflightEntry: Sendable {
        /// Sent, waiting for PUBACK (QoS 1) or PUBREC (QoS 2).
        case awaitingAcknowledgement(BrokerMessage, qos: MQTTQoS, retain: Bool)
        /// QoS 2: PUBREC received and PUBREL sent, waiting for PUBCOMP.
        case awaitingCompletion
    }

    /// A message waiting for room in the in-flight window (or for the client to return).
    struct QueuedMessage: Sendable {
        var message: BrokerMessage
        var qos: MQTTQoS
        var retain: Bool
    }

    /// What happened to a message offered to the session.
    enum EnqueueResult: Sendable {
        /// Send this now.
        case send(OutboundItem)
        /// Kept until the window has room or the client returns.
        case queued
        /// Not kept: the queue is full (counted as a drop).
        case dropped
        /// A QoS 0 message for a client that is not connected: not kept, by design.
        case skippedOffline
    }

    let clientIdentifier: String
    /// False for a clean session, which ends with its network connection.
    var isPersistent: Bool
    /// Topic filter → granted QoS.
    var subscriptions: [String: MQTTQoS] = [:]
    /// Whether a client is attached.
    private(set) var isOnline = false
    /// Outgoing unacknowledged messages, in the order they were first sent [MQTT-4.6.0-1].
    private(set) var inflight: [MQTTPacketIdentifier: InflightEntry] = [:]
    private(set) var inflightOrder: Deque<MQTTPacketIdentifier> = []
    /// Messages waiting for the window or for the client.
    private(set) var queue: Deque<QueuedMessage> = []
    /// Incoming QoS 2 packet identifiers received but not yet released by PUBREL.
    private(set) var awaitingRelease: Set<MQTTPacketIdentifier> = []
    private var nextPacketIdentifier: MQTTPacketIdentifier = 1

    let maximumInflight: Int
    let maximumQueued: Int

    init(clientIdentifier: String, isPersistent: Bool, maximumInflight: Int, maximumQueued: Int) {
        self.clientIdentifier = clientIdentifier
        self.isPersistent = isPersistent
        self.maximumInflight = max(1, maximumInflight)
        self.maximumQueued = max(0, maximumQueued)
    }

    /// Restores a stored session: pending messages wait in the queue, to be sent when the
    /// client returns.
    init(restoring stored: PersistedSession, maximumInflight: Int, maximumQueued: Int) {
        self.init(
            clientIdentifier: stored.clientIdentifier,
            isPersistent: true,
            maximumInflight: maximumInflight,
            maximumQueued: maximumQueued
        )
        subscriptions = stored.subscriptions
        awaitingRelease = Set(stored.awaitingRelease)
        for pending in stored.pendingMessages.prefix(self.maximumQueued) {
            let message = BrokerMessage(
                topic: pending.topic,
                payload: pending.payload,
                qos: pending.qos,
                retain: pending.retain,
                publisherClientIdentifier: pending.publisherClientIdentifier
            )
            queue.append(QueuedMessage(message: message, qos: pending.qos, retain: pending.retain))
        }
    }

    // MARK: Outgoing

    /// Offers a message for delivery at `qos` (already the minimum of publish and granted QoS).
    mutating func enqueue(_ message: BrokerMessage, qos: MQTTQoS, retain: Bool) -> EnqueueResult {
        if qos == .atMostOnce {
            guard isOnline else { return .skippedOffline }
            return .send(.publish(message, qos: .atMostOnce, packetIdentifier: nil, retain: retain, duplicate: false))
        }
        // Keep order: while anything waits, newcomers wait behind it.
        if isOnline, queue.isEmpty, inflight.count < maximumInflight {
            return .send(startInflight(message, qos: qos, retain: retain))
        }
        guard queue.count < maximumQueued else { return .dropped }
        queue.append(QueuedMessage(message: message, qos: qos, retain: retain))
        return .queued
    }

    /// PUBACK from the client.
    mutating func acknowledge(_ packetIdentifier: MQTTPacketIdentifier) -> [OutboundItem] {
        guard case .awaitingAcknowledgement(_, .atLeastOnce, _) = inflight[packetIdentifier] else { return [] }
        finishInflight(packetIdentifier)
        return releaseQueued()
    }

    /// PUBREC from the client: answer PUBREL and wait for PUBCOMP [MQTT-4.3.3-1].
    mutating func received(_ packetIdentifier: MQTTPacketIdentifier) -> [OutboundItem] {
        switch inflight[packetIdentifier] {
        case .awaitingAcknowledgement(_, .exactlyOnce, _):
            inflight[packetIdentifier] = .awaitingCompletion
            return [.pubrel(packetIdentifier)]
        case .awaitingCompletion:
            // A repeated PUBREC: repeat the PUBREL.
            return [.pubrel(packetIdentifier)]
        default:
            return []
        }
    }

    /// PUBCOMP from the client.
    mutating func completed(_ packetIdentifier: MQTTPacketIdentifier) -> [OutboundItem] {
        guard case .awaitingCompletion = inflight[packetIdentifier] else { return [] }
        finishInflight(packetIdentifier)
        return releaseQueued()
    }

    /// A client attached: everything unacknowledged is sent again, PUBLISH with DUP set and
    /// PUBREL as PUBREL [MQTT-4.4.0-1], in the original order, then queued messages.
    mutating func attach() -> [OutboundItem] {
        isOnline = true
        var items: [OutboundItem] = []
        items.reserveCapacity(inflightOrder.count)
        for identifier in inflightOrder {
            switch inflight[identifier] {
            case .awaitingAcknowledgement(let message, let qos, let retain):
                items.append(.publish(message, qos: qos, packetIdentifier: identifier, retain: retain, duplicate: true))
            case .awaitingCompletion:
                items.append(.pubrel(identifier))
            case nil:
                continue
            }
        }
        items.append(contentsOf: releaseQueued())
        return items
    }

    /// The client went away; a persistent session keeps everything for its return.
    mutating func detach() {
        isOnline = false
    }

    // MARK: Incoming QoS 2

    /// An incoming QoS 2 PUBLISH: true when it is new and must be routed, false for a
    /// redelivery of one already routed and not yet released [MQTT-4.3.3-2].
    mutating func receiveExactlyOnce(_ packetIdentifier: MQTTPacketIdentifier) -> Bool {
        awaitingRelease.insert(packetIdentifier).inserted
    }

    /// PUBREL from the client: the identifier may be used again.
    mutating func release(_ packetIdentifier: MQTTPacketIdentifier) {
        awaitingRelease.remove(packetIdentifier)
    }

    /// How many incoming QoS 2 messages wait for PUBREL.
    var awaitingReleaseCount: Int { awaitingRelease.count }

    // MARK: Private

    private mutating func startInflight(_ message: BrokerMessage, qos: MQTTQoS, retain: Bool) -> OutboundItem {
        let identifier = allocatePacketIdentifier()
        inflight[identifier] = .awaitingAcknowledgement(message, qos: qos, retain: retain)
        inflightOrder.append(identifier)
        return .publish(message, qos: qos, packetIdentifier: identifier, retain: retain, duplicate: false)
    }

    private mutating func finishInflight(_ identifier: MQTTPacketIdentifier) {
        inflight[identifier] = nil
        if inflightOrder.first == identifier {
            inflightOrder.removeFirst()
        } else if let index = inflightOrder.firstIndex(of: identifier) {
            inflightOrder.remove(at: index)
        }
    }

    private mutating func releaseQueued() -> [OutboundItem] {
        guard isOnline else { return [] }
        var items: [OutboundItem] = []
        while inflight.count < maximumInflight, let next = queue.popFirst() {
            items.append(startInflight(next.message, qos: next.qos, retain: next.retain))
        }
        return items
    }

    /// The next identifier not in use; the window is far smaller than 65,535 so one exists.
    private mutating func allocatePacketIdentifier() -> MQTTPacketIdentifier {
        while true {
            let candidate = nextPacketIdentifier
            nextPacketIdentifier = candidate == .max ? 1 : candidate + 1
            if inflight[candidate] == nil { return candidate }
        }
    }
}
