import MQTTProtocol
import NIOCore
import Testing

/// A packet and its exact bytes on the wire.
struct PacketVector: Sendable, CustomTestStringConvertible {
    var name: String
    var bytes: [UInt8]
    var packet: MQTTPacket
    /// The side that receives this packet.
    var receiver: MQTTPacketDecoder.Role
    var version: MQTTProtocolVersion

    var testDescription: String { self.name }
}

/// MQTT 3.1.1 vectors, laid out field by field from the OASIS specification, chapter 3.
enum MQTT311Vectors {
    static let all: [PacketVector] = [
        // 3.1: protocol name "MQTT", level 4, flags 0xCE (user name, password, will QoS 1,
        // will flag, clean session), keep alive 10, then client id, will topic, will message,
        // user name, password.
        PacketVector(
            name: "CONNECT with will, user name and password",
            bytes: [
                0x10, 0x1F,
                0x00, 0x04, 0x4D, 0x51, 0x54, 0x54, 0x04, 0xCE, 0x00, 0x0A,
                0x00, 0x02, 0x74, 0x70,
                0x00, 0x03, 0x77, 0x2F, 0x74,
                0x00, 0x03, 0x62, 0x79, 0x65,
                0x00, 0x01, 0x75,
                0x00, 0x02, 0x01, 0x02,
            ],
            packet: .connect(
                .init(
                    cleanSession: true,
                    keepAliveSeconds: 10,
                    clientIdentifier: "tp",
                    will: .init(topic: "w/t", payload: buffer("bye"), qos: .atLeastOnce),
                    username: "u",
                    password: buffer([0x01, 0x02])
                )
            ),
            receiver: .server,
            version: .v3_1_1
        ),
        PacketVector(
            name: "CONNECT minimal, empty client id",
            bytes: [0x10, 0x0C, 0x00, 0x04, 0x4D, 0x51, 0x54, 0x54, 0x04, 0x02, 0x00, 0x3C, 0x00, 0x00],
            packet: .connect(.init(clientIdentifier: "")),
            receiver: .server,
            version: .v3_1_1
        ),
        // Flags 0x34: will retain, will QoS 2, will flag; clean session off.
        PacketVector(
            name: "CONNECT with retained QoS 2 will, empty will message",
            bytes: [
                0x10, 0x14,
                0x00, 0x04, 0x4D, 0x51, 0x54, 0x54, 0x04, 0x34, 0x00, 0x00,
                0x00, 0x01, 0x61,
                0x00, 0x03, 0x61, 0x2F, 0x62,
                0x00, 0x00,
            ],
            packet: .connect(
                .init(
                    cleanSession: false,
                    keepAliveSeconds: 0,
                    clientIdentifier: "a",
                    will: .init(topic: "a/b", payload: ByteBuffer(), qos: .exactlyOnce, retain: true)
                )
            ),
            receiver: .server,
            version: .v3_1_1
        ),
        // Flags 0x82: user name only; the client id is multi-byte UTF-8 ("é" is C3 A9).
        PacketVector(
            name: "CONNECT with user name only and UTF-8 client id",
            bytes: [
                0x10, 0x13,
                0x00, 0x04, 0x4D, 0x51, 0x54, 0x54, 0x04, 0x82, 0xFF, 0xFF,
                0x00, 0x03, 0x69, 0xC3, 0xA9,
                0x00, 0x02, 0x75, 0x31,
            ],
            packet: .connect(.init(keepAliveSeconds: 65535, clientIdentifier: "ié", username: "u1")),
            receiver: .server,
            version: .v3_1_1
        ),
        // 3.2: acknowledge flags, return code.
        PacketVector(
            name: "CONNACK accepted",
            bytes: [0x20, 0x02, 0x00, 0x00],
            packet: .connack(.init()),
            receiver: .client,
            version: .v3_1_1
        ),
        PacketVector(
            name: "CONNACK session present",
            bytes: [0x20, 0x02, 0x01, 0x00],
            packet: .connack(.init(sessionPresent: true)),
            receiver: .client,
            version: .v3_1_1
        ),
        PacketVector(
            name: "CONNACK unacceptable protocol version",
            bytes: [0x20, 0x02, 0x00, 0x01],
            packet: .connack(.init(returnCode: .unacceptableProtocolVersion)),
            receiver: .client,
            version: .v3_1_1
        ),
        PacketVector(
            name: "CONNACK not authorized",
            bytes: [0x20, 0x02, 0x00, 0x05],
            packet: .connack(.init(returnCode: .notAuthorized)),
            receiver: .client,
            version: .v3_1_1
        ),
        // 3.3: topic name, packet identifier for QoS 1 and 2, payload.
        PacketVector(
            name: "PUBLISH QoS 0",
            bytes: [0x30, 0x07, 0x00, 0x03, 0x61, 0x2F, 0x62, 0x68, 0x69],
            packet: .publish(.init(topic: "a/b", payload: buffer("hi"))),
            receiver: .server,
            version: .v3_1_1
        ),
        PacketVector(
            name: "PUBLISH QoS 1 retained",
            bytes: [0x33, 0x09, 0x00, 0x03, 0x61, 0x2F, 0x62, 0x00, 0x0A, 0x68, 0x69],
            packet: .publish(
                .init(topic: "a/b", payload: buffer("hi"), qos: .atLeastOnce, retain: true, packetIdentifier: 10)
            ),
            receiver: .server,
            version: .v3_1_1
        ),
        PacketVector(
            name: "PUBLISH QoS 2 duplicate, empty payload",
            bytes: [0x3C, 0x05, 0x00, 0x01, 0x74, 0x12, 0x34],
            packet: .publish(
                .init(topic: "t", payload: ByteBuffer(), qos: .exactlyOnce, duplicate: true, packetIdentifier: 0x1234)
            ),
            receiver: .client,
            version: .v3_1_1
        ),
        // Remaining Length 203 takes two bytes: 0xCB 0x01.
        PacketVector(
            name: "PUBLISH with a two-byte remaining length",
            bytes: [0x30, 0xCB, 0x01, 0x00, 0x01, 0x74] + [UInt8](repeating: 0xAB, count: 200),
            packet: .publish(.init(topic: "t", payload: buffer([UInt8](repeating: 0xAB, count: 200)))),
            receiver: .client,
            version: .v3_1_1
        ),
        // The topic "$SYS/ü" is valid: only wildcards are forbidden.
        PacketVector(
            name: "PUBLISH QoS 1 to a $ topic with UTF-8",
            bytes: [0x32, 0x0C, 0x00, 0x07, 0x24, 0x53, 0x59, 0x53, 0x2F, 0xC3, 0xBC, 0xFF, 0xFF, 0x00],
            packet: .publish(
                .init(topic: "$SYS/ü", payload: buffer([0x00]), qos: .atLeastOnce, packetIdentifier: 0xFFFF)
            ),
            receiver: .server,
            version: .v3_1_1
        ),
        // 3.4 to 3.7: packet identifier only; PUBREL has flags 0010.
        PacketVector(
            name: "PUBACK",
            bytes: [0x40, 0x02, 0x00, 0x0A],
            packet: .puback(.init(packetIdentifier: 10)),
            receiver: .server,
            version: .v3_1_1
        ),
        PacketVector(
            name: "PUBREC",
            bytes: [0x50, 0x02, 0x00, 0x0A],
            packet: .pubrec(.init(packetIdentifier: 10)),
            receiver: .client,
            version: .v3_1_1
        ),
        PacketVector(
            name: "PUBREL",
            bytes: [0x62, 0x02, 0x01, 0x00],
            packet: .pubrel(.init(packetIdentifier: 256)),
            receiver: .server,
            version: .v3_1_1
        ),
        PacketVector(
            name: "PUBCOMP",
            bytes: [0x70, 0x02, 0x00, 0x0A],
            packet: .pubcomp(.init(packetIdentifier: 10)),
            receiver: .client,
            version: .v3_1_1
        ),
        // 3.8: the specification's own example (figure 3.22/3.23): id 10, "a/b" QoS 1, "c/d" QoS 2.
        PacketVector(
            name: "SUBSCRIBE from the specification's example",
            bytes: [
                0x82, 0x0E, 0x00, 0x0A,
                0x00, 0x03, 0x61, 0x2F, 0x62, 0x01,
                0x00, 0x03, 0x63, 0x2F, 0x64, 0x02,
            ],
            packet: .subscribe(
                .init(
                    packetIdentifier: 10,
                    subscriptions: [
                        .init(topicFilter: "a/b", qos: .atLeastOnce), .init(topicFilter: "c/d", qos: .exactlyOnce),
                    ]
                )
            ),
            receiver: .server,
            version: .v3_1_1
        ),
        PacketVector(
            name: "SUBSCRIBE with wildcard filters",
            bytes: [
                0x82, 0x14, 0x00, 0x0A,
                0x00, 0x03, 0x61, 0x2F, 0x62, 0x01,
                0x00, 0x03, 0x63, 0x2F, 0x23, 0x02,
                0x00, 0x03, 0x2B, 0x2F, 0x64, 0x00,
            ],
            packet: .subscribe(
                .init(
                    packetIdentifier: 10,
                    subscriptions: [
                        .init(topicFilter: "a/b", qos: .atLeastOnce),
                        .init(topicFilter: "c/#", qos: .exactlyOnce),
                        .init(topicFilter: "+/d", qos: .atMostOnce),
                    ]
                )
            ),
            receiver: .server,
            version: .v3_1_1
        ),
        // 3.9: the specification's example return codes 0, 1, 2 and 0x80 failure.
        PacketVector(
            name: "SUBACK with failure",
            bytes: [0x90, 0x06, 0x00, 0x0A, 0x01, 0x80, 0x02, 0x00],
            packet: .suback(
                .init(
                    packetIdentifier: 10,
                    returnCodes: [.granted(.atLeastOnce), .failure, .granted(.exactlyOnce), .granted(.atMostOnce)])
            ),
            receiver: .client,
            version: .v3_1_1
        ),
        // 3.10 and 3.11.
        PacketVector(
            name: "UNSUBSCRIBE",
            bytes: [0xA2, 0x0C, 0x00, 0x0B, 0x00, 0x03, 0x61, 0x2F, 0x62, 0x00, 0x03, 0x63, 0x2F, 0x23],
            packet: .unsubscribe(.init(packetIdentifier: 11, topicFilters: ["a/b", "c/#"])),
            receiver: .server,
            version: .v3_1_1
        ),
        PacketVector(
            name: "UNSUBACK",
            bytes: [0xB0, 0x02, 0x00, 0x0B],
            packet: .unsuback(.init(packetIdentifier: 11)),
            receiver: .client,
            version: .v3_1_1
        ),
        // 3.12 to 3.14: fixed header only.
        PacketVector(name: "PINGREQ", bytes: [0xC0, 0x00], packet: .pingreq, receiver: .server, version: .v3_1_1),
        PacketVector(name: "PINGRESP", bytes: [0xD0, 0x00], packet: .pingresp, receiver: .client, version: .v3_1_1),
        PacketVector(
            name: "DISCONNECT",
            bytes: [0xE0, 0x00],
            packet: .disconnect(.init()),
            receiver: .server,
            version: .v3_1_1
        ),
    ]
}

