import MQTTProtocol
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import NIOSSL
import Testing

struct TimedOut: Error, CustomStringConvertible {
    let what: String
    var description: String { "timed out waiting for \(what)" }
}

/// Collects what the broker sends, and notices when the connection closes.
private final class PacketCollector: ChannelInboundHandler, Sendable {
    typealias InboundIn = MQTTPacket

    private struct State {
        var packets: [MQTTPacket] = []
        var closed = false
    }

    private let state = NIOLockedValueBox(State())

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let packet = unwrapInboundIn(data)
        state.withLockedValue { $0.packets.append(packet) }
    }

    func channelInactive(context: ChannelHandlerContext) {
        state.withLockedValue { $0.closed = true }
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    /// The oldest packet not yet taken, or whether the connection closed.
    func take() -> (MQTTPacket?, closed: Bool) {
        state.withLockedValue { state in
            if state.packets.isEmpty { return (nil, state.closed) }
            return (state.packets.removeFirst(), state.closed)
        }
    }

    var isClosed: Bool { state.withLockedValue { $0.closed } }
}

/// A small MQTT 3.1.1 client on NIO with the codec of `MQTTProtocol`, over TCP or TLS with a
/// device certificate, that the tests drive packet by packet.
final class TestMQTTClient: Sendable {
    let channel: any Channel
    private let collector: PacketCollector

    private init(channel: any Channel, collector: PacketCollector) {
        self.channel = channel
        self.collector = collector
    }

    /// Opens a connection (and, with `tls`, starts the handshake).
    static func open(port: Int, tls: NIOSSLContext? = nil) async throws -> TestMQTTClient {
        let collector = PacketCollector()
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let pipeline = channel.pipeline.syncOperations
                    if let tls {
                        try pipeline.addHandler(NIOSSLClientHandler(context: tls, serverHostname: "localhost"))
                    }
                    try pipeline.addHandler(
                        ByteToMessageHandler(MQTTPacketDecoder(role: .client, maximumPacketSize: 1 << 20)))
                    try pipeline.addHandler(MessageToByteHandler(MQTTPacketEncoder()))
                    try pipeline.addHandler(collector)
                }
            }
            .connect(host: "127.0.0.1", port: port)
            .get()
        return TestMQTTClient(channel: channel, collector: collector)
    }

    /// Sends a packet; a write to a closed connection is not an error (the test looks at
    /// what the broker answered).
    func send(_ packet: MQTTPacket) async {
        try? await channel.writeAndFlush(packet)
    }

    /// The next packet, or nil when the connection closed first.
    ///
    /// - Throws: ``TimedOut`` when neither happens within `timeout`.
    func next(timeout: Duration = .seconds(5)) async throws -> MQTTPacket? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let (packet, closed) = collector.take()
            if let packet { return packet }
            if closed { return nil }
            try await Task.sleep(for: .milliseconds(5))
        }
        throw TimedOut(what: "a packet")
    }

    /// The next PUBLISH, skipping acknowledgements; nil when the connection closed.
    func nextPublish(timeout: Duration = .seconds(5)) async throws -> MQTTPacket.Publish? {
        while true {
            guard let packet = try await next(timeout: timeout) else { return nil }
            if case .publish(let publish) = packet { return publish }
        }
    }

    /// Whether the connection closes within `timeout` (packets arriving meanwhile are dropped).
    func closes(within timeout: Duration = .seconds(5)) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if collector.isClosed { return true }
            try? await Task.sleep(for: .milliseconds(5))
        }
        return collector.isClosed
    }

    /// Whether nothing arrives and the connection stays open for `duration`.
    func staysQuiet(for duration: Duration = .milliseconds(300)) async throws -> Bool {
        do {
            _ = try await next(timeout: duration)
            return false
        } catch is TimedOut {
            return true
        }
    }

    /// Sends CONNECT and returns the CONNACK, or nil when the connection closed instead.
    func connect(
        _ clientId: String,
        cleanSession: Bool = true,
        keepAlive: UInt16 = 60,
        username: String? = nil,
        will: MQTTPacket.Will? = nil
    ) async throws -> MQTTPacket.Connack? {
        await send(
            .connect(
                .init(
                    cleanSession: cleanSession, keepAliveSeconds: keepAlive, clientIdentifier: clientId, will: will,
                    username: username)))
        switch try await next() {
        case .connack(let connack)?: return connack
        case nil: return nil
        case let other?: Issue.record("expected CONNACK, got \(other)"); return nil
        }
    }

    /// Subscribes and returns the SUBACK return codes (nil when the connection closed).
    func subscribe(_ filters: [(String, MQTTQoS)], id: MQTTPacketIdentifier = 1) async throws -> [UInt8]? {
        await send(
            .subscribe(
                .init(
                    packetIdentifier: id,
                    subscriptions: filters.map { MQTTPacket.Subscription(topicFilter: $0.0, qos: $0.1) })))
        while true {
            switch try await next() {
            case .suback(let suback)?: return suback.returnCodes.map(\.rawValue)
            case nil: return nil
            default: continue
            }
        }
    }

    /// Publishes; for QoS 1 waits for PUBACK and returns whether it came (false: closed).
    @discardableResult
    func publish(
        _ topic: String, _ payload: String, qos: MQTTQoS = .atLeastOnce, retain: Bool = false,
        id: MQTTPacketIdentifier = 7
    ) async throws -> Bool {
        await send(
            .publish(
                .init(
                    topic: topic, payload: ByteBuffer(string: payload), qos: qos, retain: retain,
                    packetIdentifier: qos == .atMostOnce ? nil : id)))
        guard qos != .atMostOnce else { return !collector.isClosed }
        while true {
            switch try await next() {
            case .puback?, .pubrec?: return true
            case nil: return false
            default: continue
            }
        }
    }

    func disconnect() async {
        await send(.disconnect(.init()))
        _ = await closes(within: .seconds(2))
    }

    func close() async {
        try? await channel.close()
    }
}
