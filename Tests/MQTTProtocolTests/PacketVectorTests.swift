import MQTTProtocol
import NIOCore
import Testing

@Suite("Byte-exact packet vectors")
struct PacketVectorTests {
    @Test("MQTT 3.1.1 decodes to the expected packet", arguments: MQTT311Vectors.all)
    func decode311(vector: PacketVector) throws {
        let decoded = try decodeOne(vector.bytes, role: vector.receiver, version: .v3_1_1)
        #expect(decoded == vector.packet)
    }

    @Test("MQTT 3.1.1 encodes to the expected bytes", arguments: MQTT311Vectors.all)
    func encode311(vector: PacketVector) {
        #expect(encode(vector.packet, version: .v3_1_1) == vector.bytes)
    }

    @Test("MQTT 5 decodes to the expected packet", arguments: MQTT5Vectors.all)
    func decode5(vector: PacketVector) throws {
        let decoded = try decodeOne(vector.bytes, role: vector.receiver, version: .v5)
        #expect(decoded == vector.packet)
    }

    @Test("MQTT 5 encodes to the expected bytes", arguments: MQTT5Vectors.all)
    func encode5(vector: PacketVector) {
        #expect(encode(vector.packet, version: .v5) == vector.bytes)
    }

    @Test("a server decoder learns the version from CONNECT")
    func connectSetsVersion() throws {
        var decoder = MQTTPacketDecoder(role: .server)
        #expect(decoder.protocolVersion == nil)
        let connect = MQTT5Vectors.all[0].bytes
        // A v5 PUBLISH with an empty property list after the CONNECT.
        var input = buffer(connect + [0x30, 0x05, 0x00, 0x01, 0x74, 0x00, 0x78])
        let first = try decoder.decodePacket(from: &input)
        guard case .connect(let packet) = first else {
            Issue.record("expected CONNECT, got \(String(describing: first))")
            return
        }
        #expect(packet.protocolVersion == .v5)
        #expect(decoder.protocolVersion == .v5)
        let second = try decoder.decodePacket(from: &input)
        #expect(second == .publish(.init(topic: "t", payload: buffer("x"))))
    }

    @Test("the same PUBLISH bytes read differently in 3.1.1 and 5")
    func versionChangesLayout() throws {
        // In 3.1.1 the 0x00 after the topic is payload; in 5 it is the property length.
        let bytes: [UInt8] = [0x30, 0x05, 0x00, 0x01, 0x74, 0x00, 0x78]
        let v311 = try decodeOne(bytes, role: .server, version: .v3_1_1)
        #expect(v311 == .publish(.init(topic: "t", payload: buffer([0x00, 0x78]))))
        let v5 = try decodeOne(bytes, role: .server, version: .v5)
        #expect(v5 == .publish(.init(topic: "t", payload: buffer("x"))))
    }

    @Test("MQTT 5 acknowledgements and DISCONNECT accept every shortened form")
    func shortenedForms() throws {
        // Reason code present but Success, no properties: reads as the short form.
        #expect(
            try decodeOne([0x40, 0x03, 0x00, 0x01, 0x00], role: .server, version: .v5)
                == .puback(.init(packetIdentifier: 1)))
        // Reason code and an empty property list.
        #expect(
            try decodeOne([0x62, 0x04, 0x00, 0x01, 0x92, 0x00], role: .server, version: .v5)
                == .pubrel(.init(packetIdentifier: 1, reasonCode: .packetIdentifierNotFound))
        )
        #expect(
            try decodeOne([0xE0, 0x01, 0x8D], role: .client, version: .v5)
                == .disconnect(.init(reasonCode: .keepAliveTimeout)))
        #expect(try decodeOne([0xE0, 0x02, 0x00, 0x00], role: .server, version: .v5) == .disconnect(.init()))
    }

    @Test("3.1.1 encoding leaves out version 5 fields")
    func v311DropsVersion5Fields() {
        let ack = MQTTPacket.puback(
            .init(packetIdentifier: 3, reasonCode: .quotaExceeded, properties: [.reasonString("x")]))
        #expect(encode(ack, version: .v3_1_1) == [0x40, 0x02, 0x00, 0x03])
        let publish = MQTTPacket.publish(.init(topic: "t", payload: buffer("x"), properties: [.topicAlias(1)]))
        #expect(encode(publish, version: .v3_1_1) == [0x30, 0x04, 0x00, 0x01, 0x74, 0x78])
        let disconnect = MQTTPacket.disconnect(.init(reasonCode: .sessionTakenOver))
        #expect(encode(disconnect, version: .v3_1_1) == [0xE0, 0x00])
        let unsuback = MQTTPacket.unsuback(.init(packetIdentifier: 9, reasonCodes: [.success]))
        #expect(encode(unsuback, version: .v3_1_1) == [0xB0, 0x02, 0x00, 0x09])
    }

    @Test("CONNECT is encoded with its own protocol version")
    func connectUsesItsOwnVersion() {
        let vector = MQTT5Vectors.all[0]
        #expect(encode(vector.packet, version: .v3_1_1) == vector.bytes)
        let v311 = MQTT311Vectors.all[0]
        #expect(encode(v311.packet, version: .v5) == v311.bytes)
    }

    @Test("Publish encodes directly as it does through MQTTPacket")
    func publishFastPath() {
        let publish = MQTTPacket.Publish(
            topic: "a/b",
            payload: buffer("hi"),
            qos: .atLeastOnce,
            retain: true,
            packetIdentifier: 10
        )
        for version in [MQTTProtocolVersion.v3_1_1, .v5] {
            var direct = ByteBuffer()
            publish.encode(into: &direct, version: version)
            #expect(direct.readableBytes == publish.encodedSize(version: version))
            #expect(Array(direct.readableBytesView) == encode(.publish(publish), version: version))
        }
    }

    @Test("the PUBLISH payload is a slice of the receive buffer")
    func payloadIsSlice() throws {
        var decoder = MQTTPacketDecoder(role: .server)
        var input = buffer([0x30, 0x07, 0x00, 0x03, 0x61, 0x2F, 0x62, 0x68, 0x69])
        let start = UInt(bitPattern: input.withUnsafeReadableBytes { $0.baseAddress })
        let packet = try decoder.decodePacket(from: &input)
        guard case .publish(let publish) = packet else {
            Issue.record("expected PUBLISH")
            return
        }
        #expect(UInt(bitPattern: publish.payload.withUnsafeReadableBytes { $0.baseAddress }) == start + 7)
        let detached = publish.detached()
        #expect(detached == publish)
        #expect(UInt(bitPattern: detached.payload.withUnsafeReadableBytes { $0.baseAddress }) != start + 7)
    }

    @Test("the encoder handler encodes with its version")
    func messageToByteEncoder() {
        var encoder = MQTTPacketEncoder()
        var out = ByteBuffer()
        let ack = MQTTPacket.puback(.init(packetIdentifier: 1, reasonCode: .noMatchingSubscribers))
        encoder.encode(data: ack, out: &out)
        #expect(Array(out.readableBytesView) == [0x40, 0x02, 0x00, 0x01])
        encoder.version = .v5
        out.clear()
        encoder.encode(data: ack, out: &out)
        #expect(Array(out.readableBytesView) == [0x40, 0x03, 0x00, 0x01, 0x10])
    }
}
