import NIOCore

// Encoding of every packet. Each packet computes its Remaining Length first, so that the
// fixed header is written once, straight into the destination buffer.

extension MQTTPacket {
    /// The number of bytes ``encode(into:version:)`` writes, fixed header included.
    public func encodedSize(version: MQTTProtocolVersion) -> Int {
        let remainingLength = self.remainingLength(version: version)
        return 1 + MQTTVariableByteInteger.size(of: remainingLength) + remainingLength
    }

    /// Appends this packet, as `version` lays it out, to `buffer`.
    ///
    /// A CONNECT is always encoded with its own ``MQTTPacket/Connect/protocolVersion``.
    /// Version-5-only fields (properties, reason codes) are left out for 3.1.1.
    ///
    /// - Precondition: strings and binary fields are at most 65,535 bytes, the packet fits
    ///   in a Remaining Length of 268,435,455, and a PUBLISH with QoS 1 or 2 has a packet
    ///   identifier.
    public func encode(into buffer: inout ByteBuffer, version: MQTTProtocolVersion) {
        if case .publish(let publish) = self {
            publish.encode(into: &buffer, version: version)
            return
        }
        let remainingLength = self.remainingLength(version: version)
        buffer.reserveCapacity(
            minimumWritableBytes: 1 + MQTTVariableByteInteger.size(of: remainingLength) + remainingLength
        )
        buffer.writeInteger(self.type.rawValue << 4 | self.fixedHeaderFlags)
        buffer.writeMQTTVariableByteInteger(remainingLength)
        switch self {
        case .connect(let connect): connect.writeBody(into: &buffer)
        case .connack(let connack): connack.writeBody(into: &buffer, version: version)
        case .publish: return  // Written whole by `Publish.encode` above.
        case .puback(let ack), .pubrec(let ack), .pubrel(let ack), .pubcomp(let ack):
            ack.writeBody(into: &buffer, version: version)
        case .subscribe(let subscribe): subscribe.writeBody(into: &buffer, version: version)
        case .suback(let suback): suback.writeBody(into: &buffer, version: version)
        case .unsubscribe(let unsubscribe): unsubscribe.writeBody(into: &buffer, version: version)
        case .unsuback(let unsuback): unsuback.writeBody(into: &buffer, version: version)
        case .pingreq, .pingresp: break
        case .disconnect(let disconnect): disconnect.writeBody(into: &buffer, version: version)
        }
    }

    /// The flags nibble of the fixed header [MQTT-2.2.2-1].
    var fixedHeaderFlags: UInt8 {
        switch self {
        case .publish(let publish): publish.fixedHeaderFlags
        case .pubrel, .subscribe, .unsubscribe: 0b0010
        default: 0
        }
    }

    /// The Remaining Length: the bytes after the fixed header.
    func remainingLength(version: MQTTProtocolVersion) -> Int {
        let length =
            switch self {
            case .connect(let connect): connect.remainingLength
            case .connack(let connack): connack.remainingLength(version: version)
            case .publish(let publish): publish.remainingLength(version: version)
            case .puback(let ack), .pubrec(let ack), .pubrel(let ack), .pubcomp(let ack):
                ack.remainingLength(version: version)
            case .subscribe(let subscribe): subscribe.remainingLength(version: version)
            case .suback(let suback): suback.remainingLength(version: version)
            case .unsubscribe(let unsubscribe): unsubscribe.remainingLength(version: version)
            case .unsuback(let unsuback): unsuback.remainingLength(version: version)
            case .pingreq, .pingresp: 0
            case .disconnect(let disconnect): disconnect.remainingLength(version: version)
            }
        precondition(length <= MQTTVariableByteInteger.maximum, "MQTT packet too large to encode")
        return length
    }
}

extension MQTTPacket.Connect {
    /// Protocol name "MQTT" as an MQTT string.
    static let protocolNameSize = 6

    var remainingLength: Int {
        let isVersion5 = self.protocolVersion == .v5
        // Protocol name, level, connect flags, keep alive.
        var length = Self.protocolNameSize + 1 + 1 + 2
        if isVersion5 { length += self.properties.encodedSize }
        length += self.clientIdentifier.mqttEncodedSize
        if let will = self.will {
            if isVersion5 { length += will.properties.encodedSize }
            length += will.topic.mqttEncodedSize + 2 + will.payload.readableBytes
        }
        if let username = self.username { length += username.mqttEncodedSize }
        if let password = self.password { length += 2 + password.readableBytes }
        return length
    }

    /// The connect flags byte (3.1.1 section 3.1.2.3).
    var flags: UInt8 {
        var flags: UInt8 = 0
        if self.cleanSession { flags |= 0b0000_0010 }
        if let will = self.will {
            flags |= 0b0000_0100 | will.qos.rawValue << 3
            if will.retain { flags |= 0b0010_0000 }
        }
        if self.password != nil { flags |= 0b0100_0000 }
        if self.username != nil { flags |= 0b1000_0000 }
        return flags
    }

    func writeBody(into buffer: inout ByteBuffer) {
        let isVersion5 = self.protocolVersion == .v5
        buffer.writeMQTTString("MQTT")
        buffer.writeInteger(self.protocolVersion.rawValue)
        buffer.writeInteger(self.flags)
        buffer.writeInteger(self.keepAliveSeconds)
        if isVersion5 { self.properties.write(into: &buffer) }
        buffer.writeMQTTString(self.clientIdentifier)
        if let will = self.will {
            if isVersion5 { will.properties.write(into: &buffer) }
            buffer.writeMQTTString(will.topic)
            buffer.writeMQTTBinary(will.payload)
        }
        if let username = self.username { buffer.writeMQTTString(username) }
        if let password = self.password { buffer.writeMQTTBinary(password) }
    }
}

