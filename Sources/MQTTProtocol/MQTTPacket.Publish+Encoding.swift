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
        // The fixed header, topic and packet identifier go in with one write.
        let topicLength = self.topic.utf8.count
        precondition(topicLength <= Int(UInt16.max), "MQTT strings are at most 65535 bytes")
        let headerLength = 1 + MQTTVariableByteInteger.size(of: remainingLength) + 2 + topicLength
        let packetIdentifier: UInt16?
        if self.qos == .atMostOnce {
            packetIdentifier = nil
        } else {
            guard let identifier = self.packetIdentifier else {
                preconditionFailure("a PUBLISH with QoS 1 or 2 needs a packet identifier")
            }
            packetIdentifier = identifier
        }
        let firstByte = MQTTPacket.PacketType.publish.rawValue << 4 | self.fixedHeaderFlags
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: headerLength + 2) { out in
            var index = 0
            out[index] = firstByte
            index += 1
            var length = remainingLength
            repeat {
                out[index] = UInt8(truncatingIfNeeded: length & 0x7F) | (length > 0x7F ? 0x80 : 0)
                index += 1
                length >>= 7
            } while length > 0
            out[index] = UInt8(truncatingIfNeeded: topicLength >> 8)
            out[index + 1] = UInt8(truncatingIfNeeded: topicLength)
            index += 2
            let target = UnsafeMutableRawBufferPointer(rebasing: out[index..<(index + topicLength)])
            if self.topic.utf8.withContiguousStorageIfAvailable({ target.copyMemory(from: UnsafeRawBufferPointer($0)) })
                == nil
            {
                for (offset, byte) in self.topic.utf8.enumerated() { target[offset] = byte }
            }
            index += topicLength
            if let packetIdentifier {
                out[index] = UInt8(truncatingIfNeeded: packetIdentifier >> 8)
                out[index + 1] = UInt8(truncatingIfNeeded: packetIdentifier)
                index += 2
            }
            return index
        }
        if version == .v5 { self.properties.write(into: &buffer) }
        buffer.writeImmutableBuffer(self.payload)
    }
}
