import MQTTProtocol
import NIOCore

/// Turns the bytes a client connection reads into MQTT packets.
///
/// Many packets are decoded from each read; PUBLISH payloads stay slices of the read
/// buffer, so a packet must be handled before the next read.
struct PacketReader {
    private var processor: NIOSingleStepByteToMessageProcessor<MQTTPacketDecoder>

    /// Creates a reader that accepts packets of up to `maximumPacketSize` bytes.
    init(maximumPacketSize: Int) {
        self.processor = NIOSingleStepByteToMessageProcessor(
            MQTTPacketDecoder(role: .client, maximumPacketSize: maximumPacketSize)
        )
    }

    /// Decodes every whole packet of `buffer` (with what was left from earlier reads) and
    /// hands each to `body`.
    ///
    /// - Throws: `MQTTProtocolError` for malformed input, or what `body` throws.
    @inline(__always)
    mutating func read(_ buffer: ByteBuffer, _ body: (MQTTPacket) throws -> Void) throws {
        try self.processor.process(buffer: buffer, body)
    }
}
