import MQTTProtocol
import NIOCore
import Testing

@Suite("Round trips")
struct RoundTripTests {
    static let configurations: [(MQTTProtocolVersion, MQTTPacketDecoder.Role)] = [
        (.v3_1_1, .server), (.v3_1_1, .client), (.v5, .server), (.v5, .client),
    ]

    @Test("encode then decode gives the packet back, and the same bytes again", arguments: configurations)
    func roundTrip(version: MQTTProtocolVersion, role: MQTTPacketDecoder.Role) throws {
        var generator = PacketGenerator(seed: role == .server ? 0x5EED : 0xC11E, version: version)
        for _ in 0..<600 {
            let packet = role == .server ? generator.clientPacket() : generator.serverPacket()
            let bytes = encode(packet, version: version)
            let decoded = try decodeOne(bytes, role: role, version: version)
            #expect(decoded == packet)
            #expect(encode(decoded, version: version) == bytes)
        }
    }

    @Test("a stream cut into random chunks decodes to the same packets", arguments: configurations)
    func randomChunks(version: MQTTProtocolVersion, role: MQTTPacketDecoder.Role) throws {
        var generator = PacketGenerator(seed: 0xC4A2 &+ UInt64(version.rawValue), version: version)
        var packets: [MQTTPacket] = []
        var stream = ByteBuffer()
        for _ in 0..<300 {
            let packet = role == .server ? generator.clientPacket() : generator.serverPacket()
            packet.encode(into: &stream, version: version)
            packets.append(packet)
        }
        let processor = NIOSingleStepByteToMessageProcessor(
            MQTTPacketDecoder(role: role, protocolVersion: version),
            maximumBufferSize: 1 << 20
        )
        var decoded: [MQTTPacket] = []
        while stream.readableBytes > 0 {
            let size = min(stream.readableBytes, generator.int(1...97))
            try processor.process(buffer: stream.readSlice(length: size)!) { decoded.append($0) }
        }
        #expect(processor.unprocessedBytes == 0)
        #expect(decoded == packets)
    }

    @Test(
        "remaining lengths of every size encode in the fewest bytes",
        arguments: [0, 127, 16_383, 16_384, 2_097_151, 2_097_152])
    func largePayloads(payloadSize: Int) throws {
        // Topic "t" takes 3 bytes of the Remaining Length.
        let remaining = max(payloadSize, 3)
        let publish = MQTTPacket.publish(
            .init(topic: "t", payload: ByteBuffer(repeating: 0x5A, count: remaining - 3))
        )
        var out = ByteBuffer()
        publish.encode(into: &out, version: .v3_1_1)
        let headerSize = MQTTVariableByteInteger.size(of: remaining) + 1
        #expect(out.readableBytes == headerSize + remaining)
        let decoded = try decodeOne(Array(out.readableBytesView), role: .server, maximumPacketSize: 1 << 22)
        #expect(decoded == publish)
    }
}
