import MQTTProtocol
import NIOCore
import Testing

/// Bytes that must be refused, and the error code they must produce.
struct MalformedCase: Sendable, CustomTestStringConvertible {
    var name: String
    var bytes: [UInt8]
    var role: MQTTPacketDecoder.Role
    var version: MQTTProtocolVersion?
    var code: MQTTProtocolError.Code

    var testDescription: String { self.name }

    init(
        _ name: String,
        _ bytes: [UInt8],
        _ code: MQTTProtocolError.Code,
        role: MQTTPacketDecoder.Role = .server,
        version: MQTTProtocolVersion? = nil
    ) {
        self.name = name
        self.bytes = bytes
        self.code = code
        self.role = role
        self.version = version
    }
}

/// A CONNECT packet with the given fields and a one-byte Remaining Length.
private func connect(
    name: String = "MQTT",
    level: UInt8 = 4,
    flags: UInt8 = 0x02,
    payload: [UInt8] = mqttString("c")
) -> [UInt8] {
    packet(0x10, mqttString(name) + [level, flags, 0x00, 0x3C] + payload)
}

/// A string field holding raw, possibly invalid, bytes.
private func rawString(_ bytes: [UInt8]) -> [UInt8] {
    [0x00, UInt8(bytes.count)] + bytes
}

enum MalformedCases {
    static let remainingLength: [MalformedCase] = [
        MalformedCase("five-byte remaining length", [0x30, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F], .malformedRemainingLength),
        MalformedCase("fourth length byte still continues", [0x30, 0x80, 0x80, 0x80, 0x80], .malformedRemainingLength),
    ]

    static let fixedHeaderFlags: [MalformedCase] = [
        MalformedCase("CONNECT flags 0001", [0x11] + connect().dropFirst(), .invalidFixedHeaderFlags),
        MalformedCase("PUBACK flags 0001", [0x41, 0x02, 0x00, 0x01], .invalidFixedHeaderFlags),
        MalformedCase("PUBREC flags 1000", [0x58, 0x02, 0x00, 0x01], .invalidFixedHeaderFlags),
        MalformedCase("PUBREL flags 0000", [0x60, 0x02, 0x00, 0x01], .invalidFixedHeaderFlags),
        MalformedCase("PUBREL flags 0011", [0x63, 0x02, 0x00, 0x01], .invalidFixedHeaderFlags),
        MalformedCase("PUBCOMP flags 0010", [0x72, 0x02, 0x00, 0x01], .invalidFixedHeaderFlags),
        MalformedCase(
            "SUBSCRIBE flags 0000", packet(0x80, [0x00, 0x01] + mqttString("a") + [0x00]), .invalidFixedHeaderFlags),
        MalformedCase(
            "SUBSCRIBE flags 0110", packet(0x86, [0x00, 0x01] + mqttString("a") + [0x00]), .invalidFixedHeaderFlags),
        MalformedCase(
            "UNSUBSCRIBE flags 0000", packet(0xA0, [0x00, 0x01] + mqttString("a")), .invalidFixedHeaderFlags),
        MalformedCase("PINGREQ flags 0001", [0xC1, 0x00], .invalidFixedHeaderFlags),
        MalformedCase("DISCONNECT flags 0010", [0xE2, 0x00], .invalidFixedHeaderFlags),
        MalformedCase("CONNACK flags 0001", [0x21, 0x02, 0x00, 0x00], .invalidFixedHeaderFlags, role: .client),
        MalformedCase("SUBACK flags 0010", [0x92, 0x03, 0x00, 0x01, 0x00], .invalidFixedHeaderFlags, role: .client),
        MalformedCase("UNSUBACK flags 0100", [0xB4, 0x02, 0x00, 0x01], .invalidFixedHeaderFlags, role: .client),
        MalformedCase("PINGRESP flags 1000", [0xD8, 0x00], .invalidFixedHeaderFlags, role: .client),
        MalformedCase("PUBLISH QoS 3", packet(0x36, mqttString("t") + [0x00, 0x01]), .invalidQoS),
        MalformedCase(
            "PUBLISH QoS 3 to a client", packet(0x37, mqttString("t") + [0x00, 0x01]), .invalidQoS, role: .client),
        MalformedCase("PUBLISH DUP with QoS 0", packet(0x38, mqttString("t")), .invalidFixedHeaderFlags),
    ]

