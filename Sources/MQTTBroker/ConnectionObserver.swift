import Atomics
import Foundation
import NIOCore

/// Why a network client's connection ended, as the connection handler classifies it.
public enum DisconnectReason: String, Sendable, Hashable, CaseIterable {
    /// The client sent DISCONNECT.
    case clientDisconnect = "client-disconnect"
    /// Another connection with the same client identifier took the session over.
    case takenOver = "taken-over"
    /// Nothing arrived within 1.5 × the keep-alive.
    case keepAliveTimeout = "keep-alive-timeout"
    /// The network connection dropped (reset, closed or a TLS failure) without DISCONNECT.
    case connectionLost = "connection-lost"
    /// The client broke the protocol or a listener limit.
    case protocolError = "protocol-error"
    /// The client did something its authorization forbids, or its credentials were revoked.
    case notAuthorized = "not-authorized"
    /// The server closed the connection on purpose (an administrator, a registry change).
    case serverInitiated = "server-initiated"
    /// The broker is shutting down.
    case serverShutdown = "server-shutdown"
}

/// A connected network client, as ``ConnectionObserver``s see it: who it is, and a way to
/// close exactly this connection.
public final class ConnectedClient: Sendable {
    /// The client identifier.
    public let clientIdentifier: String
    /// A random identifier of this connection (a lowercase UUID).
    public let sessionIdentifier: String
    /// A broker-wide sequence number of connections: it grows with every accepted CONNECT.
    public let connectionNumber: UInt64
    /// What the client may do, as the listener's ``Authorizer`` decided at CONNECT.
    public let authorization: any ClientAuthorization
    /// The listener it came through.
    public let listener: ListenerKind
    /// The client's address as text, if known.
    public let remoteAddress: String?
    /// Whether it asked for a clean session.
    public let cleanSession: Bool
    /// When the CONNECT was accepted.
    public let connectedAt: Date
    private let channel: any Channel

    private static let sequence = ManagedAtomic<UInt64>(0)

    init(
        clientIdentifier: String,
        authorization: any ClientAuthorization,
        listener: ListenerKind,
        remoteAddress: String?,
        cleanSession: Bool,
        channel: any Channel
    ) {
        self.clientIdentifier = clientIdentifier
        self.sessionIdentifier = UUID().uuidString.lowercased()
        self.connectionNumber = Self.sequence.wrappingIncrementThenLoad(ordering: .relaxed)
        self.authorization = authorization
        self.listener = listener
        self.remoteAddress = remoteAddress
        self.cleanSession = cleanSession
        self.connectedAt = Date()
        self.channel = channel
    }

    /// The principal its authorization names (for example a certificate id).
    public var principal: String? { authorization.principal }

    /// Closes this connection (not a later one with the same client identifier). Observers
    /// see `reason` in ``ConnectionObserver/clientDisconnected(_:reason:)``; the will is
    /// published as for any close without DISCONNECT.
    ///
    /// The close happens on the connection's event loop after the caller returns, so an
    /// observer may call this from its own callbacks.
    public func disconnect(reason: DisconnectReason = .serverInitiated) {
        let channel = self.channel
        channel.eventLoop.execute {
            channel.pipeline.fireUserInboundEventTriggered(CloseRequest(reason: reason))
        }
    }
}

/// Asks the connection handler to close its connection for a reason; travels the pipeline as
/// a user event so that it runs on the connection's event loop.
struct CloseRequest: Sendable {
    let reason: DisconnectReason
}

/// Sees network clients connect, subscribe, unsubscribe and disconnect (lifecycle events,
/// live-connection bookkeeping of an authorizer).
///
/// Called synchronously on the client's event loop: implementations must return quickly.
/// In-process clients are not reported.
public protocol ConnectionObserver: Sendable {
    /// A CONNECT was accepted; the CONNACK has been written.
    func clientConnected(_ client: ConnectedClient)
    /// The connection of a client that had connected closed.
    func clientDisconnected(_ client: ConnectedClient, reason: DisconnectReason)
    /// A SUBSCRIBE was answered; `topicFilters` are the granted ones, in packet order.
    func clientSubscribed(_ client: ConnectedClient, topicFilters: [String])
    /// An UNSUBSCRIBE was answered; `topicFilters` are those the packet named.
    func clientUnsubscribed(_ client: ConnectedClient, topicFilters: [String])
}

extension ConnectionObserver {
    public func clientSubscribed(_ client: ConnectedClient, topicFilters: [String]) {}
    public func clientUnsubscribed(_ client: ConnectedClient, topicFilters: [String]) {}
}
