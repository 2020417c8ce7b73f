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
///
/// Flow control: a session is *under pressure* while its mailbox is a quarter full (its event
/// loop is behind), while its client's channel is above its write high-water mark, or while its
/// queue of QoS 1/2 messages is half full and the client still acknowledges; the publishers whose messages meet that pressure stop reading until it
/// eases (see ``PublisherFlowControl``), so a slow but live subscriber slows the publishers
/// feeding it instead of losing messages. Congestion during which no write completes for
/// longer than ``Broker/Configuration/stallTimeout`` means the client has stalled: publishers no longer
/// wait for it, and its QoS 0 messages are dropped (QoS 1/2 ones queue up to the limit), so
/// a stalled subscriber never holds up anybody else for longer than that.
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
    /// Pressure older than this is a stall.
    private let stallTimeout: TimeAmount
    /// A mailbox this full means the client's event loop is behind: publishers wait for it to
    /// drain (a quarter of the mailbox limit).
    private var mailboxPressureThreshold: Int { max(1, mailboxLimit / 4) }
    /// Since when the client's channel has been above its high-water mark.
    private var congestedSince: NIODeadline?
    /// When the client last acknowledged a QoS 1 or 2 message (or attached).
    private var lastProgress = NIODeadline.now()
    /// When a write to the client last reached the socket: a congested client whose writes
    /// still complete is slow, not stalled.
    private var lastWriteProgress = NIODeadline.now()
    /// Publishers waiting for the pressure to ease.
    private var pressureWaiters: [@Sendable () -> Void] = []

    init(state: SessionState, counters: BrokerCounters, mailboxLimit: Int, stallTimeout: TimeAmount) {
        self.clientIdentifier = state.clientIdentifier
        self.state = state
        self.counters = counters
        self.mailboxLimit = mailboxLimit
        self.stallTimeout = stallTimeout
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
    ///
    /// - Returns: Whether the session is under pressure (not stalled): the publisher should
    ///   hold off reading until ``waitForPressureToEase(_:)`` calls back. Deliveries that are
    ///   not a network publisher's (retained messages on subscribe, in-process clients) ignore it.
    @discardableResult
    func deliver(_ message: BrokerMessage, qos: MQTTQoS, retain: Bool) -> Bool {
        let (target, pressure): ((any SessionConnection)?, Bool) = lock.withLock {
            if let authorization, !authorization.authorizeReceive(topic: message.topic) {
                counters.deniedReceive()
                return (nil, false)
            }
            switch state.enqueue(message, qos: qos, retain: retain) {
            case .send(let item):
                if qos == .atMostOnce, mailbox.count >= mailboxLimit {
                    counters.dropped()
                    return (nil, true)
                }
                mailbox.append(item)
                let pressure =
                    mailbox.count >= mailboxPressureThreshold
                    || (congestedSince != nil && isUnderPressureLocked(now: .now()))
                return (scheduleDrainLocked(), pressure)
            case .queued:
                counters.queued()
                return (nil, isUnderPressureLocked(now: .now()))
            case .dropped:
                counters.dropped()
                return (nil, false)
            case .skippedOffline:
                return (nil, false)
            }
        }
        if let target { scheduleDrain(on: target) }
        return pressure
    }

    /// Calls `resume` once the pressure on this session eases, or at once (returning false)
    /// when there is none any more. `resume` runs on whichever thread eases it.
    @discardableResult
    func waitForPressureToEase(_ resume: @escaping @Sendable () -> Void) -> Bool {
        let waiting = lock.withLock {
            guard isUnderPressureLocked(now: .now()) else { return false }
            pressureWaiters.append(resume)
            return true
        }
        if !waiting { resume() }
        return waiting
    }

    /// The client's channel went above (false) or back below (true) its high-water mark.
    /// Called on the connection's event loop.
    func channelWritabilityChanged(isWritable: Bool) {
        let waiters: [@Sendable () -> Void] = lock.withLock {
            if isWritable {
                congestedSince = nil
                return takeWaitersIfEasedLocked()
            }
            if congestedSince == nil { congestedSince = .now() }
            return []
        }
        for resume in waiters { resume() }
    }

    /// Whether the client has stopped reading for longer than the stall timeout; its QoS 0
    /// messages are then dropped while its channel is above the high-water mark.
    var isStalled: Bool {
        lock.withLock {
            guard let age = congestionAgeLocked(now: .now()) else { return false }
            return age >= stallTimeout
        }
    }

    /// A write to the client reached the socket. Called on the connection's event loop.
    func recordWriteProgress() {
        lock.withLock { lastWriteProgress = .now() }
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
            congestedSince = nil
            lastProgress = .now()
            return (previous, mailbox.isEmpty ? nil : scheduleDrainLocked())
        }
        if let target { scheduleDrain(on: target) }
        wakeWaitersIfEased()
        return previous
    }

    /// Detaches `oldConnection` if it is still the attached one. Returns false when another
    /// connection has taken over meanwhile.
    @discardableResult
    func detach(_ oldConnection: any SessionConnection) -> Bool {
        let detached = lock.withLock {
            guard connection === oldConnection else { return false }
            connection = nil
            mailbox.removeAll(keepingCapacity: true)
            drainScheduled = false
            congestedSince = nil
            state.detach()
            return true
        }
        // Nobody is reading now: publishers must not wait for this session.
        if detached { wakeWaitersIfEased() }
        return detached
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

    func acknowledge(_ identifier: MQTTPacketIdentifier) { handle(progress: true) { $0.acknowledge(identifier) } }
    func received(_ identifier: MQTTPacketIdentifier) { handle(progress: true) { $0.received(identifier) } }
    func completed(_ identifier: MQTTPacketIdentifier) { handle(progress: true) { $0.completed(identifier) } }

    func receiveExactlyOnce(_ identifier: MQTTPacketIdentifier) -> Bool {
        lock.withLock { state.receiveExactlyOnce(identifier) }
    }

    func release(_ identifier: MQTTPacketIdentifier) {
        lock.withLock { state.release(identifier) }
    }

    /// Hands the mailbox to the connection. Runs on the connection's event loop.
    func drain() {
        var items: [OutboundItem] = []
        let (target, waiters): ((any SessionConnection)?, [@Sendable () -> Void]) = lock.withLock {
            drainScheduled = false
            guard connection != nil else { return (nil, []) }
            swap(&mailbox, &items)
            return (connection, takeWaitersIfEasedLocked())
        }
        if let target, !items.isEmpty { target.deliver(items, of: self) }
        for resume in waiters { resume() }
    }

    // MARK: Private

    private func handle(progress: Bool = false, _ body: (inout SessionState) -> [OutboundItem]) {
        let (target, waiters): ((any SessionConnection)?, [@Sendable () -> Void]) = lock.withLock {
            let items = body(&state)
            var waiters: [@Sendable () -> Void] = []
            if progress {
                lastProgress = .now()
                if !pressureWaiters.isEmpty { waiters = takeWaitersIfEasedLocked() }
            }
            guard !items.isEmpty, connection != nil else { return (nil, waiters) }
            mailbox.append(contentsOf: items)
            return (scheduleDrainLocked(), waiters)
        }
        if let target { scheduleDrain(on: target) }
        for resume in waiters { resume() }
    }

    /// Whether publishers should wait for this session: its channel has been congested, or its
    /// QoS 1/2 queue half full while the client keeps acknowledging, for less than the stall
    /// timeout. Call with the lock held.
    private func isUnderPressureLocked(now: NIODeadline) -> Bool {
        guard connection != nil else { return false }
        if mailbox.count >= mailboxPressureThreshold { return true }
        if let age = congestionAgeLocked(now: now), age < stallTimeout { return true }
        return state.queue.count >= max(1, state.maximumQueued / 2) && now - lastProgress < stallTimeout
    }

    /// How long the client has been congested without a write completing, or nil when it is
    /// not congested. Call with the lock held.
    private func congestionAgeLocked(now: NIODeadline) -> TimeAmount? {
        guard let congestedSince else { return nil }
        return now - max(congestedSince, lastWriteProgress)
    }

    /// The waiters to resume when the pressure has eased. Call with the lock held.
    private func takeWaitersIfEasedLocked() -> [@Sendable () -> Void] {
        guard !pressureWaiters.isEmpty, !isUnderPressureLocked(now: .now()) else { return [] }
        defer { pressureWaiters.removeAll() }
        return pressureWaiters
    }

    private func wakeWaitersIfEased() {
        let waiters = lock.withLock { takeWaitersIfEasedLocked() }
        for resume in waiters { resume() }
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
