import MQTTProtocol
import NIOCore

/// One publisher's PUBLISH packet, encoded once; each message copies it and patches the
/// packet identifier and the payload stamp in place.
struct PublishTemplate {
    /// The whole packet, fixed header included.
    let packet: ByteBuffer
    /// Where the packet identifier is, from the start of the packet (QoS 1 and 2 only).
    let packetIdentifierOffset: Int?
    /// Where the payload, and so the ``BenchPayload`` stamp, starts.
    let payloadOffset: Int

    /// The size of one packet in bytes.
    var size: Int { self.packet.readableBytes }

    init(topic: String, payloadSize: Int, qos: MQTTQoS) {
        precondition(payloadSize >= BenchPayload.minimumSize, "payload too small for the stamp")
        let payload = ByteBuffer(repeating: 0, count: payloadSize)
        let publish = MQTTPacket.Publish(
            topic: topic,
            payload: payload,
            qos: qos,
            packetIdentifier: qos == .atMostOnce ? nil : 1
        )
        var packet = ByteBuffer()
        publish.encode(into: &packet, version: .v3_1_1)
        self.packet = packet
        self.payloadOffset = packet.readableBytes - payloadSize
        // The packet identifier sits right before the payload (3.1.1 section 3.3.2).
        self.packetIdentifierOffset = qos == .atMostOnce ? nil : self.payloadOffset - 2
    }

    /// Appends one message to `buffer`.
    @inline(__always)
    func write(into buffer: inout ByteBuffer, packetIdentifier: UInt16, stamp: BenchPayload) {
        let start = buffer.writerIndex
        buffer.writeImmutableBuffer(self.packet)
        if let offset = self.packetIdentifierOffset {
            buffer.setInteger(packetIdentifier, at: start + offset)
        }
        stamp.write(into: &buffer, at: start + self.payloadOffset)
    }
}
