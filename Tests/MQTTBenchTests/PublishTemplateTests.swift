import MQTTProtocol
import NIOCore
import Testing

@testable import MQTTBench

@Suite struct PublishTemplateTests {
    /// Encodes messages with the template and decodes them with the protocol's decoder.
    private func roundTrip(qos: MQTTQoS, payloadSize: Int, stamps: [(UInt16, BenchPayload)]) throws
        -> [MQTTPacket.Publish]
    {
        let template = PublishTemplate(topic: "bench/7", payloadSize: payloadSize, qos: qos)
        var buffer = ByteBuffer()
        for (identifier, stamp) in stamps {
            template.write(into: &buffer, packetIdentifier: identifier, stamp: stamp)
        }
        #expect(buffer.readableBytes == template.size * stamps.count)
        var decoder = MQTTPacketDecoder(role: .client)
        var packets: [MQTTPacket.Publish] = []
        while let packet = try decoder.decodePacket(from: &buffer) {
            guard case .publish(let publish) = packet else {
                Issue.record("not a PUBLISH: \(packet)")
                continue
            }
            packets.append(publish)
        }
        #expect(buffer.readableBytes == 0)
        return packets
    }

    @Test(arguments: [16, 64, 1000, 20_000])
    func qos0MessagesCarryTheirStamps(payloadSize: Int) throws {
        let stamps = (0..<3).map { index in
            (
                UInt16(0),
                BenchPayload(
                    sendTime: 1_000_000 + UInt64(index), runTag: 0xBEEF, publisher: 7, sequence: UInt32(index)
                )
            )
        }
        let packets = try roundTrip(qos: .atMostOnce, payloadSize: payloadSize, stamps: stamps)
        try #require(packets.count == 3)
        for (packet, (_, stamp)) in zip(packets, stamps) {
            #expect(packet.topic == "bench/7")
            #expect(packet.qos == .atMostOnce)
            #expect(packet.packetIdentifier == nil)
            #expect(packet.payload.readableBytes == payloadSize)
            #expect(BenchPayload(reading: packet.payload) == stamp)
            // Past the stamp the payload is zeros.
            #expect(
                packet.payload.getBytes(at: packet.payload.readerIndex + 16, length: payloadSize - 16)!
                    .allSatisfy { $0 == 0 })
        }
    }

    @Test func qos1MessagesCarryTheirPacketIdentifiers() throws {
        let stamps: [(UInt16, BenchPayload)] = [
            (1, BenchPayload(sendTime: 5, runTag: 1, publisher: 65_535, sequence: 0)),
            (65_535, BenchPayload(sendTime: 6, runTag: 1, publisher: 65_535, sequence: .max)),
        ]
        let packets = try roundTrip(qos: .atLeastOnce, payloadSize: 32, stamps: stamps)
        try #require(packets.count == 2)
        #expect(packets.map(\.packetIdentifier) == [1, 65_535])
        #expect(packets.map(\.qos) == [.atLeastOnce, .atLeastOnce])
        #expect(packets.map { BenchPayload(reading: $0.payload) } == stamps.map(\.1))
    }

    @Test func shortPayloadHasNoStamp() {
        #expect(BenchPayload(reading: ByteBuffer(repeating: 1, count: 15)) == nil)
        #expect(
            BenchPayload(reading: ByteBuffer(repeating: 0, count: 16))
                == BenchPayload(sendTime: 0, runTag: 0, publisher: 0, sequence: 0))
    }
}
