import MQTTProtocol
import NIOCore

/// A session's view of a client's network connection: writes outgoing packets in batches.
final class NetworkConnection: SessionConnection, @unchecked Sendable {
    let channel: any Channel
    let protocolVersion: MQTTProtocolVersion
    private let counters: BrokerCounters

    var eventLoop: any EventLoop { channel.eventLoop }

    init(channel: any Channel, protocolVersion: MQTTProtocolVersion, counters: BrokerCounters) {
        self.channel = channel
        self.protocolVersion = protocolVersion
        self.counters = counters
    }

    /// How much may be buffered for a client above the high-water mark while its publishers
    /// are being slowed down (what they had already read when they paused).
    static let congestedBufferLimit = 1024 * 1024

    func deliver(_ items: [OutboundItem], of session: Session) {
        eventLoop.preconditionInEventLoop()
        // A client that does not read cannot make us buffer without bound. Above the channel's
        // high-water mark its publishers are paused (see `PublisherFlowControl`) and what they
        // had already sent is still written, up to `congestedBufferLimit`; once the client
        // counts as stalled (no write completed for the stall timeout), or beyond that limit, QoS 0 messages are dropped. QoS 1 and 2
        // messages are already bounded by the in-flight window.
        var writable = channel.isWritable
        var mayOverfill = !writable && !session.isStalled && hasRoomAboveHighWaterMark
        var sent = 0
        var dropped = 0
        // The last buffer is written after the loop, with a promise when the client is congested.
        var held: ByteBuffer?
        for item in items {
            let packet: MQTTPacket
            switch item {
            case .publish(let message, let qos, let identifier, let retain, let duplicate):
                if qos == .atMostOnce && !writable && !mayOverfill {
                    dropped += 1
                    continue
                }
                packet = .publish(
                    message.packet(qos: qos, packetIdentifier: identifier, retain: retain, duplicate: duplicate))
                sent += 1
            case .pubrel(let identifier):
                packet = .pubrel(MQTTPacket.Acknowledgement(packetIdentifier: identifier))
            }
            var buffer = channel.allocator.buffer(capacity: packet.encodedSize(version: protocolVersion))
            packet.encode(into: &buffer, version: protocolVersion)
            if let previous = held { channel.write(previous, promise: nil) }
            held = buffer
            if writable {
                writable = channel.isWritable
                if !writable { mayOverfill = !session.isStalled }
            }
        }
        if let last = held {
            if channel.isWritable {
                channel.write(last, promise: nil)
            } else {
                // Congested: when this write reaches the socket the client has read what was
                // before it, so it is slow, not stalled.
                let written = eventLoop.makePromise(of: Void.self)
                written.futureResult.whenSuccess { session.recordWriteProgress() }
                channel.write(last, promise: written)
            }
        }
        channel.flush()
        if sent > 0 { counters.sent(sent) }
        if dropped > 0 { counters.dropped(dropped) }
    }

    /// Whether less than ``congestedBufferLimit`` waits to be written.
    private var hasRoomAboveHighWaterMark: Bool {
        guard let buffered = try? channel.syncOptions?.getOption(.bufferedWritableBytes) else { return true }
        return buffered < Self.congestedBufferLimit
    }

    func closeForTakeover() {
        close(reason: .takenOver)
    }

    func close(reason: DisconnectReason) {
        channel.pipeline.fireUserInboundEventTriggered(CloseRequest(reason: reason))
        channel.close(promise: nil)
    }
}
