import MQTTProtocol

/// Who published a message, as observers see it.
public struct PublisherInfo: Sendable {
    /// The publisher's client identifier.
    public var clientIdentifier: String
    /// The principal its authorization named (for example a certificate id).
    public var principal: String?
    /// The listener it came through.
    public var listener: ListenerKind

    public init(clientIdentifier: String, principal: String?, listener: ListenerKind) {
        self.clientIdentifier = clientIdentifier
        self.principal = principal
        self.listener = listener
    }
}

/// Sees every message the broker accepts (the rules engine is one).
///
/// Called synchronously on the publisher's event loop, after authorization and before
/// delivery: implementations must return quickly (hand the message to a queue of their own).
public protocol MessageObserver: Sendable {
    /// A message was accepted for routing.
    func messageAccepted(_ message: BrokerMessage, from publisher: PublisherInfo)
}
