import MQTTProtocol
import NIOCore

/// The MQTT 3.1.1 client session of one benchmark connection: sends CONNECT when the
/// connection opens, waits for CONNACK, pings at half the keep-alive, decodes what the
/// broker sends and hands it to its ``BenchClientRole``.
final class BenchClientHandler<Role: BenchClientRole>: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private enum State {
        case connecting
        case open
        case closed
    }

    /// The traffic this connection carries.
    let role: Role
    /// Succeeds when the broker accepts the connection; fails if it refuses or the
    /// connection closes first.
    let sessionOpened: EventLoopPromise<Void>

    private let connect: MQTTPacket.Connect
    private var reader: PacketReader
    private var state = State.connecting
    private var keepAlive: Scheduled<Void>?
    private var openTimeout: Scheduled<Void>?
    private let openTimeLimit: TimeAmount
    private var failure: (any Error)?

    /// Creates the handler of one connection on `eventLoop`.
    ///
    /// - Parameter openTimeLimit: How long the session may take to open (TLS handshake,
    ///   CONNECT, CONNACK) once the TCP connection is up.
    init(
        role: Role,
        connect: MQTTPacket.Connect,
        maximumPacketSize: Int,
        openTimeLimit: TimeAmount,
        eventLoop: any EventLoop
    ) {
        self.role = role
        self.openTimeLimit = openTimeLimit
        self.connect = connect
        self.reader = PacketReader(maximumPacketSize: maximumPacketSize)
        self.sessionOpened = eventLoop.makePromise()
    }

    func channelActive(context: ChannelHandlerContext) {
        var buffer = context.channel.allocator.buffer(capacity: 64)
        MQTTPacket.connect(self.connect).encode(into: &buffer, version: .v3_1_1)
        context.writeAndFlush(self.wrapOutboundOut(buffer), promise: nil)
        self.openTimeout = context.eventLoop.assumeIsolated().scheduleTask(in: self.openTimeLimit) {
            guard self.state == .connecting else { return }
            self.fail(BenchError("no CONNACK within the connect timeout"), context: context)
        }
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = self.unwrapInboundIn(data)
        let time = BenchClock.now()
        do {
            try self.reader.read(buffer) { packet in
                try self.handle(packet, at: time, context: context)
            }
        } catch {
            self.fail(error, context: context)
        }
    }

    @inline(__always)
    private func handle(_ packet: MQTTPacket, at time: UInt64, context: ChannelHandlerContext) throws {
        switch self.state {
        case .open:
            if case .pingresp = packet { return }
            try self.role.receive(packet, at: time, context: context)
        case .connecting:
            guard case .connack(let connack) = packet else {
                throw BenchError.unexpectedPacket("\(packet.type) before CONNACK")
            }
            guard connack.returnCode == .accepted else {
                throw BenchError.connectionRefused(returnCode: connack.returnCode.rawValue)
            }
            self.state = .open
            self.openTimeout?.cancel()
            self.openTimeout = nil
            self.scheduleKeepAlive(context: context)
            self.sessionOpened.succeed()
            self.role.sessionOpened(context: context)
        case .closed:
            break
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if self.state == .open {
            self.role.readComplete(context: context)
        }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if self.state == .open {
            self.role.writabilityChanged(context: context)
        }
        context.fireChannelWritabilityChanged()
    }

    func channelInactive(context: ChannelHandlerContext) {
        let wasConnecting = self.state == .connecting
        self.state = .closed
        self.keepAlive?.cancel()
        self.keepAlive = nil
        self.openTimeout?.cancel()
        self.openTimeout = nil
        if wasConnecting {
            self.sessionOpened.fail(self.failure ?? BenchError.connectionClosed)
        }
        self.role.sessionClosed(error: self.failure)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        self.fail(error, context: context)
    }

    private func fail(_ error: any Error, context: ChannelHandlerContext) {
        if self.failure == nil { self.failure = error }
        context.close(promise: nil)
    }

    /// Sends PINGREQ every half keep-alive while the session is open.
    private func scheduleKeepAlive(context: ChannelHandlerContext) {
        guard self.connect.keepAliveSeconds > 0 else { return }
        let interval = TimeAmount.milliseconds(Int64(self.connect.keepAliveSeconds) * 500)
        self.keepAlive = context.eventLoop.assumeIsolated().scheduleTask(in: interval) {
            guard self.state == .open else { return }
            var buffer = context.channel.allocator.buffer(capacity: 2)
            MQTTPacket.pingreq.encode(into: &buffer, version: .v3_1_1)
            context.writeAndFlush(self.wrapOutboundOut(buffer), promise: nil)
            self.scheduleKeepAlive(context: context)
        }
    }
}
