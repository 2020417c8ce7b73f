import MQTTProtocol
import NIOCore

/// What the broker knows about a client when it asks to connect.
public struct ConnectRequest: Sendable {
    /// The client identifier from CONNECT (after a server-assigned one replaced an empty one).
    public var clientIdentifier: String
    /// The user name from CONNECT, if any.
    public var username: String?
    /// The password from CONNECT, if any.
    public var password: ByteBuffer?
    /// The client's certificate chain (DER, leaf first) on a mutual-TLS listener, as far as the
    /// TLS layer keeps it after the handshake: the leaf certificate; empty on the plain
    /// listener.
    public var peerCertificateChain: [[UInt8]]
    /// The listener the client came through.
    public var listener: ListenerKind
    /// The client's address, as text (`127.0.0.1`), if known.
    public var remoteAddress: String?
    /// Whether the client asked for a clean session.
    public var cleanSession: Bool
    /// The protocol version the client speaks.
    public var protocolVersion: MQTTProtocolVersion

    public init(
        clientIdentifier: String,
        username: String? = nil,
        password: ByteBuffer? = nil,
        peerCertificateChain: [[UInt8]] = [],
        listener: ListenerKind = .plain,
        remoteAddress: String? = nil,
        cleanSession: Bool = true,
        protocolVersion: MQTTProtocolVersion = .v3_1_1
    ) {
        self.clientIdentifier = clientIdentifier
        self.username = username
        self.password = password
        self.peerCertificateChain = peerCertificateChain
        self.listener = listener
        self.remoteAddress = remoteAddress
        self.cleanSession = cleanSession
        self.protocolVersion = protocolVersion
    }
}

/// Which kind of listener a connection arrived on.
public enum ListenerKind: String, Sendable, Hashable {
    /// Plain TCP.
    case plain
    /// TLS with client certificates.
    case mutualTLS = "mutual-tls"
    /// An in-process client (rules engine, HTTP publish).
    case inProcess = "in-process"
}

/// The outcome of a connect authorization.
public enum ConnectDecision: Sendable {
    /// The client may connect; its later requests are asked of the given authorization.
    case accept(any ClientAuthorization)
    /// The client is refused with the given CONNACK return code.
    case refuse(MQTTConnectReturnCode)
    /// The client is refused by closing the network connection without a CONNACK
    /// (AWS IoT's behaviour for a denied `iot:Connect`).
    case close
}

/// What to do with a PUBLISH the client may not make.
public enum PublishDecision: Sendable, Hashable {
    /// Route the message.
    case allow
    /// Acknowledge as usual but do not route it.
    case discard
    /// Close the client's network connection (AWS IoT's behaviour for a denied publish).
    case disconnect
}

/// Decides who may connect. Asked once per CONNECT; may consult a database.
public protocol Authorizer: Sendable {
    /// Decides a CONNECT at once when that needs no waiting (the answer is in memory), or
    /// returns nil to have ``authorizeConnect(_:)`` asked. Called on the connection's event
    /// loop: must not block. The default returns nil.
    func immediateConnectDecision(_ request: ConnectRequest) -> ConnectDecision?
    /// Decides a CONNECT.
    func authorizeConnect(_ request: ConnectRequest) async -> ConnectDecision
}

extension Authorizer {
    public func immediateConnectDecision(_ request: ConnectRequest) -> ConnectDecision? { nil }
}

/// One connected client's permissions, decided at connect and asked on the hot path.
///
/// Implementations answer from memory (a compiled policy, a cache) and must be fast:
/// they are asked for every publish, subscription and delivery.
public protocol ClientAuthorization: Sendable {
    /// A stable name of the principal (for example a certificate id), for observers.
    var principal: String? { get }
    /// Whether the client may publish to `topic`; `retain` tells a retained publish.
    func authorizePublish(topic: String, retain: Bool) -> PublishDecision
    /// Whether the client may subscribe to `topicFilter`.
    func authorizeSubscribe(topicFilter: String) -> Bool
    /// Whether a message on `topic` may be delivered to the client.
    func authorizeReceive(topic: String) -> Bool
}

/// An authorizer that lets everyone do everything: the plain listener's default.
public struct AllowAllAuthorizer: Authorizer, ClientAuthorization {
    public init() {}
    public var principal: String? { nil }
    public func immediateConnectDecision(_ request: ConnectRequest) -> ConnectDecision? { .accept(self) }
    public func authorizeConnect(_ request: ConnectRequest) async -> ConnectDecision { .accept(self) }
    public func authorizePublish(topic: String, retain: Bool) -> PublishDecision { .allow }
    public func authorizeSubscribe(topicFilter: String) -> Bool { true }
    public func authorizeReceive(topic: String) -> Bool { true }
}
