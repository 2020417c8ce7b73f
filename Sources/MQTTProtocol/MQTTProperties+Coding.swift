import NIOCore

// MQTT 5 properties on the wire (MQTT 5 section 2.2.2): a Variable Byte Integer length, then
// each property as its identifier followed by a value of the identifier's data type.

extension MQTTProperties {
    /// The bytes of the properties, without the length prefix.
    var encodedLength: Int {
        var length = 0
        for property in self.properties { length += property.encodedSize }
        return length
    }

    /// The bytes of the property length prefix and the properties.
    var encodedSize: Int {
        let length = self.encodedLength
        return MQTTVariableByteInteger.size(of: length) + length
    }

    /// Writes the property length and the properties.
    func write(into buffer: inout ByteBuffer) {
        buffer.writeMQTTVariableByteInteger(self.encodedLength)
        for property in self.properties { property.write(into: &buffer) }
    }

    /// Reads a property length and that many bytes of properties.
    static func read(from buffer: inout ByteBuffer) throws(MQTTProtocolError) -> MQTTProperties {
        let length = try buffer.readMQTTBodyVariableByteInteger()
        if length == 0 { return .none }
        guard var slice = buffer.readSlice(length: length) else { throw ByteBuffer.truncated() }
        var properties: [MQTTProperty] = []
        while slice.readableBytes > 0 {
            properties.append(try MQTTProperty.read(from: &slice))
        }
        return MQTTProperties(properties)
    }
}

extension MQTTProperty {
    /// The bytes of this property including its identifier.
    var encodedSize: Int {
        switch self {
        case .payloadFormatIndicator, .requestProblemInformation, .requestResponseInformation, .maximumQoS,
            .retainAvailable, .wildcardSubscriptionAvailable, .subscriptionIdentifierAvailable,
            .sharedSubscriptionAvailable:
            return 2
        case .serverKeepAlive, .receiveMaximum, .topicAliasMaximum, .topicAlias:
            return 3
        case .messageExpiryInterval, .sessionExpiryInterval, .willDelayInterval, .maximumPacketSize:
            return 5
        case .subscriptionIdentifier(let value):
            return 1 + MQTTVariableByteInteger.size(of: Int(value))
        case .contentType(let string), .responseTopic(let string), .assignedClientIdentifier(let string),
            .authenticationMethod(let string), .responseInformation(let string), .serverReference(let string),
            .reasonString(let string):
            return 1 + string.mqttEncodedSize
        case .correlationData(let bytes), .authenticationData(let bytes):
            return 3 + bytes.readableBytes
        case .userProperty(let key, let value):
            return 1 + key.mqttEncodedSize + value.mqttEncodedSize
        }
    }

    func write(into buffer: inout ByteBuffer) {
        buffer.writeInteger(self.identifier)
        switch self {
        case .payloadFormatIndicator(let byte), .requestProblemInformation(let byte),
            .requestResponseInformation(let byte), .maximumQoS(let byte), .retainAvailable(let byte),
            .wildcardSubscriptionAvailable(let byte), .subscriptionIdentifierAvailable(let byte),
            .sharedSubscriptionAvailable(let byte):
            buffer.writeInteger(byte)
        case .serverKeepAlive(let value), .receiveMaximum(let value), .topicAliasMaximum(let value),
            .topicAlias(let value):
            buffer.writeInteger(value)
        case .messageExpiryInterval(let value), .sessionExpiryInterval(let value), .willDelayInterval(let value),
            .maximumPacketSize(let value):
            buffer.writeInteger(value)
        case .subscriptionIdentifier(let value):
            buffer.writeMQTTVariableByteInteger(Int(value))
        case .contentType(let string), .responseTopic(let string), .assignedClientIdentifier(let string),
            .authenticationMethod(let string), .responseInformation(let string), .serverReference(let string),
            .reasonString(let string):
            buffer.writeMQTTString(string)
        case .correlationData(let bytes), .authenticationData(let bytes):
            buffer.writeMQTTBinary(bytes)
        case .userProperty(let key, let value):
            buffer.writeMQTTString(key)
            buffer.writeMQTTString(value)
        }
    }

    static func read(from buffer: inout ByteBuffer) throws(MQTTProtocolError) -> MQTTProperty {
        // Identifiers are Variable Byte Integers; every defined one fits in one byte.
        let identifier = try buffer.readMQTTBodyVariableByteInteger()
        switch identifier {
        case 0x01: return .payloadFormatIndicator(try buffer.readMQTTByte())
        case 0x02: return .messageExpiryInterval(try buffer.readMQTTUInt32())
        case 0x03: return .contentType(try buffer.readMQTTString())
        case 0x08: return .responseTopic(try buffer.readMQTTString())
        case 0x09: return .correlationData(try buffer.readMQTTBinary())
        case 0x0B: return .subscriptionIdentifier(UInt32(try buffer.readMQTTBodyVariableByteInteger()))
        case 0x11: return .sessionExpiryInterval(try buffer.readMQTTUInt32())
        case 0x12: return .assignedClientIdentifier(try buffer.readMQTTString())
        case 0x13: return .serverKeepAlive(try buffer.readMQTTUInt16())
        case 0x15: return .authenticationMethod(try buffer.readMQTTString())
        case 0x16: return .authenticationData(try buffer.readMQTTBinary())
        case 0x17: return .requestProblemInformation(try buffer.readMQTTByte())
        case 0x18: return .willDelayInterval(try buffer.readMQTTUInt32())
        case 0x19: return .requestResponseInformation(try buffer.readMQTTByte())
        case 0x1A: return .responseInformation(try buffer.readMQTTString())
        case 0x1C: return .serverReference(try buffer.readMQTTString())
        case 0x1F: return .reasonString(try buffer.readMQTTString())
        case 0x21: return .receiveMaximum(try buffer.readMQTTUInt16())
        case 0x22: return .topicAliasMaximum(try buffer.readMQTTUInt16())
        case 0x23: return .topicAlias(try buffer.readMQTTUInt16())
        case 0x24: return .maximumQoS(try buffer.readMQTTByte())
        case 0x25: return .retainAvailable(try buffer.readMQTTByte())
        case 0x26:
            let key = try buffer.readMQTTString()
            return .userProperty(key: key, value: try buffer.readMQTTString())
        case 0x27: return .maximumPacketSize(try buffer.readMQTTUInt32())
        case 0x28: return .wildcardSubscriptionAvailable(try buffer.readMQTTByte())
        case 0x29: return .subscriptionIdentifierAvailable(try buffer.readMQTTByte())
        case 0x2A: return .sharedSubscriptionAvailable(try buffer.readMQTTByte())
        default:
            throw MQTTProtocolError(.malformedPacket, "unknown MQTT 5 property identifier")
        }
    }
}
