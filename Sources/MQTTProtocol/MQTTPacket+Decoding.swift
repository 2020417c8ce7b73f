import NIOCore

// Decoding of packet bodies. Each function reads from a slice that holds exactly the
// Remaining Length of the packet; the decoder checks that nothing is left afterwards.

extension MQTTPacket.Connect {
    /// Reads the protocol name and level (3.1.1 section 3.1.2.1, 3.1.2.2).
    ///
    /// An MQTT 3.1 client ("MQIsdp", level 3) or an "MQTT" client of another level gets
    /// `unsupportedProtocolVersion`, which the server answers with CONNACK 0x01.
    static func decodeProtocolVersion(
        from body: inout ByteBuffer
    ) throws(MQTTProtocolError) -> MQTTProtocolVersion {
        let nameLength = Int(try body.readMQTTUInt16())
        guard let name = body.readSlice(length: nameLength) else { throw ByteBuffer.truncated() }
        let level = try body.readMQTTByte()
        let isMQTT = name.readableBytesView.elementsEqual("MQTT".utf8)
        guard isMQTT || name.readableBytesView.elementsEqual("MQIsdp".utf8) else {
            // [MQTT-3.1.2-1] the protocol name must be "MQTT".
            throw MQTTProtocolError(.invalidProtocolName, "protocol name is not MQTT [MQTT-3.1.2-1]")
        }
        // [MQTT-3.1.2-2] unsupported levels are refused with CONNACK 0x01.
        guard isMQTT, let version = MQTTProtocolVersion(rawValue: level) else {
            throw MQTTProtocolError(.unsupportedProtocolVersion, "protocol level not supported [MQTT-3.1.2-2]")
        }
        return version
    }

    /// Reads the rest of CONNECT, after the protocol level.
    static func decode(
        from body: inout ByteBuffer,
        protocolVersion: MQTTProtocolVersion
    ) throws(MQTTProtocolError) -> Self {
        let isVersion5 = protocolVersion == .v5
        let flags = try body.readMQTTByte()
        // [MQTT-3.1.2-3] the reserved flag must be 0.
        guard flags & 0b0000_0001 == 0 else {
            throw MQTTProtocolError(.malformedPacket, "CONNECT reserved flag set [MQTT-3.1.2-3]")
        }
        let cleanSession = flags & 0b0000_0010 != 0
        let hasWill = flags & 0b0000_0100 != 0
        let willQoSBits = (flags >> 3) & 0b11
        let willRetain = flags & 0b0010_0000 != 0
        let hasPassword = flags & 0b0100_0000 != 0
        let hasUsername = flags & 0b1000_0000 != 0
        guard let willQoS = MQTTQoS(rawValue: willQoSBits) else {
            // [MQTT-3.1.2-14] a Will QoS of 3 is invalid.
            throw MQTTProtocolError(.invalidQoS, "will QoS 3 [MQTT-3.1.2-14]")
        }
        if !hasWill {
            // [MQTT-3.1.2-13] no Will QoS without the Will Flag.
            guard willQoS == .atMostOnce else {
                throw MQTTProtocolError(.invalidQoS, "will QoS without will flag [MQTT-3.1.2-13]")
            }
            // [MQTT-3.1.2-15] no Will Retain without the Will Flag.
            guard !willRetain else {
                throw MQTTProtocolError(.malformedPacket, "will retain without will flag [MQTT-3.1.2-15]")
            }
        }
        // [MQTT-3.1.2-22] in 3.1.1 a password needs a user name (MQTT 5 lifts this).
        if !isVersion5 && hasPassword && !hasUsername {
            throw MQTTProtocolError(.malformedPacket, "password flag without user name flag [MQTT-3.1.2-22]")
        }
        let keepAlive = try body.readMQTTUInt16()
        let properties = isVersion5 ? try MQTTProperties.read(from: &body) : .none
        // [MQTT-3.1.3-3] the client identifier is present; [MQTT-3.1.3-4] it is a UTF-8 string.
        let clientIdentifier = try body.readMQTTString()
        var will: MQTTPacket.Will?
        if hasWill {
            let willProperties = isVersion5 ? try MQTTProperties.read(from: &body) : .none
            // [MQTT-3.1.3-10] the Will Topic is a UTF-8 string; it must be a valid topic name.
            let topic = try body.readMQTTString()
            guard MQTTTopic.isValidTopicName(topic) else {
                throw MQTTProtocolError(.invalidTopicName, "will topic is not a valid topic name [MQTT-3.3.2-2]")
            }
            let payload = try body.readMQTTBinary()
            will = MQTTPacket.Will(
                topic: topic,
                payload: payload,
                qos: willQoS,
                retain: willRetain,
                properties: willProperties
            )
        }
        // [MQTT-3.1.3-11] the user name is a UTF-8 string.
        let username = hasUsername ? try body.readMQTTString() : nil
        let password = hasPassword ? try body.readMQTTBinary() : nil
        return Self(
            protocolVersion: protocolVersion,
            cleanSession: cleanSession,
            keepAliveSeconds: keepAlive,
            clientIdentifier: clientIdentifier,
            will: will,
            username: username,
            password: password,
            properties: properties
        )
    }
}

