/// The quality of service of a publication or subscription.
public enum MQTTQoS: UInt8, Sendable, Hashable, Comparable, CaseIterable {
    /// At most once delivery (fire and forget).
    case atMostOnce = 0
    /// At least once delivery (PUBACK).
    case atLeastOnce = 1
    /// Exactly once delivery (PUBREC, PUBREL, PUBCOMP).
    case exactlyOnce = 2

    public static func < (lhs: MQTTQoS, rhs: MQTTQoS) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// The protocol levels the codec understands.
public enum MQTTProtocolVersion: UInt8, Sendable, Hashable {
    /// MQTT 3.1.1 (protocol level 4).
    case v3_1_1 = 4
    /// MQTT 5.0 (protocol level 5).
    case v5 = 5
}
