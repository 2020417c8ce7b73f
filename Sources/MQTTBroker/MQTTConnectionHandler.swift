import Logging
import MQTTProtocol
import NIOCore
import NIOSSL

#if canImport(Glibc)
    import Glibc
#endif

/// Runs the MQTT protocol for one network connection: CONNECT and authorization, the
/// publish and subscribe flows, keep-alive and the will.
///
/// It sits behind the packet decoder; everything it writes it encodes itself, and it flushes
/// once per read batch.
final class MQTTConnectionHandler: ChannelDuplexHandler {
    typealias InboundIn = MQTTPacket
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private enum State {
        case awaitingConnect
        case authorizing(MQTTPacket.Connect)
        case connected(Connected)
        case closed
    }

    private struct Connected {
        let clientIdentifier: String
        let session: Session
        let connection: NetworkConnection
        let authorization: any ClientAuthorization
        let publisher: PublisherInfo
        var will: MQTTPacket.Will?
        let keepAlive: TimeAmount?
        /// What connection observers see of this client.
        let client: ConnectedClient
    }

    private let broker: Broker
    private let listener: Broker.Listener
    private var logger: Logger
    private var state: State = .awaitingConnect
    private var protocolVersion: MQTTProtocolVersion = .v3_1_1
    private var context: ChannelHandlerContext?
    private var needsFlush = false
    private var lastPacketTime = NIODeadline.now()
    private var keepAliveTask: Scheduled<Void>?
    private var connectTimeoutTask: Scheduled<Void>?
    /// Why the connection is closing, once known; `connectionLost` when it just drops.
    private var disconnectReason: DisconnectReason?
    /// Reading paused while subscribers this client publishes to are under pressure.
    private var flowControl = PublisherFlowControl()
    /// Packets read but not yet handled, in arrival order: those that arrived while CONNECT was
    /// being authorized, and those read after a pause in reading began (so that a pause takes
    /// effect at once rather than after the whole read batch). Allocated small: most
    /// connections never hold any (memory per idle connection).
    private var heldPackets = CircularBuffer<MQTTPacket>(initialCapacity: 1)

    /// At most this many packets may wait behind an unanswered CONNECT.
    private static let maximumPendingPackets = 1000

    init(broker: Broker, listener: Broker.Listener) {
        self.broker = broker
        self.listener = listener
        self.logger = broker.logger
    }