extension MQTTPacket.Connack {
    static func decode(from body: inout ByteBuffer, version: MQTTProtocolVersion) throws(MQTTProtocolError) -> Self {
        let flags = try body.readMQTTByte()
        // [MQTT-3.2.2-1] bits 7-1 of the acknowledge flags are reserved and 0.
        guard flags & 0b1111_1110 == 0 else {
            throw MQTTProtocolError(.malformedPacket, "CONNACK reserved flags set [MQTT-3.2.2-1]")
        }
        let returnCode = MQTTConnectReturnCode(rawValue: try body.readMQTTByte())
        let properties = version == .v5 ? try MQTTProperties.read(from: &body) : .none
        return Self(sessionPresent: flags & 1 != 0, returnCode: returnCode, properties: properties)
    }
}

extension MQTTPacket.Publish {
    static func decode(
        from body: inout ByteBuffer,
        flags: UInt8,
        version: MQTTProtocolVersion
    ) throws(MQTTProtocolError) -> Self {
        // The fixed header flags were checked by the decoder [MQTT-3.3.1-2], [MQTT-3.3.1-4].
        let qos = MQTTQoS(rawValue: (flags >> 1) & 0b11) ?? .atMostOnce
        // [MQTT-3.3.2-1] a UTF-8 string; [MQTT-3.3.2-2] without wildcards; [MQTT-2.3.1-1] a
        // non-zero packet identifier for QoS 1 and 2.
        let (topic, packetIdentifier) = try body.readMQTTPublishHeader(hasPacketIdentifier: qos != .atMostOnce)
        let properties = version == .v5 ? try MQTTProperties.read(from: &body) : .none
        if topic.isEmpty {
            // MQTT 5 section 3.3.2.3.4: an empty topic name is allowed with a Topic Alias.
            let hasAlias = properties.properties.contains { if case .topicAlias = $0 { true } else { false } }
            // [MQTT-4.7.3-1] otherwise a topic name has at least one character.
            guard hasAlias else {
                throw MQTTProtocolError(.invalidTopicName, "empty topic name [MQTT-4.7.3-1]")
            }
        }
        // The payload is the rest of the body, shared with the receive buffer.
        let payload = body.readSlice(length: body.readableBytes)!
        return Self(
            topic: topic,
            payload: payload,
            qos: qos,
            retain: flags & 0b0001 != 0,
            duplicate: flags & 0b1000 != 0,
            packetIdentifier: packetIdentifier,
            properties: properties
        )
    }
}

extension MQTTPacket.Acknowledgement {
    static func decode(from body: inout ByteBuffer, version: MQTTProtocolVersion) throws(MQTTProtocolError) -> Self {
        let packetIdentifier = try body.readMQTTPacketIdentifier()
        // MQTT 5 section 3.4.2.1: the reason code and properties may be absent.
        guard version == .v5, body.readableBytes > 0 else { return Self(packetIdentifier: packetIdentifier) }
        let reasonCode = MQTTReasonCode(rawValue: try body.readMQTTByte())
        let properties = body.readableBytes > 0 ? try MQTTProperties.read(from: &body) : .none
        return Self(packetIdentifier: packetIdentifier, reasonCode: reasonCode, properties: properties)
    }
}

extension MQTTPacket.Subscribe {
    static func decode(from body: inout ByteBuffer, version: MQTTProtocolVersion) throws(MQTTProtocolError) -> Self {
        // [MQTT-2.3.1-1] a non-zero packet identifier.
        let packetIdentifier = try body.readMQTTPacketIdentifier()
        let properties = version == .v5 ? try MQTTProperties.read(from: &body) : .none
        // [MQTT-3.8.3-3] at least one topic filter.
        guard body.readableBytes > 0 else {
            throw MQTTProtocolError(.malformedPacket, "SUBSCRIBE without topic filters [MQTT-3.8.3-3]")
        }
        var subscriptions: [MQTTPacket.Subscription] = []
        while body.readableBytes > 0 {
            // [MQTT-3.8.3-1] filters are UTF-8 strings.
            let filter = try body.readMQTTString()
            // [MQTT-4.7.1-1..3] wildcard placement; [MQTT-4.7.3-1] non-empty.
            guard MQTTTopic.isValidTopicFilter(filter) else {
                throw MQTTProtocolError(.invalidTopicFilter, "invalid topic filter [MQTT-4.7.1]")
            }
            let options = try body.readMQTTByte()
            subscriptions.append(try MQTTPacket.Subscription(topicFilter: filter, options: options, version: version))
        }
        return Self(packetIdentifier: packetIdentifier, subscriptions: subscriptions, properties: properties)
    }
}

