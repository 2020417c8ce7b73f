import MQTTProtocol
import NIOCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// `SO_RCVLOWAT`.
private let receiveLowWatermarkOption = SO_RCVLOWAT

/// A subscribing connection: subscribes to one filter, then records every message it
/// receives (latency, sequence) and acknowledges QoS 1 messages, one flush per read batch.
final class SubscriberRole: BenchClientRole {
    /// Succeeds when the broker grants the subscription.
    let subscribed: EventLoopPromise<Void>
    private let filter: String
    private let qos: MQTTQoS
    private let runTag: UInt16
    private let readLowWatermark: Int
    private var context: ChannelHandlerContext?
    private let stats: DeliveryStats
    /// One tracker per publisher index.
    private(set) var trackers: [SequenceTracker]
    private var pendingAcknowledgements: ByteBuffer?
    /// Whether the SUBACK (or the end of the connection) has answered ``subscribed``.
    private var isSubscribed = false
    /// Whether the connection closed before the run ended.
    private(set) var closedEarly = false
    private var isClosing = false

    /// - Parameter readLowWatermark: Bytes the socket must hold before a read is worth
    ///   waking up for, once subscribed (`SO_RCVLOWAT`); 1 or less reads every byte at once.
    init(
        filter: String,
        qos: MQTTQoS,
        runTag: UInt16,
        publishers: Int,
        readLowWatermark: Int,
        stats: DeliveryStats,
        eventLoop: any EventLoop
    ) {
        self.filter = filter
        self.qos = qos
        self.runTag = runTag
        self.readLowWatermark = readLowWatermark
        self.stats = stats
        self.trackers = [SequenceTracker](repeating: SequenceTracker(), count: publishers)
        self.subscribed = eventLoop.makePromise()
    }

    func sessionOpened(context: ChannelHandlerContext) {
        self.context = context
        let subscribe = MQTTPacket.subscribe(
            .init(packetIdentifier: 1, subscriptions: [.init(topicFilter: self.filter, qos: self.qos)])
        )
        var buffer = context.channel.allocator.buffer(capacity: subscribe.encodedSize(version: .v3_1_1))
        subscribe.encode(into: &buffer, version: .v3_1_1)
        context.writeAndFlush(NIOAny(buffer), promise: nil)
    }

    @inline(__always)
    func receive(_ packet: MQTTPacket, at time: UInt64, context: ChannelHandlerContext) throws {
        switch packet {
        case .publish(let publish):
            self.handle(publish, at: time, context: context)
        case .suback(let suback):
            guard !self.isSubscribed else { throw BenchError.unexpectedPacket("second SUBACK") }
            guard suback.returnCodes.count == 1, suback.returnCodes[0] != .failure else {
                let error = BenchError.subscriptionRefused(filter: self.filter)
                self.isSubscribed = true
                self.subscribed.fail(error)
                throw error
            }
            self.isSubscribed = true
            if self.readLowWatermark > 1 { self.setReadLowWatermark(self.readLowWatermark, context: context) }
            self.subscribed.succeed()
        default:
            throw BenchError.unexpectedPacket("\(packet.type) on a subscribing connection")
        }
    }

    @inline(__always)
    private func handle(_ publish: MQTTPacket.Publish, at time: UInt64, context: ChannelHandlerContext) {
        if let identifier = publish.packetIdentifier, publish.qos == .atLeastOnce {
            if self.pendingAcknowledgements == nil {
                self.pendingAcknowledgements = context.channel.allocator.buffer(capacity: 4 * 256)
            }
            MQTTPacket.puback(.init(packetIdentifier: identifier)).encode(
                into: &self.pendingAcknowledgements!,
                version: .v3_1_1
            )
        }
        guard let stamp = BenchPayload(reading: publish.payload),
            stamp.runTag == self.runTag,
            Int(stamp.publisher) < self.trackers.count
        else {
            self.stats.foreign += 1
            return
        }
        self.stats.record(sendTime: stamp.sendTime, receiveTime: time)
        self.trackers[Int(stamp.publisher)].record(stamp.sequence)
    }

    func readComplete(context: ChannelHandlerContext) {
        if let acknowledgements = self.pendingAcknowledgements.take() {
            context.writeAndFlush(NIOAny(acknowledgements), promise: nil)
        }
    }

    /// Reads every byte as soon as it arrives again: the tail of a run must not wait in
    /// the socket for the low watermark.
    func readEverything() {
        guard self.readLowWatermark > 1, let context = self.context else { return }
        self.setReadLowWatermark(1, context: context)
    }

    private func setReadLowWatermark(_ bytes: Int, context: ChannelHandlerContext) {
        // Linux signals readiness again when the watermark drops below what is queued.
        let option = ChannelOptions.Types.SocketOption(level: .socket, name: .init(rawValue: receiveLowWatermarkOption))
        try? context.channel.syncOptions?.setOption(option, value: bytes)
    }

    /// Marks the coming close as asked for.
    func prepareToClose() {
        self.isClosing = true
    }

    func sessionClosed(error: (any Error)?) {
        self.context = nil
        if !self.isClosing { self.closedEarly = true }
        if !self.isSubscribed {
            self.subscribed.fail(error ?? BenchError.connectionClosed)
            self.isSubscribed = true
        }
    }
}
