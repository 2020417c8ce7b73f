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

    func deliver(_ items: [OutboundItem], of session: Session) {
        eventLoop.preconditionInEventLoop()
        // A client that does not read cannot make us buffer without bound: while the channel
        // is above its high-water mark, QoS 0 messages are dropped. QoS 1 and 2 messages are
        // already bounded by the in-flight window.
        var writable = channel.isWritable
        var sent = 0
        var dropped = 0
        for item in items {
            let packet: MQTTPacket
            switch item {
            case .publish(let message, let qos, let identifier, let retain, let duplicate):
                if qos == .atMostOnce && !writable {
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
            channel.write(buffer, promise: nil)
            if writable { writable = channel.isWritable }
        }
        channel.flush()
        if sent > 0 { counters.sent(sent) }
        if dropped > 0 { counters.dropped(dropped) }
    }

    func closeForTakeover() {
        close(reason: .takenOver)
    }

    func close(reason: DisconnectReason) {
        channel.pipeline.fireUserInboundEventTriggered(CloseRequest(reason: reason))
        channel.close(promise: nil)
    }
}
