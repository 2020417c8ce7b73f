import Logging
import MQTTProtocol
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import NIOSSL
import ServiceLifecycle

/// A complete MQTT 3.1.1 broker: listeners, sessions, subscriptions, retained messages,
/// wills and keep-alive.
///
/// The broker knows nothing of AWS: who may do what is asked of each listener's
/// ``Authorizer``, and every accepted message is shown to the ``MessageObserver``s.
/// It is a swift-service-lifecycle `Service`: `run()` binds the listeners and serves until
/// graceful shutdown.
public final class Broker: Service, Sendable {
    /// The broker's settings.
    public struct Configuration: Sendable {
        /// The listeners to open.
        public var listeners: [Listener]
        /// The largest packet accepted, in bytes (fixed header included). AWS IoT's payload
        /// limit, 128 KiB, by default.
        public var maximumPacketSize: Int
        /// The longest keep-alive the broker honours, in seconds; nil for no maximum. A client
        /// asking for more (or for none) is held to this.
        public var maximumKeepAlive: UInt16?
        /// Unacknowledged outgoing QoS 1 and 2 messages per session.
        public var maximumInflight: Int
        /// Messages queued per session behind the in-flight window or while the client is
        /// away; beyond this, messages are dropped and counted.
        public var maximumQueuedMessages: Int
        /// QoS 0 messages waiting to be written to one client; beyond this they are dropped.
        public var maximumPendingWrites: Int
        /// How long a new connection may take to send CONNECT.
        public var connectTimeout: TimeAmount
        /// How long publishers wait for a subscriber that does not keep up before it counts as
        /// stalled: from then on they no longer wait for it, and its QoS 0 messages are
        /// dropped while it does not read.
        public var stallTimeout: TimeAmount

        public init(
            listeners: [Listener],
            maximumPacketSize: Int = 131_072,
            maximumKeepAlive: UInt16? = nil,
            maximumInflight: Int = 100,
            maximumQueuedMessages: Int = 1000,
            maximumPendingWrites: Int = 10_000,
            connectTimeout: TimeAmount = .seconds(10),
            stallTimeout: TimeAmount = .milliseconds(250)
        ) {
            self.listeners = listeners
            self.maximumPacketSize = maximumPacketSize
            self.maximumKeepAlive = maximumKeepAlive
            self.maximumInflight = maximumInflight
            self.maximumQueuedMessages = maximumQueuedMessages
            self.maximumPendingWrites = maximumPendingWrites
            self.connectTimeout = connectTimeout
            self.stallTimeout = stallTimeout
        }
    }

    /// One listening socket.
    public struct Listener: Sendable {
        public var kind: ListenerKind
        public var host: String
        /// The port; 0 picks a free one (see ``Broker/waitUntilListening()``).
        public var port: Int
        /// The TLS context for `.mutualTLS` listeners; it must require client certificates.
        public var tlsContext: NIOSSLContext?
        /// Who may connect through this listener, and what they may do.
        public var authorizer: any Authorizer
        /// The device-facing limits enforced on this listener.
        public var limits: Limits
        /// Decides client certificate chains during the TLS handshake instead of the TLS
        /// context's fixed trust roots (`.mutualTLS` listeners only).
        public var clientCertificateValidator: (any ClientCertificateValidator)?

        /// Creates a listener.
        ///
        /// - Parameters:
        ///   - limits: The listener's limits; by default ``Limits/awsIoT`` for `.mutualTLS`
        ///     and ``Limits/awsIoTWithQoS2`` (full MQTT QoS 2) for the others.
        ///   - clientCertificateValidator: Trust decided per handshake; nil leaves chain
        ///     verification to the TLS context.
        public init(
            kind: ListenerKind,
            host: String,
            port: Int,
            tlsContext: NIOSSLContext? = nil,
            authorizer: any Authorizer = AllowAllAuthorizer(),
            limits: Limits? = nil,
            clientCertificateValidator: (any ClientCertificateValidator)? = nil
        ) {
            self.kind = kind
            self.host = host
            self.port = port
            self.tlsContext = tlsContext
            self.authorizer = authorizer
            self.limits = limits ?? (kind == .mutualTLS ? .awsIoT : .awsIoTWithQoS2)
            self.clientCertificateValidator = clientCertificateValidator
        }
    }

    /// A listener that accepts connections.
    public struct BoundListener: Sendable, Hashable {
        public var kind: ListenerKind
        public var host: String
        public var port: Int
    }

    let configuration: Configuration
    let logger: Logger
    let group: any EventLoopGroup
    let counters = BrokerCounters()
    let index = SubscriptionIndex()
    let retained = RetainedMessageStore()
    private let sessions = NIOLockedValueBox<[String: Session]>([:])
    private let observers = NIOLockedValueBox<[any MessageObserver]>([])
    private let connectionObserverList = NIOLockedValueBox<[any ConnectionObserver]>([])
    private let sessionStore: any SessionStore
    private let listening = ListeningState()
    private let openChannels = NIOLockedValueBox<[ObjectIdentifier: any Channel]>([:])

