import MQTTProtocol
import NIOConcurrencyHelpers
import NIOCore

/// Where a session's outgoing packets go while a client is attached: a network connection
/// or an in-process client.
protocol SessionConnection: AnyObject, Sendable {
    /// The event loop that `deliver(_:)` must be called on.
    var eventLoop: any EventLoop { get }
    /// Writes the items of `session`, in order. Called on `eventLoop`.
    func deliver(_ items: [OutboundItem], of session: Session)
    /// Closes the connection because another one took over its client identifier.
    func closeForTakeover()
    /// Closes the connection for `reason` (observers see it).
    func close(reason: DisconnectReason)
}

/// One client identifier's session, shared between the router (any thread) and the
/// client's connection (its event loop).
///
/// Outgoing packets collect in a mailbox and are handed to the connection on its event
/// loop in batches: one hop and one flush for many messages.
final class Session: @unchecked Sendable {
    let clientIdentifier: String
    private let lock = NIOLock()
    private var state: SessionState
    private var connection: (any SessionConnection)?
    private var authorization: (any ClientAuthorization)?
    private var mailbox: [OutboundItem] = []
    private var drainScheduled = false
    private let counters: BrokerCounters
    /// QoS 0 messages beyond this many waiting in the mailbox are dropped.
    private let mailboxLimit: Int

    init(state: SessionState, counters: BrokerCounters, mailboxLimit: Int) {
        self.clientIdentifier = state.clientIdentifier
        self.state = state
        self.counters = counters
        self.mailboxLimit = mailboxLimit
    }

    /// Whether the session outlives its connection.
    var isPersistent: Bool { lock.withLock { state.isPersistent } }

    /// Whether a client is attached.
    var isOnline: Bool { lock.withLock { connection != nil } }

    /// The attached connection, if any.
    var currentConnection: (any SessionConnection)? { lock.withLock { connection } }

    /// A copy of the state, for persistence and tests.
    var snapshot: SessionState { lock.withLock { state } }

    // MARK: Routing (any thread)

    /// Offers a routed message; asks the client's authorization whether it may receive it.
    func deliver(_ message: BrokerMessage, qos: MQTTQoS, retain: Bool) {
        let target: (any SessionConnection)? = lock.withLock {
            if let authorization, !authorization.authorizeReceive(topic: message.topic) {
                counters.deniedReceive()
                return nil
            }
            switch state.enqueue(message, qos: qos, retain: retain) {
            case .send(let item):
                if qos == .atMostOnce, mailbox.count >= mailboxLimit {
                    counters.dropped()
                    return nil
                }
                mailbox.append(item)
                return scheduleDrainLocked()
            case .queued:
                counters.queued()
                return nil
            case .dropped:
                counters.dropped()
                return nil
            case .skippedOffline:
                return nil
            }
        }
        if let target { scheduleDrain(on: target) }
    }

    // MARK: Connection side (the connection's event loop)

    /// Attaches a connection, replacing any earlier one, and queues everything that must be
    /// sent again. Returns the connection that was replaced, for the caller to close.
    func attach(_ newConnection: any SessionConnection, authorization: any ClientAuthorization) -> (
        any SessionConnection
    )? {
        let (previous, target): ((any SessionConnection)?, (any SessionConnection)?) = lock.withLock {
            let previous = connection
            connection = newConnection
            self.authorization = authorization
            // Items addressed to the replaced connection are resent from the state.
            mailbox.removeAll(keepingCapacity: true)
            drainScheduled = false
            mailbox.append(contentsOf: state.attach())
            return (previous, mailbox.isEmpty ? nil : scheduleDrainLocked())
        }
        if let target { scheduleDrain(on: target) }
        return previous
    }

    /// Detaches `oldConnection` if it is still the attached one. Returns false when another
    /// connection has taken over meanwhile.
    @discardableResult
    func detach(_ oldConnection: any SessionConnection) -> Bool {
        lock.withLock {
            guard connection === oldConnection else { return false }
            connection = nil
            mailbox.removeAll(keepingCapacity: true)
            drainScheduled = false
            state.detach()
            return true
        }
    }

    /// Records a granted subscription; returns whether it replaced an existing one.
    func addSubscription(_ filter: String, qos: MQTTQoS) {
        lock.withLock { state.subscriptions[filter] = qos }
    }

    /// Removes a subscription; returns whether it existed.
    func removeSubscription(_ filter: String) -> Bool {
        lock.withLock { state.subscriptions.removeValue(forKey: filter) != nil }
    }

    /// The current subscriptions.
    var subscriptions: [String: MQTTQoS] { lock.withLock { state.subscriptions } }

    /// Makes a resumed session persistent or not, as the new CONNECT asks.
    func setPersistent(_ persistent: Bool) { lock.withLock { state.isPersistent = persistent } }

    func acknowledge(_ identifier: MQTTPacketIdentifier) { handle { $0.acknowledge(identifier) } }
    func received(_ identifier: MQTTPacketIdentifier) { handle { $0.received(identifier) } }
    func completed(_ identifier: MQTTPacketIdentifier) { handle { $0.completed(identifier) } }

    func receiveExactlyOnce(_ identifier: MQTTPacketIdentifier) -> Bool {
        lock.withLock { state.receiveExactlyOnce(identifier) }
    }

    func release(_ identifier: MQTTPacketIdentifier) {
        lock.withLock { state.release(identifier) }
    }

    /// Hands the mailbox to the connection. Runs on the connection's event loop.
    func drain() {
        var items: [OutboundItem] = []
        let target: (any SessionConnection)? = lock.withLock {
            drainScheduled = false
            guard connection != nil else { return nil }
            swap(&mailbox, &items)
            return connection
        }
        guard let target, !items.isEmpty else { return }
        target.deliver(items, of: self)
    }

    // MARK: Private

    private func handle(_ body: (inout SessionState) -> [OutboundItem]) {
        let target: (any SessionConnection)? = lock.withLock {
            let items = body(&state)
            guard !items.isEmpty, connection != nil else { return nil }
            mailbox.append(contentsOf: items)
            return scheduleDrainLocked()
        }
        if let target { scheduleDrain(on: target) }
    }

    /// Marks a drain as scheduled; returns the connection to schedule it on, or nil if one is
    /// already pending. Call with the lock held.
    private func scheduleDrainLocked() -> (any SessionConnection)? {
        guard let connection, !drainScheduled else { return nil }
        drainScheduled = true
        return connection
    }

    private func scheduleDrain(on target: any SessionConnection) {
        target.eventLoop.execute { self.drain() }
    }
}
