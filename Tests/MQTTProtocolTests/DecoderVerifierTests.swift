import MQTTProtocol
import NIOCore
import NIOTestUtils
import Testing

@Suite("ByteToMessageDecoderVerifier")
struct DecoderVerifierTests {
    /// The vectors the `role` receives, one buffer each, plus two packets in one buffer.
    private func pairs(_ vectors: [PacketVector], role: MQTTPacketDecoder.Role) -> [(ByteBuffer, [MQTTPacket])] {
        let received = vectors.filter { $0.receiver == role }
        var pairs = received.map { (buffer($0.bytes), [$0.packet]) }
        let lastTwo = received.suffix(2)
        pairs.append((buffer(lastTwo.flatMap(\.bytes)), lastTwo.map(\.packet)))
        return pairs
    }

    @Test("MQTT 3.1.1 server role, byte by byte and all at once")
    func server311() throws {
        try ByteToMessageDecoderVerifier.verifyDecoder(
            inputOutputPairs: self.pairs(MQTT311Vectors.all, role: .server),
            decoderFactory: { MQTTPacketDecoder(role: .server) }
        )
    }

    @Test("MQTT 3.1.1 client role, byte by byte and all at once")
    func client311() throws {
        try ByteToMessageDecoderVerifier.verifyDecoder(
            inputOutputPairs: self.pairs(MQTT311Vectors.all, role: .client),
            decoderFactory: { MQTTPacketDecoder(role: .client) }
        )
    }

    @Test("MQTT 5 server role, byte by byte and all at once")
    func server5() throws {
        try ByteToMessageDecoderVerifier.verifyDecoder(
            inputOutputPairs: self.pairs(MQTT5Vectors.all, role: .server),
            decoderFactory: { MQTTPacketDecoder(role: .server, protocolVersion: .v5) }
        )
    }

    @Test("MQTT 5 client role, byte by byte and all at once")
    func client5() throws {
        try ByteToMessageDecoderVerifier.verifyDecoder(
            inputOutputPairs: self.pairs(MQTT5Vectors.all, role: .client),
            decoderFactory: { MQTTPacketDecoder(role: .client, protocolVersion: .v5) }
        )
    }

    @Test("generated MQTT 5 traffic, byte by byte and all at once")
    func generated5() throws {
        var generator = PacketGenerator(seed: 0x7E57, version: .v5)
        let pairs = (0..<40).map { _ in
            let packet = generator.clientPacket()
            return (buffer(encode(packet, version: .v5)), [packet])
        }
        try ByteToMessageDecoderVerifier.verifyDecoder(
            inputOutputPairs: pairs,
            decoderFactory: { MQTTPacketDecoder(role: .server, protocolVersion: .v5) }
        )
    }
}
