import MQTTProtocol
import NIOCore
import Testing

/// A buffer holding `bytes`.
func buffer(_ bytes: [UInt8]) -> ByteBuffer {
    ByteBuffer(bytes: bytes)
}

/// A buffer holding the UTF-8 of `string`.
func buffer(_ string: String) -> ByteBuffer {
    ByteBuffer(string: string)
}

/// The bytes `packet` encodes to, checking that `encodedSize` agrees.
func encode(_ packet: MQTTPacket, version: MQTTProtocolVersion) -> [UInt8] {
    var out = ByteBuffer()
    packet.encode(into: &out, version: version)
    #expect(out.readableBytes == packet.encodedSize(version: version), "encodedSize disagrees with encode")
    return Array(out.readableBytesView)
}

/// Decodes exactly one packet that fills `bytes`.
func decodeOne(
    _ bytes: [UInt8],
    role: MQTTPacketDecoder.Role,
    version: MQTTProtocolVersion? = nil,
    maximumPacketSize: Int = 131_072
) throws -> MQTTPacket {
    var decoder = MQTTPacketDecoder(role: role, maximumPacketSize: maximumPacketSize, protocolVersion: version)
    var input = buffer(bytes)
    let packet = try #require(try decoder.decodePacket(from: &input))
    #expect(input.readableBytes == 0, "decoder left bytes behind")
    return packet
}

/// The error decoding `bytes` throws, or nil if it decodes or needs more bytes.
func decodingError(
    _ bytes: [UInt8],
    role: MQTTPacketDecoder.Role,
    version: MQTTProtocolVersion? = nil,
    maximumPacketSize: Int = 131_072
) -> MQTTProtocolError? {
    var decoder = MQTTPacketDecoder(role: role, maximumPacketSize: maximumPacketSize, protocolVersion: version)
    var input = buffer(bytes)
    do {
        _ = try decoder.decodePacket(from: &input)
        return nil
    } catch {
        return error
    }
}

/// `bytes` with a fixed header prepended: `firstByte` and a one-byte Remaining Length.
func packet(_ firstByte: UInt8, _ body: [UInt8]) -> [UInt8] {
    precondition(body.count < 128)
    return [firstByte, UInt8(body.count)] + body
}

/// An MQTT string field: two-byte length and UTF-8.
func mqttString(_ string: String) -> [UInt8] {
    let utf8 = Array(string.utf8)
    return [UInt8(utf8.count >> 8), UInt8(utf8.count & 0xFF)] + utf8
}

/// A deterministic random number generator (SplitMix64), so failures reproduce.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { self.state = seed }

    mutating func next() -> UInt64 {
        self.state &+= 0x9E37_79B9_7F4A_7C15
        var z = self.state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