extension MQTTPacket.Subscription {
    init(topicFilter: String, options: UInt8, version: MQTTProtocolVersion) throws(MQTTProtocolError) {
        if version == .v5 {
            // [MQTT-3.8.3-5] bits 6 and 7 of the subscription options are reserved.
            guard options & 0b1100_0000 == 0 else {
                throw MQTTProtocolError(.malformedPacket, "reserved subscription option bits set [MQTT-3.8.3-5]")
            }
            // MQTT 5 section 3.8.3.1: Retain Handling 3 is a protocol error.
            guard (options >> 4) & 0b11 != 3 else {
                throw MQTTProtocolError(.malformedPacket, "retain handling 3 [MQTT-3.8.3.1]")
            }
        } else {
            // [MQTT-3-8.3-4] the upper six bits of the requested QoS byte are reserved.
            guard options & 0b1111_1100 == 0 else {
                throw MQTTProtocolError(.malformedPacket, "reserved requested QoS bits set [MQTT-3-8.3-4]")
            }
        }
        // [MQTT-3-8.3-4] a requested QoS of 3 is malformed.
        guard let qos = MQTTQoS(rawValue: options & 0b11) else {
            throw MQTTProtocolError(.invalidQoS, "requested QoS 3 [MQTT-3-8.3-4]")
        }
        self.init(
            topicFilter: topicFilter,
            qos: qos,
            noLocal: options & 0b0000_0100 != 0,
            retainAsPublished: options & 0b0000_1000 != 0,
            retainHandling: (options >> 4) & 0b11
        )
    }
}

extension MQTTPacket.Suback {
    static func decode(from body: inout ByteBuffer, version: MQTTProtocolVersion) throws(MQTTProtocolError) -> Self {
        let packetIdentifier = try body.readMQTTPacketIdentifier()
        let properties = version == .v5 ? try MQTTProperties.read(from: &body) : .none
        // Section 3.9.3: one return code per topic filter, so at least one.
        guard body.readableBytes > 0 else {
            throw MQTTProtocolError(.malformedPacket, "SUBACK without return codes")
        }
        var returnCodes: [MQTTSubackReturnCode] = []
        returnCodes.reserveCapacity(body.readableBytes)
        while let code = body.readInteger(as: UInt8.self) {
            // [MQTT-3.9.3-2] 3.1.1 return codes other than 0x00, 0x01, 0x02 and 0x80 are reserved.
            guard version == .v5 || code <= 2 || code == 0x80 else {
                throw MQTTProtocolError(.malformedPacket, "reserved SUBACK return code [MQTT-3.9.3-2]")
            }
            returnCodes.append(MQTTSubackReturnCode(rawValue: code))
        }
        return Self(packetIdentifier: packetIdentifier, returnCodes: returnCodes, properties: properties)
    }
}

extension MQTTPacket.Unsubscribe {
    static func decode(from body: inout ByteBuffer, version: MQTTProtocolVersion) throws(MQTTProtocolError) -> Self {
        // [MQTT-2.3.1-1] a non-zero packet identifier.
        let packetIdentifier = try body.readMQTTPacketIdentifier()
        let properties = version == .v5 ? try MQTTProperties.read(from: &body) : .none
        // [MQTT-3.10.3-2] at least one topic filter.
        guard body.readableBytes > 0 else {
            throw MQTTProtocolError(.malformedPacket, "UNSUBSCRIBE without topic filters [MQTT-3.10.3-2]")
        }
        var filters: [String] = []
        while body.readableBytes > 0 {
            // [MQTT-3.10.3-1] filters are UTF-8 strings.
            let filter = try body.readMQTTString()
            // [MQTT-4.7.1-1..3] wildcard placement; [MQTT-4.7.3-1] non-empty.
            guard MQTTTopic.isValidTopicFilter(filter) else {
                throw MQTTProtocolError(.invalidTopicFilter, "invalid topic filter [MQTT-4.7.1]")
            }
            filters.append(filter)
        }
        return Self(packetIdentifier: packetIdentifier, topicFilters: filters, properties: properties)
    }
}

extension MQTTPacket.Unsuback {
    static func decode(from body: inout ByteBuffer, version: MQTTProtocolVersion) throws(MQTTProtocolError) -> Self {
        let packetIdentifier = try body.readMQTTPacketIdentifier()
        guard version == .v5 else { return Self(packetIdentifier: packetIdentifier) }
        let properties = try MQTTProperties.read(from: &body)
        var reasonCodes: [MQTTReasonCode] = []
        reasonCodes.reserveCapacity(body.readableBytes)
        while let code = body.readInteger(as: UInt8.self) {
            reasonCodes.append(MQTTReasonCode(rawValue: code))
        }
        return Self(packetIdentifier: packetIdentifier, reasonCodes: reasonCodes, properties: properties)
    }
}

extension MQTTPacket.Disconnect {
    static func decode(from body: inout ByteBuffer, version: MQTTProtocolVersion) throws(MQTTProtocolError) -> Self {
        // MQTT 5 section 3.14.2.1: the reason code and properties may be absent.
        guard version == .v5, body.readableBytes > 0 else { return Self() }
        let reasonCode = MQTTReasonCode(rawValue: try body.readMQTTByte())
        let properties = body.readableBytes > 0 ? try MQTTProperties.read(from: &body) : .none
        return Self(reasonCode: reasonCode, properties: properties)
    }
}
