import MQTTProtocol
import NIOCore

/// An application message accepted by the broker.
///
/// A message is stored once and shared by reference by every session queue that holds it,
/// so fan-out to many subscribers never copies the payload.
public final class BrokerMessage: Sendable {
    /// The topic name it was published to.
    public let topic: String
    /// The payload, in storage of its own (never a slice of a receive buffer).
    public let payload: ByteBuffer
    /// The QoS it was published with.
    public let qos: MQTTQoS
    /// Whether the publisher asked for it to be retained.
    public let retain: Bool
    /// The client identifier of the publisher (an in-process client's name for internal ones).
    public let publisherClientIdentifier: String

    /// Creates a message; the payload is copied into storage of its own if it is a slice.
    public init(topic: String, payload: ByteBuffer, qos: MQTTQoS, retain: Bool, publisherClientIdentifier: String) {
        self.topic = topic
        self.payload =
            payload.readerIndex == 0 && payload.capacity == payload.readableBytes
            ? payload : ByteBuffer(buffer: payload)
        self.qos = qos
        self.retain = retain
        self.publisherClientIdentifier = publisherClientIdentifier
    }

    /// The PUBLISH packet that delivers this message at `qos` with the given flags.
    func packet(qos: MQTTQoS, packetIdentifier: MQTTPacketIdentifier?, retain: Bool, duplicate: Bool)
        -> MQTTPacket.Publish
    {
        MQTTPacket.Publish(
            topic: topic,
            payload: payload,
            qos: qos,
            retain: retain,
            duplicate: duplicate,
            packetIdentifier: packetIdentifier
        )
    }
}
