/// The CONNACK return code (MQTT 3.1.1 section 3.2.2.3) or, for MQTT 5, the CONNACK reason code.
public struct MQTTConnectReturnCode: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// 0x00 Connection accepted.
    public static let accepted = MQTTConnectReturnCode(rawValue: 0x00)
    /// 0x01 The server does not support the protocol level requested.
    public static let unacceptableProtocolVersion = MQTTConnectReturnCode(rawValue: 0x01)
    /// 0x02 The client identifier is correct UTF-8 but not allowed by the server.
    public static let identifierRejected = MQTTConnectReturnCode(rawValue: 0x02)
    /// 0x03 The network connection has been made but the MQTT service is unavailable.
    public static let serverUnavailable = MQTTConnectReturnCode(rawValue: 0x03)
    /// 0x04 The data in the user name or password is malformed.
    public static let badUsernameOrPassword = MQTTConnectReturnCode(rawValue: 0x04)
    /// 0x05 The client is not authorized to connect.
    public static let notAuthorized = MQTTConnectReturnCode(rawValue: 0x05)

    public var description: String {
        switch self {
        case .accepted: "accepted"
        case .unacceptableProtocolVersion: "unacceptable protocol version"
        case .identifierRejected: "identifier rejected"
        case .serverUnavailable: "server unavailable"
        case .badUsernameOrPassword: "bad user name or password"
        case .notAuthorized: "not authorized"
        default: "return code \(rawValue)"
        }
    }
}

/// A SUBACK return code: the granted QoS or failure (MQTT 3.1.1 section 3.9.3).
public struct MQTTSubackReturnCode: RawRepresentable, Sendable, Hashable {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// Success with the given maximum QoS.
    public static func granted(_ qos: MQTTQoS) -> MQTTSubackReturnCode { .init(rawValue: qos.rawValue) }
    /// 0x80 Failure.
    public static let failure = MQTTSubackReturnCode(rawValue: 0x80)

    /// The granted QoS, or nil for a failure.
    public var grantedQoS: MQTTQoS? { rawValue < 0x80 ? MQTTQoS(rawValue: rawValue) : nil }
}

/// An MQTT 5 reason code for PUBACK, PUBREC, PUBREL, PUBCOMP, UNSUBACK and DISCONNECT.
///
/// MQTT 3.1.1 has no reason codes on these packets; the codec neither writes nor reads
/// them for version 3.1.1 and they read as ``success``.
public struct MQTTReasonCode: RawRepresentable, Sendable, Hashable {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let success = MQTTReasonCode(rawValue: 0x00)
    public static let noMatchingSubscribers = MQTTReasonCode(rawValue: 0x10)
    public static let noSubscriptionExisted = MQTTReasonCode(rawValue: 0x11)
    public static let unspecifiedError = MQTTReasonCode(rawValue: 0x80)
    public static let malformedPacket = MQTTReasonCode(rawValue: 0x81)
    public static let protocolError = MQTTReasonCode(rawValue: 0x82)
    public static let notAuthorized = MQTTReasonCode(rawValue: 0x87)
    public static let sessionTakenOver = MQTTReasonCode(rawValue: 0x8E)
    public static let keepAliveTimeout = MQTTReasonCode(rawValue: 0x8D)
    public static let topicNameInvalid = MQTTReasonCode(rawValue: 0x90)
    public static let packetIdentifierInUse = MQTTReasonCode(rawValue: 0x91)
    public static let packetIdentifierNotFound = MQTTReasonCode(rawValue: 0x92)
    public static let receiveMaximumExceeded = MQTTReasonCode(rawValue: 0x93)
    public static let packetTooLarge = MQTTReasonCode(rawValue: 0x95)
    public static let quotaExceeded = MQTTReasonCode(rawValue: 0x97)
    public static let payloadFormatInvalid = MQTTReasonCode(rawValue: 0x99)
}