    // MARK: Channel events

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        logger[metadataKey: "connection.remote"] = "\(context.channel.remoteAddress?.description ?? "?")"
        logger[metadataKey: "mqtt.listener"] = "\(listener.kind.rawValue)"
        if context.channel.isActive { connectionBecameActive(context: context) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    func channelActive(context: ChannelHandlerContext) {
        connectionBecameActive(context: context)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let packet = unwrapInboundIn(data)
        lastPacketTime = context.eventLoop.now
        switch state {
        case .awaitingConnect:
            guard case .connect(let connect) = packet else {
                // The first packet must be CONNECT [MQTT-3.1.0-1].
                protocolViolation(MQTTProtocolError(.unexpectedPacket, "first packet is not CONNECT [MQTT-3.1.0-1]"))
                return
            }
            handleConnect(connect, context: context)
        case .authorizing:
            if case .connect = packet {
                protocolViolation(MQTTProtocolError(.unexpectedPacket, "second CONNECT [MQTT-3.1.0-2]"))
                return
            }
            guard heldPackets.count < Self.maximumPendingPackets else {
                protocolViolation(MQTTProtocolError(.unexpectedPacket, "too many packets before CONNACK"))
                return
            }
            heldPackets.append(packet)
        case .connected(let connected):
            if flowControl.isPaused || !heldPackets.isEmpty {
                heldPackets.append(packet)
                return
            }
            handle(packet, connected: connected, context: context)
        case .closed:
            break
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        flushIfNeeded(context: context)
        context.fireChannelReadComplete()
    }

    func read(context: ChannelHandlerContext) {
        if flowControl.mayRead() { context.read() }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if case .connected(let connected) = state {
            connected.session.channelWritabilityChanged(isWritable: context.channel.isWritable)
        }
        context.fireChannelWritabilityChanged()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let request = event as? CloseRequest {
            close(context: context, reason: request.reason)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if let protocolError = error as? MQTTProtocolError {
            if protocolError.code == .unsupportedProtocolVersion, case .awaitingConnect = state {
                // [MQTT-3.1.2-2]: answer CONNACK 0x01, then close.
                logger.debug("refusing unsupported protocol level", metadata: ["error": "\(protocolError)"])
                write(.connack(.init(returnCode: .unacceptableProtocolVersion)), context: context)
                flushIfNeeded(context: context)
                close(context: context)
                return
            }
            protocolViolation(protocolError)
            return
        }
        if error is NIOSSLError || error is BoringSSLError {
            logger.debug("TLS failure", metadata: ["error": "\(error)"])
        } else if let ioError = error as? IOError, ioError.errnoCode == ECONNRESET {
            logger.trace("connection reset by peer")
        } else {
            logger.debug("connection error", metadata: ["error": "\(error)"])
        }
        close(context: context)
    }

    func channelInactive(context: ChannelHandlerContext) {
        flowControl.cancel()
        heldPackets.removeAll()
        keepAliveTask?.cancel()
        connectTimeoutTask?.cancel()
        broker.connectionClosed(context.channel)
        endSession()
        state = .closed
        context.fireChannelInactive()
    }

    /// Ends the MQTT side of the connection as soon as its end is decided (or the socket
    /// drops), so that nothing routed afterwards is handed to a connection that is going away:
    /// the session detaches (a persistent one queues from now on), the will is published unless
    /// DISCONNECT cleared it [MQTT-3.1.2-8], and observers hear why.
    private func endSession() {
        guard case .connected(let connected) = state else { return }
        state = .closed
        if let will = connected.will {
            publishWill(will, connected: connected)
        }
        broker.closeSession(connected.session, connection: connected.connection)
        logger.debug("client disconnected")
        let reason = disconnectReason ?? .connectionLost
        for observer in broker.connectionObservers {
            observer.clientDisconnected(connected.client, reason: reason)
        }
    }

    // MARK: CONNECT

    private func connectionBecameActive(context: ChannelHandlerContext) {
        guard connectTimeoutTask == nil, case .awaitingConnect = state else { return }
        broker.connectionOpened(context.channel)
        connectTimeoutTask = context.eventLoop.assumeIsolated().scheduleTask(in: broker.configuration.connectTimeout) {
            [self] in
            switch state {
            case .awaitingConnect, .authorizing:
                logger.debug("no CONNECT in time")
                if let context = self.context { close(context: context) }
            default:
                break
            }
        }
    }

    private func handleConnect(_ connect: MQTTPacket.Connect, context: ChannelHandlerContext) {
        guard connect.protocolVersion == .v3_1_1 else {
            // MQTT 5 sessions are not served yet: refuse as a 3.1.1 server does [MQTT-3.1.2-2].
            logger.debug("refusing MQTT 5 client: only 3.1.1 is served")
            write(.connack(.init(returnCode: .unacceptableProtocolVersion)), context: context)
            close(context: context)
            return
        }
        protocolVersion = connect.protocolVersion
        var clientIdentifier = connect.clientIdentifier
        if clientIdentifier.isEmpty {
            // A zero-length identifier needs a clean session [MQTT-3.1.3-8]; the server then
            // assigns one [MQTT-3.1.3-6].
            guard connect.cleanSession else {
                write(.connack(.init(returnCode: .identifierRejected)), context: context)
                flushIfNeeded(context: context)
                close(context: context)
                return
            }
            clientIdentifier = Self.assignedClientIdentifier()
        }
        guard listener.limits.allows(clientIdentifier: clientIdentifier) else {
            logger.debug("refusing a client identifier over the listener's limit")
            write(.connack(.init(returnCode: .identifierRejected)), context: context)
            close(context: context, reason: .protocolError)
            return
        }
        if let will = connect.will, !MQTTTopic.isValidTopicName(will.topic) {
            protocolViolation(
                MQTTProtocolError(.invalidTopicName, "will topic is not a valid topic name [MQTT-3.1.3-10]"))
            return
        }
        if let will = connect.will,
            let violation = listener.limits.violation(
                publishing: will.topic, payloadBytes: will.payload.readableBytes, qos: will.qos)
        {
            limitExceeded(violation)
            return
        }
        logger[metadataKey: "mqtt.client_id"] = "\(clientIdentifier)"
        state = .authorizing(connect)

        let request = ConnectRequest(
            clientIdentifier: clientIdentifier,
            username: connect.username,
            password: connect.password,
            peerCertificateChain: peerCertificateChain(context: context),
            listener: listener.kind,
            remoteAddress: context.channel.remoteAddress?.ipAddress,
            cleanSession: connect.cleanSession,
            protocolVersion: connect.protocolVersion
        )
        let authorizer = listener.authorizer
        if let decision = authorizer.immediateConnectDecision(request) {
            finishConnect(connect, clientIdentifier: clientIdentifier, decision: decision)
            return
        }
        let promise = context.eventLoop.makePromise(of: ConnectDecision.self)
        promise.completeWithTask { await authorizer.authorizeConnect(request) }
        promise.futureResult.assumeIsolated().whenSuccess { [self] decision in
            finishConnect(connect, clientIdentifier: clientIdentifier, decision: decision)
        }
    }

    private func finishConnect(_ connect: MQTTPacket.Connect, clientIdentifier: String, decision: ConnectDecision) {
        guard let context, case .authorizing = state else { return }  // closed meanwhile
        switch decision {
        case .refuse(let code):
            logger.debug("connection refused", metadata: ["mqtt.return_code": "\(code)"])
            heldPackets.removeAll()
            write(.connack(.init(returnCode: code)), context: context)
            flushIfNeeded(context: context)
            close(context: context)
            return
        case .close:
            logger.debug("connection refused by closing")
            heldPackets.removeAll()
            close(context: context)
            return
        case .accept(let authorization):
            connectTimeoutTask?.cancel()
            connectTimeoutTask = nil
            let connection = NetworkConnection(
                channel: context.channel,
                protocolVersion: connect.protocolVersion,
                counters: broker.counters
            )
            let (session, sessionPresent) = broker.openSession(
                clientIdentifier: clientIdentifier,
                cleanSession: connect.cleanSession,
                connection: connection,
                authorization: authorization
            )
            // Session present is 0 for a clean session [MQTT-3.2.2-1].
            write(.connack(.init(sessionPresent: sessionPresent && !connect.cleanSession)), context: context)
            flushIfNeeded(context: context)
            let client = ConnectedClient(
                clientIdentifier: clientIdentifier,
                authorization: authorization,
                listener: listener.kind,
                remoteAddress: context.channel.remoteAddress?.ipAddress,
                cleanSession: connect.cleanSession,
                channel: context.channel
            )

            let keepAlive = effectiveKeepAlive(requested: connect.keepAliveSeconds)
            let connected = Connected(
                clientIdentifier: clientIdentifier,
                session: session,
                connection: connection,
                authorization: authorization,
                publisher: PublisherInfo(
                    clientIdentifier: clientIdentifier,
                    principal: authorization.principal,
                    listener: listener.kind
                ),
                will: connect.will.map(Self.detached),
                keepAlive: keepAlive,
                client: client
            )
            state = .connected(connected)
            for observer in broker.connectionObservers {
                observer.clientConnected(client)
            }
            logger.debug(
                "client connected",
                metadata: [
                    "mqtt.clean_session": "\(connect.cleanSession)", "mqtt.session_present": "\(sessionPresent)",
                ]
            )
            if let keepAlive { scheduleKeepAliveCheck(after: keepAlive, context: context) }

            // What arrived behind CONNECT, in order; a packet among them may pause reading.
            handleHeldPackets(context: context)
            flushIfNeeded(context: context)
        }
    }

    /// The keep-alive to enforce: 1.5 × the client's, capped by the server's maximum
    /// [MQTT-3.1.2-24]; nil for none.
    private func effectiveKeepAlive(requested: UInt16) -> TimeAmount? {
        var seconds = requested
        if let maximum = broker.configuration.maximumKeepAlive, maximum > 0, seconds == 0 || seconds > maximum {
            seconds = maximum
        }
        guard seconds > 0 else { return nil }
        return .milliseconds(Int64(seconds) * 1500)
    }

    private func scheduleKeepAliveCheck(after delay: TimeAmount, context: ChannelHandlerContext) {
        keepAliveTask = context.eventLoop.assumeIsolated().scheduleTask(in: delay) { [self] in
            guard case .connected(let connected) = state, let keepAlive = connected.keepAlive,
                let context = self.context
            else { return }
            let silence = context.eventLoop.now - lastPacketTime
            if silence >= keepAlive {
                logger.debug("keep-alive expired")
                close(context: context, reason: .keepAliveTimeout)
            } else {
                scheduleKeepAliveCheck(after: keepAlive - silence, context: context)
            }
        }
    }

    // MARK: Packets of a connected client

    private func handle(_ packet: MQTTPacket, connected: Connected, context: ChannelHandlerContext) {
        switch packet {
        case .publish(let publish):
            handlePublish(publish, connected: connected, context: context)
        case .puback(let ack):
            connected.session.acknowledge(ack.packetIdentifier)
        case .pubrec(let ack):
            connected.session.received(ack.packetIdentifier)
        case .pubrel(let ack):
            connected.session.release(ack.packetIdentifier)
            write(.pubcomp(.init(packetIdentifier: ack.packetIdentifier)), context: context)
        case .pubcomp(let ack):
            connected.session.completed(ack.packetIdentifier)
        case .subscribe(let subscribe):
            handleSubscribe(subscribe, connected: connected, context: context)
        case .unsubscribe(let unsubscribe):
            for filter in unsubscribe.topicFilters {
                broker.unsubscribe(connected.session, filter: filter)
            }
            write(.unsuback(.init(packetIdentifier: unsubscribe.packetIdentifier)), context: context)
            for observer in broker.connectionObservers {
                observer.clientUnsubscribed(connected.client, topicFilters: unsubscribe.topicFilters)
            }
        case .pingreq:
            write(.pingresp, context: context)
        case .disconnect:
            // A DISCONNECT discards the will [MQTT-3.14.4-3].
            var graceful = connected
            graceful.will = nil
            state = .connected(graceful)
            close(context: context, reason: .clientDisconnect)
        case .connect:
            protocolViolation(MQTTProtocolError(.unexpectedPacket, "second CONNECT [MQTT-3.1.0-2]"))
        case .connack, .suback, .unsuback, .pingresp:
            protocolViolation(MQTTProtocolError(.invalidPacketType, "server-to-client packet sent by a client"))
        }
    }

    private func handlePublish(_ publish: MQTTPacket.Publish, connected: Connected, context: ChannelHandlerContext) {
        if let violation = listener.limits.violation(
            publishing: publish.topic, payloadBytes: publish.payload.readableBytes, qos: publish.qos)
        {
            limitExceeded(violation)
            return
        }
        switch connected.authorization.authorizePublish(topic: publish.topic, retain: publish.retain) {
        case .allow:
            break
        case .discard:
            acknowledge(publish, context: context)
            return
        case .disconnect:
            logger.debug("publish not authorized: closing", metadata: ["mqtt.topic": "\(publish.topic)"])
            close(context: context, reason: .notAuthorized)
            return
        }
        var pressured: [Session] = []
        switch publish.qos {
        case .atMostOnce:
            pressured = broker.route(message(from: publish, connected: connected), from: connected.publisher)
        case .atLeastOnce:
            pressured = broker.route(message(from: publish, connected: connected), from: connected.publisher)
            acknowledge(publish, context: context)
        case .exactlyOnce:
            // Route on first receipt only; a resend before PUBREL is not routed again [MQTT-4.3.3-2].
            if let identifier = publish.packetIdentifier, connected.session.receiveExactlyOnce(identifier) {
                pressured = broker.route(message(from: publish, connected: connected), from: connected.publisher)
            }
            acknowledge(publish, context: context)
        }
        if !pressured.isEmpty { holdOffReading(until: pressured, context: context) }
    }

    /// Stops reading from this publisher until `sessions` are no longer under pressure (or the
    /// stall timeout passes); see ``PublisherFlowControl``.
    private func holdOffReading(until sessions: [Session], context: ChannelHandlerContext) {
        let eventLoop = context.eventLoop
        let handler = NIOLoopBound(self, eventLoop: eventLoop)
        let episode = flowControl.pause(
            waitingFor: sessions.count, on: eventLoop, stallTimeout: broker.configuration.stallTimeout
        ) { episode in
            handler.value.resumeReading { $0.resume(episode: episode) }
        }
        for session in sessions {
            session.waitForPressureToEase {
                eventLoop.execute { handler.value.resumeReading { $0.eased(episode: episode) } }
            }
        }
    }

    /// Handles held packets in arrival order until none is left or one pauses reading again;
    /// drops them once the connection is no longer connected.
    private func handleHeldPackets(context: ChannelHandlerContext) {
        while !flowControl.isPaused, let packet = heldPackets.popFirst() {
            guard case .connected(let connected) = state else {
                heldPackets.removeAll()
                return
            }
            handle(packet, connected: connected, context: context)
        }
    }

    /// Applies `change` to the flow control, and issues the read it held back if it says so.
    private func resumeReading(_ change: (inout PublisherFlowControl) -> Bool) {
        let readHeldBack = change(&flowControl)
        guard !flowControl.isPaused, let context else { return }
        // What was read before the pause goes first; it may pause reading again.
        handleHeldPackets(context: context)
        flushIfNeeded(context: context)
        guard readHeldBack else { return }
        if flowControl.mayRead() { context.read() }
    }

    private func acknowledge(_ publish: MQTTPacket.Publish, context: ChannelHandlerContext) {
        guard let identifier = publish.packetIdentifier else { return }
        switch publish.qos {
        case .atMostOnce: break
        case .atLeastOnce: write(.puback(.init(packetIdentifier: identifier)), context: context)
        case .exactlyOnce: write(.pubrec(.init(packetIdentifier: identifier)), context: context)
        }
    }

    private func handleSubscribe(
        _ subscribe: MQTTPacket.Subscribe, connected: Connected, context: ChannelHandlerContext
    ) {
        if let violation = listener.limits.violation(subscribing: subscribe.subscriptions) {
            limitExceeded(violation)
            return
        }
        var returnCodes: [MQTTSubackReturnCode] = []
        returnCodes.reserveCapacity(subscribe.subscriptions.count)
        var granted: [(filter: String, qos: MQTTQoS)] = []
        for subscription in subscribe.subscriptions {
            guard listener.limits.allows(topicFilter: subscription.topicFilter),
                connected.authorization.authorizeSubscribe(topicFilter: subscription.topicFilter)
            else {
                returnCodes.append(.failure)
                continue
            }
            broker.subscribe(connected.session, filter: subscription.topicFilter, qos: subscription.qos)
            returnCodes.append(.granted(subscription.qos))
            granted.append((subscription.topicFilter, subscription.qos))
        }
        write(.suback(.init(packetIdentifier: subscribe.packetIdentifier, returnCodes: returnCodes)), context: context)
        if !granted.isEmpty {
            let filters = granted.map(\.filter)
            for observer in broker.connectionObservers {
                observer.clientSubscribed(connected.client, topicFilters: filters)
            }
        }
        // Retained messages follow the SUBACK, with the retain flag set [MQTT-3.3.1-6], [MQTT-3.3.1-8].
        for (filter, qos) in granted {
            for message in broker.retained.matching(filter: filter) {
                connected.session.deliver(message, qos: min(message.qos, qos), retain: true)
            }
        }
    }

    // MARK: Helpers

    private func message(from publish: MQTTPacket.Publish, connected: Connected) -> BrokerMessage {
        BrokerMessage(
            topic: publish.topic,
            payload: publish.payload,
            qos: publish.qos,
            retain: publish.retain,
            publisherClientIdentifier: connected.clientIdentifier
        )
    }

    private func publishWill(_ will: MQTTPacket.Will, connected: Connected) {
        guard connected.authorization.authorizePublish(topic: will.topic, retain: will.retain) == .allow else {
            logger.debug("will not authorized", metadata: ["mqtt.topic": "\(will.topic)"])
            return
        }
        let message = BrokerMessage(
            topic: will.topic,
            payload: will.payload,
            qos: will.qos,
            retain: will.retain,
            publisherClientIdentifier: connected.clientIdentifier
        )
        broker.route(message, from: connected.publisher)
    }

    private static func detached(_ will: MQTTPacket.Will) -> MQTTPacket.Will {
        var copy = will
        copy.payload = ByteBuffer(buffer: will.payload)
        return copy
    }

    private func write(_ packet: MQTTPacket, context: ChannelHandlerContext) {
        var buffer = context.channel.allocator.buffer(capacity: packet.encodedSize(version: protocolVersion))
        packet.encode(into: &buffer, version: protocolVersion)
        context.write(wrapOutboundOut(buffer), promise: nil)
        needsFlush = true
    }

    private func flushIfNeeded(context: ChannelHandlerContext) {
        guard needsFlush else { return }
        needsFlush = false
        context.flush()
    }

    /// Every protocol violation ends here: the connection closes and, if the client was
    /// connected, its will is published (by `channelInactive`).
    private func protocolViolation(_ error: MQTTProtocolError) {
        broker.counters.protocolError()
        logger.debug("protocol violation: closing", metadata: ["error": "\(error)"])
        if let context { close(context: context, reason: .protocolError) }
    }

    /// A listener limit was exceeded: the connection closes without an answer to the packet.
    private func limitExceeded(_ violation: LimitViolation) {
        logger.debug("listener limit exceeded: closing", metadata: ["limit": "\(violation.rawValue)"])
        if let context { close(context: context, reason: .protocolError) }
    }

    /// Closes the connection, recording why (the first reason given wins).
    private func close(context: ChannelHandlerContext, reason: DisconnectReason) {
        if disconnectReason == nil { disconnectReason = reason }
        close(context: context)
    }

    private func close(context: ChannelHandlerContext) {
        flushIfNeeded(context: context)
        endSession()
        context.close(promise: nil)
    }

    /// The client's certificate on a mutual-TLS listener (the TLS layer keeps the leaf only).
    private func peerCertificateChain(context: ChannelHandlerContext) -> [[UInt8]] {
        guard listener.tlsContext != nil,
            let tls = try? context.pipeline.syncOperations.handler(type: NIOSSLServerHandler.self),
            let leaf = tls.peerCertificate,
            let der = try? leaf.toDERBytes()
        else { return [] }
        return [der]
    }

    private static func assignedClientIdentifier() -> String {
        var generator = SystemRandomNumberGenerator()
        let high = generator.next() as UInt64
        let low = generator.next() as UInt64
        return "thingport-" + String(high, radix: 16) + String(low, radix: 16)
    }
}