    /// Creates a broker; nothing is opened until `run()`.
    public init(
        configuration: Configuration,
        sessionStore: any SessionStore = InMemorySessionStore(),
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger = Logger(label: "thingport.mqtt")
    ) {
        self.configuration = configuration
        self.sessionStore = sessionStore
        self.group = eventLoopGroup
        self.logger = logger
    }

    /// Adds an observer of accepted messages. Add observers before `run()`.
    public func addObserver(_ observer: any MessageObserver) {
        observers.withLockedValue { $0.append(observer) }
    }

    /// Adds an observer of network clients' connections and subscriptions. Add observers
    /// before `run()`.
    public func addConnectionObserver(_ observer: any ConnectionObserver) {
        connectionObserverList.withLockedValue { $0.append(observer) }
    }

    /// The connection observers, for the connection handlers.
    var connectionObservers: [any ConnectionObserver] {
        connectionObserverList.withLockedValue { $0 }
    }

    /// The broker's counters now.
    public var statistics: BrokerStatistics { counters.snapshot }

    /// Waits until every listener accepts connections and returns their addresses.
    public func waitUntilListening() async throws -> [BoundListener] {
        try await listening.wait()
    }

    /// Binds the listeners and serves until graceful shutdown, then closes every connection
    /// and stores the persistent sessions.
    public func run() async throws {
        let serverChannels: [any Channel]
        do {
            try await restoreSessions()
            var bound: [BoundListener] = []
            var channels: [any Channel] = []
            for listener in configuration.listeners {
                let channel = try await bind(listener)
                channels.append(channel)
                let port = channel.localAddress?.port ?? listener.port
                bound.append(BoundListener(kind: listener.kind, host: listener.host, port: port))
                logger.info(
                    "MQTT listener open",
                    metadata: ["listener": "\(listener.kind.rawValue)", "address": "\(listener.host):\(port)"]
                )
            }
            serverChannels = channels
            listening.complete(.success(bound))
        } catch {
            listening.complete(.failure(error))
            throw error
        }

        try? await gracefulShutdown()

        logger.info("MQTT broker shutting down")
        for channel in serverChannels { try? await channel.close() }
        let clients = openChannels.withLockedValue { Array($0.values) }
        for channel in clients {
            channel.pipeline.fireUserInboundEventTriggered(CloseRequest(reason: .serverShutdown))
            channel.close(promise: nil)
        }
        for channel in clients { try? await channel.closeFuture.get() }
        try await persistSessions()
    }

    /// Closes the network connection of `clientIdentifier`, if connected (its will is
    /// published). Returns whether a connection was closed.
    @discardableResult
    public func disconnect(clientIdentifier: String) -> Bool {
        guard let session = sessions.withLockedValue({ $0[clientIdentifier] }),
            let connection = session.currentConnection
        else { return false }
        connection.close(reason: .serverInitiated)
        return true
    }

    /// Forgets every session, subscription and retained message (for test suites).
    public func reset() {
        let all = sessions.withLockedValue { sessions in
            defer { sessions.removeAll() }
            return Array(sessions.values)
        }
        for session in all {
            index.unsubscribe(session, filters: session.subscriptions.keys)
            session.currentConnection?.close(reason: .serverInitiated)
        }
        retained.removeAll()
    }

    // MARK: Used by connections

    /// Finds or creates the session of `clientIdentifier` and attaches `connection`, closing
    /// any connection that had it [MQTT-3.1.4-2]. Returns the session and whether it existed
    /// (session present) [MQTT-3.2.2-2].
    func openSession(
        clientIdentifier: String,
        cleanSession: Bool,
        connection: any SessionConnection,
        authorization: any ClientAuthorization
    ) -> (Session, sessionPresent: Bool) {
        var replaced: Session?
        let (session, present): (Session, Bool) = sessions.withLockedValue { sessions in
            if let existing = sessions[clientIdentifier] {
                if !cleanSession {
                    existing.setPersistent(true)
                    return (existing, true)
                }
                // Clean session: the old session ends here [MQTT-3.1.2-6].
                replaced = existing
            }
            let created = makeSession(clientIdentifier: clientIdentifier, persistent: !cleanSession)
            sessions[clientIdentifier] = created
            return (created, false)
        }
        if let replaced {
            index.unsubscribe(replaced, filters: replaced.subscriptions.keys)
            replaced.currentConnection?.closeForTakeover()
        }
        if let previous = session.attach(connection, authorization: authorization), previous !== connection {
            previous.closeForTakeover()
        }
        return (session, present)
    }

