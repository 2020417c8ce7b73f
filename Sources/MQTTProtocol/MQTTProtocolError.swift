/// A violation of the MQTT protocol found while decoding, or a packet the server refuses.
///
/// Every error names the rule it enforces, so that the broker can map it to a CONNACK
/// return code or MQTT 5 reason code and close the connection.
public struct MQTTProtocolError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of violation this is.
    public enum Code: Sendable, Hashable {
        /// The Remaining Length field is longer than four bytes [MQTT-2.2.3].
        case malformedRemainingLength
        /// The packet is larger than the configured maximum packet size.
        case packetTooLarge
        /// Reserved flag bits in the fixed header have the wrong value [MQTT-2.2.2-2].
        case invalidFixedHeaderFlags
        /// The control packet type is reserved, or not valid in this direction.
        case invalidPacketType
        /// The packet body is shorter or longer than its contents, or a field is invalid.
        case malformedPacket
        /// A string is not well-formed UTF-8 or contains U+0000 [MQTT-1.5.3-1], [MQTT-1.5.3-2].
        case invalidUTF8
        /// The CONNECT protocol name is not "MQTT" [MQTT-3.1.2-1].
        case invalidProtocolName
        /// The CONNECT protocol level is not supported [MQTT-3.1.2-2].
        case unsupportedProtocolVersion
        /// A QoS of 3, or QoS flags set where the specification forbids them.
        case invalidQoS
        /// A topic name is empty or contains wildcard characters [MQTT-3.3.2-2].
        case invalidTopicName
        /// A topic filter breaks the wildcard placement rules [MQTT-4.7.1].
        case invalidTopicFilter
        /// A packet identifier of zero [MQTT-2.3.1-1].
        case invalidPacketIdentifier
        /// The first packet was not CONNECT, or CONNECT was sent twice [MQTT-3.1.0-1], [MQTT-3.1.0-2].
        case unexpectedPacket
    }

    /// The kind of violation.
    public var code: Code
    /// A short human-readable explanation, with the conformance id where there is one.
    public var detail: String

    public init(_ code: Code, _ detail: String) {
        self.code = code
        self.detail = detail
    }

    public var description: String { "\(code): \(detail)" }
}
