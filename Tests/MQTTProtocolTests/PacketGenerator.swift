import MQTTProtocol
import NIOCore

/// Generates random valid packets for one protocol version, reproducibly from a seed.
struct PacketGenerator {
    var random: SeededGenerator
    let version: MQTTProtocolVersion

    init(seed: UInt64, version: MQTTProtocolVersion) {
        self.random = SeededGenerator(seed: seed)
        self.version = version
    }

    private var isVersion5: Bool { self.version == .v5 }

    mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &self.random) }

    mutating func bool() -> Bool { Bool.random(using: &self.random) }

    mutating func pick<T>(_ choices: [T]) -> T { choices[self.int(0...(choices.count - 1))] }

    /// Level text mixing ASCII, two-, three- and four-byte UTF-8, `$` and spaces.
    mutating func text(maxLength: Int) -> String {
        let pieces = ["a", "b", "z", "0", "-", "_", " ", "$", "é", "ü", "中", "文", "😀", "x"]
        var text = ""
        for _ in 0..<self.int(0...maxLength) { text += self.pick(pieces) }
        return text
    }

    mutating func topicName() -> String {
        var levels: [String] = []
        for _ in 0..<self.int(1...5) { levels.append(self.text(maxLength: 6)) }
        let topic = levels.joined(separator: "/")
        return topic.isEmpty ? "t" : topic
    }

    mutating func topicFilter() -> String {
        var levels: [String] = []
        for _ in 0..<self.int(1...5) {
            levels.append(self.int(0...3) == 0 ? "+" : self.text(maxLength: 5))
        }
        if self.int(0...3) == 0 { levels.append("#") }
        let filter = levels.joined(separator: "/")
        return filter.isEmpty ? "#" : filter
    }

    mutating func bytes(maxCount: Int) -> ByteBuffer {
        var buffer = ByteBuffer()
        for _ in 0..<self.int(0...maxCount) { buffer.writeInteger(UInt8.random(in: 0...255, using: &self.random)) }
        return buffer
    }

    mutating func packetIdentifier() -> MQTTPacketIdentifier { UInt16.random(in: 1...UInt16.max, using: &self.random) }

    mutating func qos() -> MQTTQoS { self.pick(MQTTQoS.allCases) }

    /// Every kind of property, for MQTT 5; none for 3.1.1.
    mutating func properties() -> MQTTProperties {
        guard self.isVersion5, self.int(0...2) != 0 else { return .none }
        var properties: [MQTTProperty] = []
        for _ in 0..<self.int(1...4) {
            let byte = UInt8.random(in: 0...255, using: &self.random)
            let short = UInt16.random(in: 0...UInt16.max, using: &self.random)
            let long = UInt32.random(in: 0...UInt32.max, using: &self.random)
            let property: MQTTProperty =
                switch self.int(0...26) {
                case 0: .payloadFormatIndicator(byte)
                case 1: .messageExpiryInterval(long)
                case 2: .contentType(self.text(maxLength: 8))
                case 3: .responseTopic(self.topicName())
                case 4: .correlationData(self.bytes(maxCount: 8))
                case 5:
                    .subscriptionIdentifier(UInt32(self.pick([1, 127, 128, 16_383, 16_384, 2_097_152, 268_435_455])))
                case 6: .sessionExpiryInterval(long)
                case 7: .assignedClientIdentifier(self.text(maxLength: 8))
                case 8: .serverKeepAlive(short)
                case 9: .authenticationMethod(self.text(maxLength: 8))
                case 10: .authenticationData(self.bytes(maxCount: 8))
                case 11: .requestProblemInformation(byte)
                case 12: .willDelayInterval(long)
                case 13: .requestResponseInformation(byte)
                case 14: .responseInformation(self.text(maxLength: 8))
                case 15: .serverReference(self.text(maxLength: 8))
                case 16: .reasonString(self.text(maxLength: 8))
                case 17: .receiveMaximum(short)
                case 18: .topicAliasMaximum(short)
                case 19: .topicAlias(short)
                case 20: .maximumQoS(byte)
                case 21: .retainAvailable(byte)
                case 22: .userProperty(key: self.text(maxLength: 4), value: self.text(maxLength: 4))
                case 23: .maximumPacketSize(long)
                case 24: .wildcardSubscriptionAvailable(byte)
                case 25: .subscriptionIdentifierAvailable(byte)
                default: .sharedSubscriptionAvailable(byte)
                }
            properties.append(property)
        }
        return MQTTProperties(properties)
    }

    mutating func reasonCode() -> MQTTReasonCode {
        self.isVersion5 ? MQTTReasonCode(rawValue: self.pick([0x00, 0x10, 0x80, 0x87, 0x91, 0x92, 0x97])) : .success
    }

    mutating func publish() -> MQTTPacket.Publish {
        let qos = self.qos()
        return MQTTPacket.Publish(
            topic: self.topicName(),
            payload: self.bytes(maxCount: self.pick([0, 10, 300])),
            qos: qos,
            retain: self.bool(),
            duplicate: qos != .atMostOnce && self.bool(),
            packetIdentifier: qos == .atMostOnce ? nil : self.packetIdentifier(),
            properties: self.properties()
        )
    }

    mutating func acknowledgement() -> MQTTPacket.Acknowledgement {
        let reasonCode = self.reasonCode()
        return MQTTPacket.Acknowledgement(
            packetIdentifier: self.packetIdentifier(),
            reasonCode: reasonCode,
            properties: self.properties()
        )
    }

    /// A packet a client sends, which a server-role decoder receives.
    mutating func clientPacket() -> MQTTPacket {
        switch self.int(0...9) {
        case 0: .connect(self.connect())
        case 1: .publish(self.publish())
        case 2: .puback(self.acknowledgement())
        case 3: .pubrec(self.acknowledgement())
        case 4: .pubrel(self.acknowledgement())
        case 5: .pubcomp(self.acknowledgement())
        case 6: .subscribe(self.subscribe())
        case 7:
            .unsubscribe(
                .init(
                    packetIdentifier: self.packetIdentifier(),
                    topicFilters: (0..<self.int(1...4)).map { _ in self.topicFilter() },
                    properties: self.properties()
                )
            )
        case 8: .pingreq
        default: .disconnect(self.disconnect())
        }
    }

    /// A packet a server sends, which a client-role decoder receives.
    mutating func serverPacket() -> MQTTPacket {
        switch self.int(0...9) {
        case 0:
            .connack(
                .init(
                    sessionPresent: self.bool(),
                    returnCode: MQTTConnectReturnCode(rawValue: UInt8(self.int(0...5))),
                    properties: self.properties()
                )
            )
        case 1: .publish(self.publish())
        case 2: .puback(self.acknowledgement())
        case 3: .pubrec(self.acknowledgement())
        case 4: .pubrel(self.acknowledgement())
        case 5: .pubcomp(self.acknowledgement())
        case 6:
            .suback(
                .init(
                    packetIdentifier: self.packetIdentifier(),
                    returnCodes: (0..<self.int(1...5)).map { _ in
                        MQTTSubackReturnCode(
                            rawValue: self.pick(self.isVersion5 ? [0, 1, 2, 0x80, 0x87, 0x8F] : [0, 1, 2, 0x80]))
                    },
                    properties: self.properties()
                )
            )
        case 7:
            .unsuback(
                .init(
                    packetIdentifier: self.packetIdentifier(),
                    reasonCodes: self.isVersion5 ? (0..<self.int(1...4)).map { _ in self.reasonCode() } : [],
                    properties: self.properties()
                )
            )
        case 8: .pingresp
        default: self.isVersion5 ? .disconnect(self.disconnect()) : .pingresp
        }
    }

    mutating func connect() -> MQTTPacket.Connect {
        var will: MQTTPacket.Will?
        if self.bool() {
            will = MQTTPacket.Will(
                topic: self.topicName(),
                payload: self.bytes(maxCount: 20),
                qos: self.qos(),
                retain: self.bool(),
                properties: self.properties()
            )
        }
        let username = self.bool() ? self.text(maxLength: 10) : nil
        // A password needs a user name in 3.1.1 [MQTT-3.1.2-22].
        let password = (username != nil || self.isVersion5) && self.bool() ? self.bytes(maxCount: 20) : nil
        return MQTTPacket.Connect(
            protocolVersion: self.version,
            cleanSession: self.bool(),
            keepAliveSeconds: UInt16.random(in: 0...UInt16.max, using: &self.random),
            clientIdentifier: self.text(maxLength: 23),
            will: will,
            username: username,
            password: password,
            properties: self.properties()
        )
    }

    mutating func subscribe() -> MQTTPacket.Subscribe {
        let subscriptions = (0..<self.int(1...5)).map { _ in
            MQTTPacket.Subscription(
                topicFilter: self.topicFilter(),
                qos: self.qos(),
                noLocal: self.isVersion5 && self.bool(),
                retainAsPublished: self.isVersion5 && self.bool(),
                retainHandling: self.isVersion5 ? UInt8(self.int(0...2)) : 0
            )
        }
        return MQTTPacket.Subscribe(
            packetIdentifier: self.packetIdentifier(),
            subscriptions: subscriptions,
            properties: self.properties()
        )
    }

    mutating func disconnect() -> MQTTPacket.Disconnect {
        MQTTPacket.Disconnect(reasonCode: self.reasonCode(), properties: self.properties())
    }
}