    static let utf8: [MalformedCase] = [
        MalformedCase("client id C3 28", connect(payload: rawString([0xC3, 0x28])), .invalidUTF8),
        MalformedCase("client id surrogate ED A0 80", connect(payload: rawString([0xED, 0xA0, 0x80])), .invalidUTF8),
        MalformedCase("client id overlong C0 AF", connect(payload: rawString([0x61, 0xC0, 0xAF])), .invalidUTF8),
        MalformedCase("client id with U+0000", connect(payload: rawString([0x61, 0x00, 0x62])), .invalidUTF8),
        MalformedCase(
            "user name truncated E2 82", connect(flags: 0x82, payload: mqttString("c") + rawString([0xE2, 0x82])),
            .invalidUTF8),
        MalformedCase(
            "will topic F4 90 80 80 above U+10FFFF",
            connect(flags: 0x06, payload: mqttString("c") + rawString([0xF4, 0x90, 0x80, 0x80]) + [0x00, 0x00]),
            .invalidUTF8),
        MalformedCase("topic C3 28", packet(0x30, rawString([0xC3, 0x28])), .invalidUTF8),
        MalformedCase("topic surrogate ED A0 80", packet(0x30, rawString([0x61, 0xED, 0xA0, 0x80])), .invalidUTF8),
        MalformedCase("topic with U+0000", packet(0x30, rawString([0x61, 0x00])), .invalidUTF8),
        MalformedCase("topic lone continuation 80", packet(0x30, rawString([0x80])), .invalidUTF8, role: .client),
        MalformedCase(
            "subscribe filter FF", packet(0x82, [0x00, 0x01] + rawString([0x61, 0xFF]) + [0x00]), .invalidUTF8),
        MalformedCase("unsubscribe filter with U+0000", packet(0xA2, [0x00, 0x01] + rawString([0x00])), .invalidUTF8),
        MalformedCase(
            "v5 reason string truncated C3", [0x40, 0x08, 0x00, 0x01, 0x80, 0x04, 0x1F, 0x00, 0x01, 0xC3], .invalidUTF8,
            version: .v5),
    ]

    static let topics: [MalformedCase] = [
        MalformedCase("PUBLISH topic with +", packet(0x30, mqttString("a/+")), .invalidTopicName),
        MalformedCase("PUBLISH topic #", packet(0x30, mqttString("#")), .invalidTopicName),
        MalformedCase("PUBLISH topic with # inside", packet(0x30, mqttString("a#b")), .invalidTopicName, role: .client),
        MalformedCase("PUBLISH empty topic", packet(0x30, mqttString("")), .invalidTopicName),
        MalformedCase(
            "v5 PUBLISH empty topic without alias", packet(0x30, mqttString("") + [0x00]), .invalidTopicName,
            version: .v5),
        MalformedCase(
            "will topic with wildcard",
            connect(flags: 0x06, payload: mqttString("c") + mqttString("a/#") + [0x00, 0x00]), .invalidTopicName),
        MalformedCase(
            "SUBSCRIBE filter sport+", packet(0x82, [0x00, 0x01] + mqttString("sport+") + [0x00]), .invalidTopicFilter),
        MalformedCase(
            "SUBSCRIBE filter sport/#/x",
            packet(0x82, [0x00, 0x01] + mqttString("a") + [0x00] + mqttString("sport/#/x") + [0x01]),
            .invalidTopicFilter),
        MalformedCase(
            "SUBSCRIBE empty filter", packet(0x82, [0x00, 0x01] + mqttString("") + [0x00]), .invalidTopicFilter),
        MalformedCase("UNSUBSCRIBE filter a/b#", packet(0xA2, [0x00, 0x01] + mqttString("a/b#")), .invalidTopicFilter),
    ]

