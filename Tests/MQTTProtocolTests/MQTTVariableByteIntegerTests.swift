import MQTTProtocol
import NIOCore
import Testing

@Suite("Variable Byte Integer")
struct MQTTVariableByteIntegerTests {
    // The boundaries of table 2.4 in MQTT 3.1.1 section 2.2.3.
    static let table: [(Int, [UInt8])] = [
        (0, [0x00]), (127, [0x7F]),
        (128, [0x80, 0x01]), (16_383, [0xFF, 0x7F]),
        (16_384, [0x80, 0x80, 0x01]), (2_097_151, [0xFF, 0xFF, 0x7F]),
        (2_097_152, [0x80, 0x80, 0x80, 0x01]), (268_435_455, [0xFF, 0xFF, 0xFF, 0x7F]),
        (321, [0xC1, 0x02]),
    ]

    @Test("encodes and decodes the specification's boundaries", arguments: table)
    func boundaries(value: Int, bytes: [UInt8]) throws {
        var out = ByteBuffer()
        #expect(out.writeMQTTVariableByteInteger(value) == bytes.count)
        #expect(Array(out.readableBytesView) == bytes)
        #expect(MQTTVariableByteInteger.size(of: value) == bytes.count)
        var input = buffer(bytes + [0xEE])
        #expect(try input.readMQTTVariableByteInteger() == value)
        #expect(input.readableBytes == 1)
    }

    @Test("a fifth byte is malformed")
    func fiveBytes() {
        var input = buffer([0xFF, 0xFF, 0xFF, 0xFF, 0x01])
        #expect(
            throws: MQTTProtocolError(
                .malformedRemainingLength, "variable byte integer longer than 4 bytes [MQTT-1.5.5-1]")
        ) {
            try input.readMQTTVariableByteInteger()
        }
        #expect(input.readableBytes == 5)
    }

    @Test("running out of bytes consumes nothing")
    func truncated() {
        var input = buffer([0x80, 0x80])
        do {
            _ = try input.readMQTTVariableByteInteger()
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .malformedPacket)
        }
        #expect(input.readableBytes == 2)
    }
}
