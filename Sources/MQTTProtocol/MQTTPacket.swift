import NIOCore

/// A packet identifier (MQTT 3.1.1 section 2.3.1). Never zero on the wire.
public typealias MQTTPacketIdentifier = UInt16

/// Every MQTT control packet, as one value type.
///
/// MQTT 3.1.1 and MQTT 5 share this model: version-5-only fields (properties, reason
/// codes) are empty or `success` for 3.1.1. Byte payloads are `ByteBuffer` slices of the
/// receive buffer: copy them (``MQTTPacket/Publish/detached()``) before keeping them
/// beyond the read that produced them.
public enum MQTTPacket: Sendable, Hashable {
    case connect(Connect)
    case connack(Connack)
    case publish(Publish)
    case puback(Acknowledgement)
    case pubrec(Acknowledgement)
    case pubrel(Acknowledgement)
    case pubcomp(Acknowledgement)
    case subscribe(Subscribe)
    case suback(Suback)
    case unsubscribe(Unsubscribe)
    case unsuback(Unsuback)
    case pingreq
    case pingresp
    case disconnect(Disconnect)

    /// The control packet type of the fixed header (MQTT 3.1.1 section 2.2.1).
    public var type: PacketType {
        switch self {
        case .connect: .connect
        case .connack: .connack
        case .publish: .publish
        case .puback: .puback
        case .pubrec: .pubrec
        case .pubrel: .pubrel
        case .pubcomp: .pubcomp
        case .subscribe: .subscribe
        case .suback: .suback
        case .unsubscribe: .unsubscribe
        case .unsuback: .unsuback
        case .pingreq: .pingreq
        case .pingresp: .pingresp
        case .disconnect: .disconnect
        }
    }

    /// The control packet types.
    public enum PacketType: UInt8, Sendable, Hashable {
        case connect = 1
        case connack = 2
        case publish = 3
        case puback = 4
        case pubrec = 5
        case pubrel = 6
        case pubcomp = 7
        case subscribe = 8
        case suback = 9
        case unsubscribe = 10
        case unsuback = 11
        case pingreq = 12
        case pingresp = 13
        case disconnect = 14
        case auth = 15
    }
}

extension MQTTPacket {
    /// CONNECT: the first packet a client sends.
    public struct Connect: Sendable, Hashable {
        public var protocolVersion: MQTTProtocolVersion
        /// Clean Session (3.1.1) or Clean Start (5).
        public var cleanSession: Bool
        /// Keep-alive in seconds; 0 turns keep-alive off.
        public var keepAliveSeconds: UInt16
        /// The client identifier; may be empty.
        public var clientIdentifier: String
        public var will: Will?
        public var username: String?
        public var password: ByteBuffer?
        public var properties: MQTTProperties

        public init(
            protocolVersion: MQTTProtocolVersion = .v3_1_1,
            cleanSession: Bool = true,
            keepAliveSeconds: UInt16 = 60,
            clientIdentifier: String,
            will: Will? = nil,
            username: String? = nil,
            password: ByteBuffer? = nil,
            properties: MQTTProperties = .none
        ) {
            self.protocolVersion = protocolVersion
            self.cleanSession = cleanSession
            self.keepAliveSeconds = keepAliveSeconds
            self.clientIdentifier = clientIdentifier
            self.will = will
            self.username = username
            self.password = password
            self.properties = properties
        }
    }

    /// The Last Will and Testament carried by CONNECT.
    public struct Will: Sendable, Hashable {
        public var topic: String
        public var payload: ByteBuffer
        public var qos: MQTTQoS
        public var retain: Bool
        public var properties: MQTTProperties

        public init(
            topic: String,
            payload: ByteBuffer,
            qos: MQTTQoS = .atMostOnce,
            retain: Bool = false,
            properties: MQTTProperties = .none
        ) {
            self.topic = topic
            self.payload = payload
            self.qos = qos
            self.retain = retain
            self.properties = properties
        }
    }

    /// CONNACK: the server's answer to CONNECT.
    public struct Connack: Sendable, Hashable {
        public var sessionPresent: Bool
        public var returnCode: MQTTConnectReturnCode
        public var properties: MQTTProperties

        public init(
            sessionPresent: Bool = false,
            returnCode: MQTTConnectReturnCode = .accepted,
            properties: MQTTProperties = .none
        ) {
            self.sessionPresent = sessionPresent
            self.returnCode = returnCode
            self.properties = properties
        }
    }

    /// PUBLISH: an application message.
    public struct Publish: Sendable, Hashable {
        public var topic: String
        public var payload: ByteBuffer
        public var qos: MQTTQoS
        public var retain: Bool
        public var duplicate: Bool
        /// Present exactly when `qos` is not `.atMostOnce`.
        public var packetIdentifier: MQTTPacketIdentifier?
        public var properties: MQTTProperties