/// MQTT 5 vectors, laid out from the MQTT 5.0 specification, chapters 2 and 3.
enum MQTT5Vectors {
    static let all: [PacketVector] = [
        // Properties: Session Expiry Interval 3600, Receive Maximum 20, User Property k=v.
        PacketVector(
            name: "CONNECT with properties",
            bytes: [
                0x10, 0x1E,
                0x00, 0x04, 0x4D, 0x51, 0x54, 0x54, 0x05, 0x02, 0x00, 0x3C,
                0x0F, 0x11, 0x00, 0x00, 0x0E, 0x10, 0x21, 0x00, 0x14, 0x26, 0x00, 0x01, 0x6B, 0x00, 0x01, 0x76,
                0x00, 0x02, 0x63, 0x35,
            ],
            packet: .connect(
                .init(
                    protocolVersion: .v5,
                    clientIdentifier: "c5",
                    properties: [
                        .sessionExpiryInterval(3600), .receiveMaximum(20), .userProperty(key: "k", value: "v"),
                    ]
                )
            ),
            receiver: .server,
            version: .v5
        ),
        // Flags 0x46: password without user name (allowed in 5), will flag, clean start;
        // will properties: Will Delay Interval 5.
        PacketVector(
            name: "CONNECT with will properties and password only",
            bytes: [
                0x10, 0x1C,
                0x00, 0x04, 0x4D, 0x51, 0x54, 0x54, 0x05, 0x46, 0x00, 0x3C, 0x00,
                0x00, 0x00,
                0x05, 0x18, 0x00, 0x00, 0x00, 0x05,
                0x00, 0x01, 0x77,
                0x00, 0x01, 0x78,
                0x00, 0x01, 0x70,
            ],
            packet: .connect(
                .init(
                    protocolVersion: .v5,
                    clientIdentifier: "",
                    will: .init(topic: "w", payload: buffer("x"), properties: [.willDelayInterval(5)]),
                    password: buffer("p")
                )
            ),
            receiver: .server,
            version: .v5
        ),
        PacketVector(
            name: "CONNACK without properties",
            bytes: [0x20, 0x03, 0x00, 0x00, 0x00],
            packet: .connack(.init()),
            receiver: .client,
            version: .v5
        ),
        PacketVector(
            name: "CONNACK with Maximum QoS and Topic Alias Maximum",
            bytes: [0x20, 0x08, 0x01, 0x00, 0x05, 0x24, 0x01, 0x22, 0x00, 0x0A],
            packet: .connack(.init(sessionPresent: true, properties: [.maximumQoS(1), .topicAliasMaximum(10)])),
            receiver: .client,
            version: .v5
        ),
        PacketVector(
            name: "PUBLISH QoS 0 with empty properties",
            bytes: [0x30, 0x05, 0x00, 0x01, 0x74, 0x00, 0x78],
            packet: .publish(.init(topic: "t", payload: buffer("x"))),
            receiver: .server,
            version: .v5
        ),
        PacketVector(
            name: "PUBLISH QoS 1 with a user property",
            bytes: [0x32, 0x0E, 0x00, 0x01, 0x74, 0x00, 0x01, 0x07, 0x26, 0x00, 0x01, 0x61, 0x00, 0x01, 0x62, 0x78],
            packet: .publish(
                .init(
                    topic: "t",
                    payload: buffer("x"),
                    qos: .atLeastOnce,
                    packetIdentifier: 1,
                    properties: [.userProperty(key: "a", value: "b")]
                )
            ),
            receiver: .client,
            version: .v5
        ),
        // An empty topic name with a Topic Alias (section 3.3.2.3.4).
        PacketVector(
            name: "PUBLISH with a topic alias and no topic",
            bytes: [0x30, 0x06, 0x00, 0x00, 0x03, 0x23, 0x00, 0x07],
            packet: .publish(.init(topic: "", payload: ByteBuffer(), properties: [.topicAlias(7)])),
            receiver: .server,
            version: .v5
        ),
        PacketVector(
            name: "PUBACK success, short form",
            bytes: [0x40, 0x02, 0x00, 0x01],
            packet: .puback(.init(packetIdentifier: 1)),
            receiver: .server,
            version: .v5
        ),
        PacketVector(
            name: "PUBACK with reason code",
            bytes: [0x40, 0x03, 0x00, 0x01, 0x10],
            packet: .puback(.init(packetIdentifier: 1, reasonCode: .noMatchingSubscribers)),
            receiver: .client,
            version: .v5
        ),
        PacketVector(
            name: "PUBREC with reason code and reason string",
            bytes: [0x50, 0x09, 0x00, 0x01, 0x97, 0x05, 0x1F, 0x00, 0x02, 0x6E, 0x6F],
            packet: .pubrec(.init(packetIdentifier: 1, reasonCode: .quotaExceeded, properties: [.reasonString("no")])),
            receiver: .client,
            version: .v5
        ),
        // Options 0x2D: Retain Handling 2, Retain As Published, No Local, QoS 1.
        // Properties: Subscription Identifier 200 (0xC8 0x01).
        PacketVector(
            name: "SUBSCRIBE with options and a subscription identifier",
            bytes: [0x82, 0x0C, 0x00, 0x01, 0x03, 0x0B, 0xC8, 0x01, 0x00, 0x03, 0x61, 0x2F, 0x62, 0x2D],
            packet: .subscribe(
                .init(
                    packetIdentifier: 1,
                    subscriptions: [
                        .init(
                            topicFilter: "a/b", qos: .atLeastOnce, noLocal: true, retainAsPublished: true,
                            retainHandling: 2)
                    ],
                    properties: [.subscriptionIdentifier(200)]
                )
            ),
            receiver: .server,
            version: .v5
        ),
        PacketVector(
            name: "SUBACK with reason code 0x87",
            bytes: [0x90, 0x05, 0x00, 0x01, 0x00, 0x01, 0x87],
            packet: .suback(.init(packetIdentifier: 1, returnCodes: [.granted(.atLeastOnce), .init(rawValue: 0x87)])),
            receiver: .client,
            version: .v5
        ),
        PacketVector(
            name: "UNSUBSCRIBE",
            bytes: [0xA2, 0x06, 0x00, 0x02, 0x00, 0x00, 0x01, 0x23],
            packet: .unsubscribe(.init(packetIdentifier: 2, topicFilters: ["#"])),
            receiver: .server,
            version: .v5
        ),
        PacketVector(
            name: "UNSUBACK with reason codes",
            bytes: [0xB0, 0x05, 0x00, 0x02, 0x00, 0x00, 0x11],
            packet: .unsuback(.init(packetIdentifier: 2, reasonCodes: [.success, .noSubscriptionExisted])),
            receiver: .client,
            version: .v5
        ),
        PacketVector(
            name: "DISCONNECT normal, short form",
            bytes: [0xE0, 0x00],
            packet: .disconnect(.init()),
            receiver: .server,
            version: .v5
        ),
        PacketVector(
            name: "DISCONNECT session taken over with reason string",
            bytes: [0xE0, 0x06, 0x8E, 0x04, 0x1F, 0x00, 0x01, 0x78],
            packet: .disconnect(.init(reasonCode: .sessionTakenOver, properties: [.reasonString("x")])),
            receiver: .client,
            version: .v5
        ),
    ]
}