extension MQTTPacket.Connack {
    func remainingLength(version: MQTTProtocolVersion) -> Int {
        version == .v5 ? 2 + self.properties.encodedSize : 2
    }

    func writeBody(into buffer: inout ByteBuffer, version: MQTTProtocolVersion) {
        buffer.writeInteger(self.sessionPresent ? 1 as UInt8 : 0)
        buffer.writeInteger(self.returnCode.rawValue)
        if version == .v5 { self.properties.write(into: &buffer) }
    }
}

extension MQTTPacket.Acknowledgement {
    // MQTT 5 section 3.4.2.1: the reason code and the properties may be left out when
    // they are Success and empty; they are written only when needed.
    func remainingLength(version: MQTTProtocolVersion) -> Int {
        guard version == .v5 else { return 2 }
        if !self.properties.isEmpty { return 3 + self.properties.encodedSize }
        return self.reasonCode == .success ? 2 : 3
    }

    func writeBody(into buffer: inout ByteBuffer, version: MQTTProtocolVersion) {
        buffer.writeInteger(self.packetIdentifier)
        guard version == .v5 else { return }
        if !self.properties.isEmpty {
            buffer.writeInteger(self.reasonCode.rawValue)
            self.properties.write(into: &buffer)
        } else if self.reasonCode != .success {
            buffer.writeInteger(self.reasonCode.rawValue)
        }
    }
}

extension MQTTPacket.Subscription {
    /// The subscription options byte (3.1.1 section 3.8.3, MQTT 5 section 3.8.3.1).
    func options(version: MQTTProtocolVersion) -> UInt8 {
        guard version == .v5 else { return self.qos.rawValue }
        var options = self.qos.rawValue
        if self.noLocal { options |= 0b0000_0100 }
        if self.retainAsPublished { options |= 0b0000_1000 }
        options |= (self.retainHandling & 0b11) << 4
        return options
    }
}

extension MQTTPacket.Subscribe {
    func remainingLength(version: MQTTProtocolVersion) -> Int {
        var length = 2
        if version == .v5 { length += self.properties.encodedSize }
        for subscription in self.subscriptions { length += subscription.topicFilter.mqttEncodedSize + 1 }
        return length
    }

    func writeBody(into buffer: inout ByteBuffer, version: MQTTProtocolVersion) {
        buffer.writeInteger(self.packetIdentifier)
        if version == .v5 { self.properties.write(into: &buffer) }
        for subscription in self.subscriptions {
            buffer.writeMQTTString(subscription.topicFilter)
            buffer.writeInteger(subscription.options(version: version))
        }
    }
}

extension MQTTPacket.Suback {
    func remainingLength(version: MQTTProtocolVersion) -> Int {
        var length = 2 + self.returnCodes.count
        if version == .v5 { length += self.properties.encodedSize }
        return length
    }

    func writeBody(into buffer: inout ByteBuffer, version: MQTTProtocolVersion) {
        buffer.writeInteger(self.packetIdentifier)
        if version == .v5 { self.properties.write(into: &buffer) }
        for code in self.returnCodes { buffer.writeInteger(code.rawValue) }
    }
}

extension MQTTPacket.Unsubscribe {
    func remainingLength(version: MQTTProtocolVersion) -> Int {
        var length = 2
        if version == .v5 { length += self.properties.encodedSize }
        for filter in self.topicFilters { length += filter.mqttEncodedSize }
        return length
    }

    func writeBody(into buffer: inout ByteBuffer, version: MQTTProtocolVersion) {
        buffer.writeInteger(self.packetIdentifier)
        if version == .v5 { self.properties.write(into: &buffer) }
        for filter in self.topicFilters { buffer.writeMQTTString(filter) }
    }
}

extension MQTTPacket.Unsuback {
    func remainingLength(version: MQTTProtocolVersion) -> Int {
        guard version == .v5 else { return 2 }
        return 2 + self.properties.encodedSize + self.reasonCodes.count
    }

    func writeBody(into buffer: inout ByteBuffer, version: MQTTProtocolVersion) {
        buffer.writeInteger(self.packetIdentifier)
        guard version == .v5 else { return }
        self.properties.write(into: &buffer)
        for code in self.reasonCodes { buffer.writeInteger(code.rawValue) }
    }
}

extension MQTTPacket.Disconnect {
    // MQTT 5 section 3.14.2.1: the reason code and properties may be left out when they
    // are Normal disconnection and empty; they are written only when needed.
    func remainingLength(version: MQTTProtocolVersion) -> Int {
        guard version == .v5 else { return 0 }
        if !self.properties.isEmpty { return 1 + self.properties.encodedSize }
        return self.reasonCode == .success ? 0 : 1
    }

    func writeBody(into buffer: inout ByteBuffer, version: MQTTProtocolVersion) {
        guard version == .v5 else { return }
        if !self.properties.isEmpty {
            buffer.writeInteger(self.reasonCode.rawValue)
            self.properties.write(into: &buffer)
        } else if self.reasonCode != .success {
            buffer.writeInteger(self.reasonCode.rawValue)
        }
    }
}
