import NIOCore

// PUBLISH is the packet the broker writes most: it gets its own entry point so that the
// broker can encode a message without wrapping it in `MQTTPacket`.

extension MQTTPacket.Publish {
    /// The fixed header flags: DUP, QoS and RETAIN (3.1.1 section 3.3.1).
    var fixedHeaderFlags: UInt8 {
        var flags = self.qos.rawValue << 1
        if self.duplicate { flags |= 0b1000 }
        if self.retain { flags |= 0b0001 }
        return flags
    }

    func remainingLength(version: MQTTProtocolVersion) -> Int {
        var length = self.topic.mqttEncodedSize + self.payload.readableBytes
        if self.qos != .atMostOnce { length += 2 }
        if version == .v5 { length += self.properties.encodedSize }
        precondition(length <= MQTTVariableByteInteger.maximum, "MQTT packet too large to encode")
        return length
    }

    /// The number of bytes ``encode(into:version:)`` writes, fixed header included.
    public func encodedSize(version: MQTTProtocolVersion) -> Int {
        let remainingLength = self.remainingLength(version: version)
        return 1 + MQTTVariableByteInteger.size(of: remainingLength) + remainingLength
    }

    /// Appends this PUBLISH packet to `buffer`; the payload is copied in once.
    ///
    /// - Precondition: `packetIdentifier` is set when `qos` is 1 or 2; the topic is at
    ///   most 65,535 bytes.
    public func encode(into buffer: inout ByteBuffer, version: MQTTProtocolVersion) {
        let remainingLength = self.remainingLength(version: version)
        buffer.reserveCapacity(
            minimumWritableBytes: 1 + MQTTVariableByteInteger.size(of: remainingLength) + remainingLength
        )
        buffer.writeInteger(MQTTPacket.PacketType.publish.rawValue << 4 | self.fixedHeaderFlags)
        buffer.writeMQTTVariableByteInteger(remainingLength)
        self.writeBody(into: &buffer, version: version)
    }

    func writeBody(into buffer: inout ByteBuffer, version: MQTTProtocolVersion) {
        buffer.writeMQTTString(self.topic)
        if self.qos != .atMostOnce {
            guard let packetIdentifier = self.packetIdentifier else {
                preconditionFailure("a PUBLISH with QoS 1 or 2 needs a packet identifier")
            }
            buffer.writeInteger(packetIdentifier)
        }
        if version == .v5 { self.properties.write(into: &buffer) }
        buffer.writeImmutableBuffer(self.payload)
    }
}