    static let packetIdentifiers: [MalformedCase] = [
        MalformedCase(
            "PUBLISH QoS 1 with id 0", packet(0x32, mqttString("t") + [0x00, 0x00]), .invalidPacketIdentifier),
        MalformedCase(
            "PUBLISH QoS 2 with id 0", packet(0x34, mqttString("t") + [0x00, 0x00, 0x01]), .invalidPacketIdentifier,
            role: .client),
        MalformedCase(
            "SUBSCRIBE with id 0", packet(0x82, [0x00, 0x00] + mqttString("a") + [0x00]), .invalidPacketIdentifier),
        MalformedCase("UNSUBSCRIBE with id 0", packet(0xA2, [0x00, 0x00] + mqttString("a")), .invalidPacketIdentifier),
        MalformedCase("PUBACK with id 0", [0x40, 0x02, 0x00, 0x00], .invalidPacketIdentifier),
        MalformedCase("PUBREL with id 0", [0x62, 0x02, 0x00, 0x00], .invalidPacketIdentifier),
        MalformedCase("SUBACK with id 0", [0x90, 0x03, 0x00, 0x00, 0x00], .invalidPacketIdentifier, role: .client),
    ]

    static let subscriptions: [MalformedCase] = [
        MalformedCase("SUBSCRIBE without filters", [0x82, 0x02, 0x00, 0x01], .malformedPacket),
        MalformedCase("v5 SUBSCRIBE without filters", [0x82, 0x03, 0x00, 0x01, 0x00], .malformedPacket, version: .v5),
        MalformedCase("UNSUBSCRIBE without filters", [0xA2, 0x02, 0x00, 0x01], .malformedPacket),
        MalformedCase(
            "SUBSCRIBE filter without its QoS byte", packet(0x82, [0x00, 0x01] + mqttString("a")), .malformedPacket),
        MalformedCase(
            "requested QoS byte with reserved bit 2", packet(0x82, [0x00, 0x01] + mqttString("a") + [0x04]),
            .malformedPacket),
        MalformedCase(
            "requested QoS byte with reserved bit 7", packet(0x82, [0x00, 0x01] + mqttString("a") + [0x81]),
            .malformedPacket),
        MalformedCase("requested QoS 3", packet(0x82, [0x00, 0x01] + mqttString("a") + [0x03]), .invalidQoS),
        MalformedCase(
            "v5 subscription option bit 6", packet(0x82, [0x00, 0x01, 0x00] + mqttString("a") + [0x40]),
            .malformedPacket, version: .v5),
        MalformedCase(
            "v5 retain handling 3", packet(0x82, [0x00, 0x01, 0x00] + mqttString("a") + [0x30]), .malformedPacket,
            version: .v5),
        MalformedCase(
            "SUBACK reserved return code 3", [0x90, 0x03, 0x00, 0x01, 0x03], .malformedPacket, role: .client),
        MalformedCase("SUBACK without return codes", [0x90, 0x02, 0x00, 0x01], .malformedPacket, role: .client),
    ]

    static let connects: [MalformedCase] = [
        MalformedCase("protocol name MQTX", connect(name: "MQTX"), .invalidProtocolName),
        MalformedCase("protocol name mqtt", connect(name: "mqtt"), .invalidProtocolName),
        MalformedCase("empty protocol name", connect(name: ""), .invalidProtocolName),
        MalformedCase("MQTT level 3", connect(level: 3), .unsupportedProtocolVersion),
        MalformedCase("MQTT level 6", connect(level: 6), .unsupportedProtocolVersion),
        MalformedCase("MQIsdp level 3 (MQTT 3.1)", connect(name: "MQIsdp", level: 3), .unsupportedProtocolVersion),
        MalformedCase("reserved connect flag", connect(flags: 0x03), .malformedPacket),
        MalformedCase("will QoS without will flag", connect(flags: 0x0A), .invalidQoS),
        MalformedCase("will retain without will flag", connect(flags: 0x22), .malformedPacket),
        MalformedCase(
            "will QoS 3", connect(flags: 0x1E, payload: mqttString("c") + mqttString("w") + [0x00, 0x00]), .invalidQoS),
        MalformedCase(
            "password without user name in 3.1.1", connect(flags: 0x42, payload: mqttString("c") + [0x00, 0x01, 0x70]),
            .malformedPacket),
        MalformedCase("user name flag without user name", connect(flags: 0x82), .malformedPacket),
        MalformedCase("will flag without will topic", connect(flags: 0x06), .malformedPacket),
        MalformedCase("CONNECT without client id", connect(payload: []), .malformedPacket),
        MalformedCase("CONNECT cut after the protocol name", packet(0x10, mqttString("MQTT")), .malformedPacket),
    ]

