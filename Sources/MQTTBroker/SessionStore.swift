import MQTTProtocol
import NIOConcurrencyHelpers
import NIOCore

/// A message a persistent session still owes its client.
public struct PersistedMessage: Sendable, Hashable {
    public var topic: String
    public var payload: ByteBuffer
    /// The QoS it is to be delivered with.
    public var qos: MQTTQoS
    public var retain: Bool
    public var publisherClientIdentifier: String

    public init(topic: String, payload: ByteBuffer, qos: MQTTQoS, retain: Bool, publisherClientIdentifier: String) {
        self.topic = topic
        self.payload = payload
        self.qos = qos
        self.retain = retain
        self.publisherClientIdentifier = publisherClientIdentifier
    }
}

/// What survives a broker restart of a persistent (clean session = 0) session.
public struct PersistedSession: Sendable, Hashable {
    public var clientIdentifier: String
    /// Topic filter → granted QoS.
    public var subscriptions: [String: MQTTQoS]
    /// Unacknowledged and queued messages, oldest first.
    public var pendingMessages: [PersistedMessage]
    /// Incoming QoS 2 packet identifiers not yet released by PUBREL.
    public var awaitingRelease: [MQTTPacketIdentifier]

    public init(
        clientIdentifier: String,
        subscriptions: [String: MQTTQoS],
        pendingMessages: [PersistedMessage] = [],
        awaitingRelease: [MQTTPacketIdentifier] = []
    ) {
        self.clientIdentifier = clientIdentifier
        self.subscriptions = subscriptions
        self.pendingMessages = pendingMessages
        self.awaitingRelease = awaitingRelease
    }
}

/// Where persistent sessions are kept across broker restarts.
///
/// The broker keeps live sessions in memory; it loads the stored ones when it starts and
/// stores the persistent ones when it stops. A durable implementation (SQLite, PostgreSQL)
/// plugs in here.
public protocol SessionStore: Sendable {
    /// Every stored session.
    func loadSessions() async throws -> [PersistedSession]
    /// Replaces the stored sessions with `sessions`.
    func saveSessions(_ sessions: [PersistedSession]) async throws
}

/// Keeps sessions in memory: they survive a broker stopped and started again in the same
/// process, not a process restart.
public final class InMemorySessionStore: SessionStore {
    private let sessions = NIOLockedValueBox<[PersistedSession]>([])

    public init() {}

    public func loadSessions() async throws -> [PersistedSession] {
        sessions.withLockedValue { $0 }
    }

    public func saveSessions(_ sessions: [PersistedSession]) async throws {
        self.sessions.withLockedValue { $0 = sessions }
    }
}

extension SessionState {
    /// The part of the state that survives a restart.
    var persisted: PersistedSession {
        var pending: [PersistedMessage] = []
        for identifier in inflightOrder {
            if case .awaitingAcknowledgement(let message, let qos, let retain) = inflight[identifier] {
                pending.append(PersistedMessage(message, qos: qos, retain: retain))
            }
        }
        for queued in queue {
            pending.append(PersistedMessage(queued.message, qos: queued.qos, retain: queued.retain))
        }
        return PersistedSession(
            clientIdentifier: clientIdentifier,
            subscriptions: subscriptions,
            pendingMessages: pending,
            awaitingRelease: awaitingRelease.sorted()
        )
    }
}

extension PersistedMessage {
    init(_ message: BrokerMessage, qos: MQTTQoS, retain: Bool) {
        self.init(
            topic: message.topic,
            payload: message.payload,
            qos: qos,
            retain: retain,
            publisherClientIdentifier: message.publisherClientIdentifier
        )
    }
}