    /// The client's connection closed: a clean session ends, a persistent one waits.
    func closeSession(_ session: Session, connection: any SessionConnection) {
        guard session.detach(connection) else { return }  // taken over meanwhile
        guard !session.isPersistent else { return }
        let removed = sessions.withLockedValue { sessions in
            guard sessions[session.clientIdentifier] === session else { return false }
            sessions.removeValue(forKey: session.clientIdentifier)
            return true
        }
        if removed {
            index.unsubscribe(session, filters: session.subscriptions.keys)
        }
    }

    /// Adds a subscription to the session and the index.
    func subscribe(_ session: Session, filter: String, qos: MQTTQoS) {
        session.addSubscription(filter, qos: qos)
        index.subscribe(session, filter: filter, qos: qos)
    }

    /// Removes a subscription from the session and the index.
    func unsubscribe(_ session: Session, filter: String) {
        if session.removeSubscription(filter) {
            index.unsubscribe(session, filter: filter)
        }
    }

    /// Routes an accepted message: observers, the retained store, then every matching
    /// subscriber at min(publish QoS, granted QoS) [MQTT-3.8.4-6].
    ///
    /// - Returns: The subscribers' sessions under pressure (see ``Session``): a network
    ///   publisher stops reading until they ease.
    @discardableResult
    func route(_ message: BrokerMessage, from publisher: PublisherInfo) -> [Session] {
        counters.received()
        for observer in observers.withLockedValue({ $0 }) {
            observer.messageAccepted(message, from: publisher)
        }
        if message.retain {
            retained.retain(message)
        }
        var pressured: [Session] = []
        for match in index.matches(topic: message.topic) {
            // Live deliveries carry retain = 0 [MQTT-3.3.1-9].
            if match.session.deliver(message, qos: min(message.qos, match.qos), retain: false) {
                pressured.append(match.session)
            }
        }
        return pressured
    }

    /// Keeps track of open network connections, to close them on shutdown.
    func connectionOpened(_ channel: any Channel) {
        counters.connectionOpened()
        openChannels.withLockedValue { $0[ObjectIdentifier(channel)] = channel }
    }

    func connectionClosed(_ channel: any Channel) {
        counters.connectionClosed()
        openChannels.withLockedValue { $0[ObjectIdentifier(channel)] = nil }
    }

    // MARK: Private

    private func makeSession(clientIdentifier: String, persistent: Bool) -> Session {
        Session(
            state: SessionState(
                clientIdentifier: clientIdentifier,
                isPersistent: persistent,
                maximumInflight: configuration.maximumInflight,
                maximumQueued: configuration.maximumQueuedMessages
            ),
            counters: counters,
            mailboxLimit: configuration.maximumPendingWrites,
            stallTimeout: configuration.stallTimeout
        )
    }

    private func restoreSessions() async throws {
        let stored = try await sessionStore.loadSessions()
        for persisted in stored {
            let session = Session(
                state: SessionState(
                    restoring: persisted,
                    maximumInflight: configuration.maximumInflight,
                    maximumQueued: configuration.maximumQueuedMessages
                ),
                counters: counters,
                mailboxLimit: configuration.maximumPendingWrites,
                stallTimeout: configuration.stallTimeout
            )
            sessions.withLockedValue { $0[persisted.clientIdentifier] = session }
            for (filter, qos) in persisted.subscriptions {
                index.subscribe(session, filter: filter, qos: qos)
            }
        }
        if !stored.isEmpty {
            logger.info("restored persistent sessions", metadata: ["count": "\(stored.count)"])
        }
    }

    private func persistSessions() async throws {
        let persistent = sessions.withLockedValue { sessions in
            sessions.values.filter(\.isPersistent).map(\.snapshot.persisted)
        }
        try await sessionStore.saveSessions(persistent)
    }

    private func bind(_ listener: Listener) async throws -> any Channel {
        try await ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 1024)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(.maxMessagesPerRead, value: 16)
            // Idle devices are most connections: start reads small, grow with traffic.
            .childChannelOption(
                .recvAllocator,
                value: AdaptiveRecvByteBufferAllocator(minimum: 64, initial: 256, maximum: 65_536)
            )
            .childChannelOption(.writeBufferWaterMark, value: .init(low: 64 * 1024, high: 256 * 1024))
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try self.configurePipeline(channel, listener: listener)
                }
            }
            .bind(host: listener.host, port: listener.port)
            .get()
    }

    private func configurePipeline(_ channel: any Channel, listener: Listener) throws {
        let pipeline = channel.pipeline.syncOperations
        if let tlsContext = listener.tlsContext {
            try pipeline.addHandler(
                Self.makeTLSHandler(context: tlsContext, validator: listener.clientCertificateValidator))
        }
        try pipeline.addHandler(
            ByteToMessageHandler(
                MQTTPacketDecoder(role: .server, maximumPacketSize: configuration.maximumPacketSize)
            )
        )
        try pipeline.addHandler(MQTTConnectionHandler(broker: self, listener: listener))
    }
}