    static let lengths: [MalformedCase] = [
        MalformedCase("client id longer than the body", connect(payload: [0x00, 0x05, 0x61]), .malformedPacket),
        MalformedCase("topic longer than the body", [0x30, 0x03, 0x00, 0x05, 0x74], .malformedPacket),
        MalformedCase("PUBLISH QoS 1 without packet id", packet(0x32, mqttString("t")), .malformedPacket),
        MalformedCase("PUBACK of one byte", [0x40, 0x01, 0x00], .malformedPacket),
        MalformedCase("PUBCOMP of zero bytes", [0x70, 0x00], .malformedPacket, role: .client),
        MalformedCase("CONNACK of one byte", [0x20, 0x01, 0x00], .malformedPacket, role: .client),
        MalformedCase("PUBACK with a trailing byte", [0x40, 0x03, 0x00, 0x01, 0xFF], .malformedPacket),
        MalformedCase("CONNECT with a trailing byte", connect(payload: mqttString("c") + [0x00]), .malformedPacket),
        MalformedCase("CONNACK with a trailing byte", [0x20, 0x03, 0x00, 0x00, 0x00], .malformedPacket, role: .client),
        MalformedCase(
            "UNSUBACK with a trailing byte", [0xB0, 0x03, 0x00, 0x01, 0x00], .malformedPacket, role: .client),
        MalformedCase("PINGREQ with a body", [0xC0, 0x01, 0x00], .malformedPacket),
        MalformedCase("PINGRESP with a body", [0xD0, 0x01, 0x00], .malformedPacket, role: .client),
        MalformedCase("3.1.1 DISCONNECT with a body", [0xE0, 0x01, 0x00], .malformedPacket),
        MalformedCase("CONNACK reserved acknowledge flags", [0x20, 0x02, 0x02, 0x00], .malformedPacket, role: .client),
        MalformedCase(
            "v5 property length beyond the body", [0x40, 0x05, 0x00, 0x01, 0x80, 0x05, 0x1F], .malformedPacket,
            version: .v5),
        MalformedCase(
            "v5 unknown property identifier", [0x40, 0x06, 0x00, 0x01, 0x80, 0x02, 0x7F, 0x00], .malformedPacket,
            version: .v5),
        MalformedCase(
            "v5 property length of five bytes", [0x30, 0x08, 0x00, 0x01, 0x74, 0x80, 0x80, 0x80, 0x80, 0x01],
            .malformedPacket, version: .v5),
        MalformedCase(
            "v5 CONNECT properties cut short", connect(level: 5, payload: [0x03, 0x21, 0x00]), .malformedPacket),
    ]

    static let packetTypes: [MalformedCase] = [
        MalformedCase("server gets CONNACK", [0x20, 0x02, 0x00, 0x00], .invalidPacketType),
        MalformedCase("server gets SUBACK", [0x90, 0x03, 0x00, 0x01, 0x00], .invalidPacketType),
        MalformedCase("server gets UNSUBACK", [0xB0, 0x02, 0x00, 0x01], .invalidPacketType),
        MalformedCase("server gets PINGRESP", [0xD0, 0x00], .invalidPacketType),
        MalformedCase("server gets type 0", [0x00, 0x00], .invalidPacketType),
        MalformedCase("server gets AUTH", [0xF0, 0x00], .invalidPacketType, version: .v5),
        MalformedCase("client gets CONNECT", connect(), .invalidPacketType, role: .client),
        MalformedCase(
            "client gets SUBSCRIBE", packet(0x82, [0x00, 0x01] + mqttString("a") + [0x00]), .invalidPacketType,
            role: .client),
        MalformedCase(
            "client gets UNSUBSCRIBE", packet(0xA2, [0x00, 0x01] + mqttString("a")), .invalidPacketType, role: .client),
        MalformedCase("client gets PINGREQ", [0xC0, 0x00], .invalidPacketType, role: .client),
        MalformedCase("client gets 3.1.1 DISCONNECT", [0xE0, 0x00], .invalidPacketType, role: .client),
        MalformedCase("client gets type 0", [0x00, 0x00], .invalidPacketType, role: .client),
        MalformedCase("client gets AUTH", [0xF0, 0x00], .invalidPacketType, role: .client, version: .v5),
    ]
}

