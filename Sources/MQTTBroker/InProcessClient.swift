import MQTTProtocol
import NIOCore

/// A message delivered to an in-process client.
public struct InProcessDelivery: Sendable {
    /// The message as published.
    public let message: BrokerMessage
    /// The QoS it was delivered with: min(publish QoS, granted QoS).
    public let qos: MQTTQoS
    /// Whether it came from the retained store on subscribe.
    public let retain: Bool
}

/// A client inside the Thingport process (the rules engine's republish, the HTTP publish
/// API): it has a session, subscriptions and authorization exactly like a network client,
/// without a socket. Its deliveries are acknowledged as they are handed to `deliveries`.
public final class InProcessClient: Sendable {
    /// The client identifier of its session.
    public let clientIdentifier: String
    /// Messages delivered to its subscriptions, in order.
    public let deliveries: AsyncStream<InProcessDelivery>

    private let broker: Broker
    private let session: Session
    private let connection: InProcessConnection
    private let authorization: any ClientAuthorization

    init(
        broker: Broker,
        clientIdentifier: String,
        cleanSession: Bool,
        authorization: any ClientAuthorization,
        bufferLimit: Int
    ) {
        self.broker = broker
        self.clientIdentifier = clientIdentifier
        self.authorization = authorization
        let (stream, continuation) = AsyncStream.makeStream(
            of: InProcessDelivery.self,
            bufferingPolicy: .bufferingOldest(bufferLimit)
        )
        self.deliveries = stream
        self.connection = InProcessConnection(
            eventLoop: broker.group.any(),
            continuation: continuation,
            counters: broker.counters
        )
        broker.counters.connectionOpened()
        let (session, _) = broker.openSession(
            clientIdentifier: clientIdentifier,
            cleanSession: cleanSession,
            connection: connection,
            authorization: authorization
        )
        self.session = session
    }

    /// Publishes a message, as a network client's PUBLISH would.
    ///
    /// - Throws: ``MQTTProtocolError`` for an invalid topic name, or with code
    ///   `.unexpectedPacket` when the client's authorization refuses the publish.
    public func publish(topic: String, payload: ByteBuffer, qos: MQTTQoS = .atMostOnce, retain: Bool = false) throws {
        try MQTTTopic.validateTopicName(topic)
        guard authorization.authorizePublish(topic: topic, retain: retain) == .allow else {
            throw MQTTProtocolError(.unexpectedPacket, "publish to '\(topic)' not authorized")
        }
        let message = BrokerMessage(
            topic: topic,
            payload: payload,
            qos: qos,
            retain: retain,
            publisherClientIdentifier: clientIdentifier
        )
        broker.route(
            message,
            from: PublisherInfo(
                clientIdentifier: clientIdentifier, principal: authorization.principal, listener: .inProcess)
        )
    }

    /// Subscribes to `filter`; returns the granted QoS, or nil when authorization refuses.
    /// Retained messages matching the filter follow on `deliveries`.
    @discardableResult
    public func subscribe(_ filter: String, qos: MQTTQoS = .atMostOnce) throws -> MQTTQoS? {
        try MQTTTopic.validateTopicFilter(filter)
        guard authorization.authorizeSubscribe(topicFilter: filter) else { return nil }
        broker.subscribe(session, filter: filter, qos: qos)
        for message in broker.retained.matching(filter: filter) {
            session.deliver(message, qos: min(message.qos, qos), retain: true)
        }
        return qos
    }

    /// Removes a subscription.
    public func unsubscribe(_ filter: String) {
        broker.unsubscribe(session, filter: filter)
    }

    /// Ends the client: its session ends too unless it is persistent; `deliveries` finishes.
    public func disconnect() {
        connection.finish()
        broker.closeSession(session, connection: connection)
        broker.counters.connectionClosed()
    }
}

extension Broker {
    /// Connects an in-process client with the same session, subscription and authorization
    /// semantics as a network client.
    ///
    /// - Parameters:
    ///   - clientIdentifier: Its session's client identifier (a network client with the same
    ///     identifier takes the session over, and the other way round).
    ///   - cleanSession: Whether the session ends with the client.
    ///   - authorization: What it may do; everything by default.
    ///   - bufferLimit: Deliveries held for a slow reader of `deliveries` before dropping.
    public func connectInProcess(
        clientIdentifier: String,
        cleanSession: Bool = true,
        authorization: any ClientAuthorization = AllowAllAuthorizer(),
        bufferLimit: Int = 10_000
    ) -> InProcessClient {
        InProcessClient(
            broker: self,
            clientIdentifier: clientIdentifier,
            cleanSession: cleanSession,
            authorization: authorization,
            bufferLimit: bufferLimit
        )
    }
}

/// The session side of an in-process client: delivers into an `AsyncStream` and
/// acknowledges at once.
final class InProcessConnection: SessionConnection {
    let eventLoop: any EventLoop
    private let continuation: AsyncStream<InProcessDelivery>.Continuation
    private let counters: BrokerCounters

    init(eventLoop: any EventLoop, continuation: AsyncStream<InProcessDelivery>.Continuation, counters: BrokerCounters)
    {
        self.eventLoop = eventLoop
        self.continuation = continuation
        self.counters = counters
    }

    func deliver(_ items: [OutboundItem], of session: Session) {
        var sent = 0
        for item in items {
            switch item {
            case .publish(let message, let qos, let identifier, let retain, _):
                if case .dropped = continuation.yield(InProcessDelivery(message: message, qos: qos, retain: retain)) {
                    counters.dropped()
                } else {
                    sent += 1
                }
                switch (qos, identifier) {
                case (.atLeastOnce, let identifier?): session.acknowledge(identifier)
                case (.exactlyOnce, let identifier?): session.received(identifier)
                default: break
                }
            case .pubrel(let identifier):
                session.completed(identifier)
            }
        }
        if sent > 0 { counters.sent(sent) }
    }

    func closeForTakeover() {
        finish()
    }

    func close(reason: DisconnectReason) {
        finish()
    }

    func finish() {
        continuation.finish()
    }
}