        public init(
            topic: String,
            payload: ByteBuffer,
            qos: MQTTQoS = .atMostOnce,
            retain: Bool = false,
            duplicate: Bool = false,
            packetIdentifier: MQTTPacketIdentifier? = nil,
            properties: MQTTProperties = .none
        ) {
            self.topic = topic
            self.payload = payload
            self.qos = qos
            self.retain = retain
            self.duplicate = duplicate
            self.packetIdentifier = packetIdentifier
            self.properties = properties
        }

        /// A copy whose payload no longer shares storage with the receive buffer.
        public func detached() -> Publish {
            var copy = self
            copy.payload = ByteBuffer(buffer: payload)
            return copy
        }
    }

    /// PUBACK, PUBREC, PUBREL and PUBCOMP: a packet identifier and, in MQTT 5, a reason.
    public struct Acknowledgement: Sendable, Hashable {
        public var packetIdentifier: MQTTPacketIdentifier
        public var reasonCode: MQTTReasonCode
        public var properties: MQTTProperties

        public init(
            packetIdentifier: MQTTPacketIdentifier,
            reasonCode: MQTTReasonCode = .success,
            properties: MQTTProperties = .none
        ) {
            self.packetIdentifier = packetIdentifier
            self.reasonCode = reasonCode
            self.properties = properties
        }
    }

    /// One topic filter of a SUBSCRIBE with its requested options.
    public struct Subscription: Sendable, Hashable {
        public var topicFilter: String
        public var qos: MQTTQoS
        /// MQTT 5 subscription options; false/0 for 3.1.1.
        public var noLocal: Bool
        public var retainAsPublished: Bool
        public var retainHandling: UInt8

        public init(
            topicFilter: String,
            qos: MQTTQoS,
            noLocal: Bool = false,
            retainAsPublished: Bool = false,
            retainHandling: UInt8 = 0
        ) {
            self.topicFilter = topicFilter
            self.qos = qos
            self.noLocal = noLocal
            self.retainAsPublished = retainAsPublished
            self.retainHandling = retainHandling
        }
    }

    /// SUBSCRIBE.
    public struct Subscribe: Sendable, Hashable {
        public var packetIdentifier: MQTTPacketIdentifier
        public var subscriptions: [Subscription]
        public var properties: MQTTProperties

        public init(
            packetIdentifier: MQTTPacketIdentifier,
            subscriptions: [Subscription],
            properties: MQTTProperties = .none
        ) {
            self.packetIdentifier = packetIdentifier
            self.subscriptions = subscriptions
            self.properties = properties
        }
    }

    /// SUBACK: one return code per requested filter, in order.
    public struct Suback: Sendable, Hashable {
        public var packetIdentifier: MQTTPacketIdentifier
        public var returnCodes: [MQTTSubackReturnCode]
        public var properties: MQTTProperties

        public init(
            packetIdentifier: MQTTPacketIdentifier,
            returnCodes: [MQTTSubackReturnCode],
            properties: MQTTProperties = .none
        ) {
            self.packetIdentifier = packetIdentifier
            self.returnCodes = returnCodes
            self.properties = properties
        }
    }

    /// UNSUBSCRIBE.
    public struct Unsubscribe: Sendable, Hashable {
        public var packetIdentifier: MQTTPacketIdentifier
        public var topicFilters: [String]
        public var properties: MQTTProperties

        public init(
            packetIdentifier: MQTTPacketIdentifier,
            topicFilters: [String],
            properties: MQTTProperties = .none
        ) {
            self.packetIdentifier = packetIdentifier
            self.topicFilters = topicFilters
            self.properties = properties
        }
    }

    /// UNSUBACK; the reason codes exist only in MQTT 5.
    public struct Unsuback: Sendable, Hashable {
        public var packetIdentifier: MQTTPacketIdentifier
        public var reasonCodes: [MQTTReasonCode]
        public var properties: MQTTProperties

        public init(
            packetIdentifier: MQTTPacketIdentifier,
            reasonCodes: [MQTTReasonCode] = [],
            properties: MQTTProperties = .none
        ) {
            self.packetIdentifier = packetIdentifier
            self.reasonCodes = reasonCodes
            self.properties = properties
        }
    }

    /// DISCONNECT; the reason code and properties exist only in MQTT 5.
    public struct Disconnect: Sendable, Hashable {
        public var reasonCode: MQTTReasonCode
        public var properties: MQTTProperties

        public init(reasonCode: MQTTReasonCode = .success, properties: MQTTProperties = .none) {
            self.reasonCode = reasonCode
            self.properties = properties
        }
    }
}