@Suite("Malformed packets")
struct MalformedPacketTests {
    private func check(_ malformed: MalformedCase) {
        let error = decodingError(malformed.bytes, role: malformed.role, version: malformed.version)
        #expect(error?.code == malformed.code, "got \(String(describing: error))")
    }

    @Test("remaining length", arguments: MalformedCases.remainingLength)
    func remainingLength(_ malformed: MalformedCase) { self.check(malformed) }

    @Test("reserved fixed header flags", arguments: MalformedCases.fixedHeaderFlags)
    func fixedHeaderFlags(_ malformed: MalformedCase) { self.check(malformed) }

    @Test("invalid UTF-8 and U+0000", arguments: MalformedCases.utf8)
    func utf8(_ malformed: MalformedCase) { self.check(malformed) }

    @Test("topic names and filters", arguments: MalformedCases.topics)
    func topics(_ malformed: MalformedCase) { self.check(malformed) }

    @Test("packet identifier 0", arguments: MalformedCases.packetIdentifiers)
    func packetIdentifiers(_ malformed: MalformedCase) { self.check(malformed) }

    @Test("SUBSCRIBE, SUBACK and UNSUBSCRIBE", arguments: MalformedCases.subscriptions)
    func subscriptions(_ malformed: MalformedCase) { self.check(malformed) }

    @Test("CONNECT", arguments: MalformedCases.connects)
    func connects(_ malformed: MalformedCase) { self.check(malformed) }

    @Test("body shorter or longer than its fields", arguments: MalformedCases.lengths)
    func lengths(_ malformed: MalformedCase) { self.check(malformed) }

    @Test("packet type not valid for the role", arguments: MalformedCases.packetTypes)
    func packetTypes(_ malformed: MalformedCase) { self.check(malformed) }

    @Test("a packet too large is refused from its fixed header alone")
    func packetTooLargeFromHeader() throws {
        // Remaining Length 2,097,151: only the four header bytes are given.
        let error = decodingError([0x30, 0xFF, 0xFF, 0x7F], role: .server, maximumPacketSize: 1024)
        #expect(error?.code == .packetTooLarge)

        // The same through a stream processor: the error comes without any body.
        let processor = NIOSingleStepByteToMessageProcessor(MQTTPacketDecoder(role: .server, maximumPacketSize: 1024))
        #expect(throws: MQTTProtocolError.self) {
            try processor.process(buffer: buffer([0x30, 0x81, 0x08])) { _ in Issue.record("no packet expected") }
        }
    }

    @Test("the maximum packet size counts the whole packet")
    func packetSizeBoundary() throws {
        let bytes: [UInt8] = [0x30, 0x07, 0x00, 0x03, 0x61, 0x2F, 0x62, 0x68, 0x69]
        _ = try decodeOne(bytes, role: .server, maximumPacketSize: bytes.count)
        #expect(decodingError(bytes, role: .server, maximumPacketSize: bytes.count - 1)?.code == .packetTooLarge)
    }

    @Test("an incomplete packet waits for more bytes and consumes nothing")
    func incomplete() throws {
        var decoder = MQTTPacketDecoder(role: .server)
        for bytes: [UInt8] in [[], [0x30], [0x30, 0xFF, 0xFF, 0xFF], [0x30, 0x07, 0x00, 0x03, 0x61]] {
            var input = buffer(bytes)
            #expect(try decoder.decodePacket(from: &input) == nil)
            #expect(input.readableBytes == bytes.count)
        }
    }

    @Test("a version 5 CONNECT sets the version even when the rest is malformed")
    func versionKnownOnError() {
        var decoder = MQTTPacketDecoder(role: .server)
        var input = buffer(connect(level: 5, flags: 0x03, payload: [0x00] + mqttString("c")))
        #expect(throws: MQTTProtocolError.self) { try decoder.decodePacket(from: &input) }
        #expect(decoder.protocolVersion == .v5)
    }
}
