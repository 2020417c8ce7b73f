import MQTTProtocol

extension Broker {
    /// The device-facing limits of one listener, AWS IoT Core's by default.
    ///
    /// What happens when a limit is exceeded follows AWS IoT Core: a client identifier that is
    /// too long is refused with CONNACK 0x02; a PUBLISH whose topic or payload is too large,
    /// or whose topic has too many levels, and a SUBSCRIBE with too many filters, close the
    /// connection (AWS's `CLIENT_ERROR`); a filter with too many levels is refused in the
    /// SUBACK (0x80). `nil` means no limit.
    public struct Limits: Sendable, Hashable {
        /// How a listener treats QoS 2.
        public enum QoS2Handling: Sendable, Hashable {
            /// Full MQTT 3.1.1: QoS 2 publishes, subscriptions and wills are served.
            case supported
            /// AWS IoT Core's behaviour: it "does not support publishing or subscribing with QoS
            /// level 2" and "does not send a PUBACK or SUBACK" for it. A QoS 2 PUBLISH or a
            /// SUBSCRIBE asking for QoS 2 closes the connection without an answer; a CONNECT
            /// with a QoS 2 will is closed without CONNACK.
            case disconnect
        }

        /// The longest client identifier, in UTF-8 bytes (AWS: 128).
        public var maximumClientIdentifierBytes: Int?
        /// The longest topic name of a PUBLISH or will, in UTF-8 bytes (AWS: 256).
        public var maximumTopicBytes: Int?
        /// The most `/` in a topic name or filter (AWS: 7).
        public var maximumTopicSlashes: Int?
        /// Topics that start with this prefix (ASCII case ignored) and one more level, such
        /// as `$aws/rules/<rule>/`, have that part left out of the two counts above (AWS IoT's
        /// Basic Ingest).
        public var topicLimitExemptPrefix: String?
        /// The largest PUBLISH (or will) payload, in bytes (AWS: 128 KiB).
        public var maximumPayloadBytes: Int?
        /// The most topic filters in one SUBSCRIBE (AWS: 8).
        public var maximumFiltersPerSubscribe: Int?
        /// How QoS 2 is treated.
        public var qos2: QoS2Handling

        /// Creates limits; every limit is off unless given.
        public init(
            maximumClientIdentifierBytes: Int? = nil,
            maximumTopicBytes: Int? = nil,
            maximumTopicSlashes: Int? = nil,
            topicLimitExemptPrefix: String? = nil,
            maximumPayloadBytes: Int? = nil,
            maximumFiltersPerSubscribe: Int? = nil,
            qos2: QoS2Handling = .supported
        ) {
            self.maximumClientIdentifierBytes = maximumClientIdentifierBytes
            self.maximumTopicBytes = maximumTopicBytes
            self.maximumTopicSlashes = maximumTopicSlashes
            self.topicLimitExemptPrefix = topicLimitExemptPrefix
            self.maximumPayloadBytes = maximumPayloadBytes
            self.maximumFiltersPerSubscribe = maximumFiltersPerSubscribe
            self.qos2 = qos2
        }

        /// AWS IoT Core's message broker limits, and its refusal of QoS 2: the mutual-TLS
        /// listener's default.
        public static let awsIoT = Limits(
            maximumClientIdentifierBytes: 128,
            maximumTopicBytes: 256,
            maximumTopicSlashes: 7,
            topicLimitExemptPrefix: "$aws/rules/",
            maximumPayloadBytes: 128 * 1024,
            maximumFiltersPerSubscribe: 8,
            qos2: .disconnect
        )

        /// AWS IoT Core's size limits with full MQTT QoS 2: the plain listener's default.
        public static let awsIoTWithQoS2: Limits = {
            var limits = Limits.awsIoT
            limits.qos2 = .supported
            return limits
        }()

        /// No limits beyond the broker's packet size: plain MQTT 3.1.1.
        public static let unlimited = Limits()
    }
}

/// A limit a client went beyond.
enum LimitViolation: String, Sendable, Hashable {
    case clientIdentifierTooLong = "client identifier too long"
    case topicTooLong = "topic too long"
    case tooManyTopicLevels = "too many topic levels"
    case payloadTooLarge = "payload too large"
    case tooManyFilters = "too many topic filters in one SUBSCRIBE"
    case qos2NotSupported = "QoS 2 is not supported on this listener"
}

extension Broker.Limits {
    /// Whether a client identifier is short enough.
    func allows(clientIdentifier: String) -> Bool {
        guard let maximum = maximumClientIdentifierBytes else { return true }
        return clientIdentifier.utf8.count <= maximum
    }

    /// What is wrong with a PUBLISH or a will, if anything.
    func violation(publishing topic: String, payloadBytes: Int, qos: MQTTQoS) -> LimitViolation? {
        if qos == .exactlyOnce, qos2 == .disconnect { return .qos2NotSupported }
        if let maximum = maximumPayloadBytes, payloadBytes > maximum { return .payloadTooLarge }
        let counted = countedPart(of: topic)
        if let maximum = maximumTopicBytes, counted.count > maximum { return .topicTooLong }
        if let maximum = maximumTopicSlashes, Self.slashes(in: counted) > maximum { return .tooManyTopicLevels }
        return nil
    }

    /// What is wrong with a SUBSCRIBE as a whole (closing the connection), if anything.
    func violation(subscribing subscriptions: [MQTTPacket.Subscription]) -> LimitViolation? {
        if let maximum = maximumFiltersPerSubscribe, subscriptions.count > maximum { return .tooManyFilters }
        if qos2 == .disconnect, subscriptions.contains(where: { $0.qos == .exactlyOnce }) {
            return .qos2NotSupported
        }
        return nil
    }

    /// Whether one topic filter of a SUBSCRIBE is within the limits (else SUBACK 0x80).
    func allows(topicFilter: String) -> Bool {
        guard let maximum = maximumTopicSlashes else { return true }
        return Self.slashes(in: countedPart(of: topicFilter)) <= maximum
    }

    /// The part of a topic the length and level limits count: all of it, or what follows
    /// the exempt prefix and its next level.
    private func countedPart(of topic: String) -> Substring.UTF8View {
        let bytes = topic.utf8
        guard let prefix = topicLimitExemptPrefix, Self.hasPrefixIgnoringASCIICase(bytes, prefix.utf8),
            let levelEnd = bytes.dropFirst(prefix.utf8.count).firstIndex(of: UInt8(ascii: "/"))
        else { return Substring(topic).utf8 }
        return Substring(topic).utf8[bytes.index(after: levelEnd)...]
    }

    private static func slashes(in bytes: Substring.UTF8View) -> Int {
        var count = 0
        for byte in bytes where byte == UInt8(ascii: "/") { count += 1 }
        return count
    }

    private static func hasPrefixIgnoringASCIICase(_ bytes: String.UTF8View, _ prefix: String.UTF8View) -> Bool {
        guard bytes.count >= prefix.count else { return false }
        for (byte, expected) in zip(bytes, prefix) where lowercased(byte) != lowercased(expected) {
            return false
        }
        return true
    }

    private static func lowercased(_ byte: UInt8) -> UInt8 {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte | 0x20 : byte
    }
}
