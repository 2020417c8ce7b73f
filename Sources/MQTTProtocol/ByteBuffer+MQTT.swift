import NIOCore

// Reading and writing the MQTT data representations (3.1.1 section 1.5, MQTT 5 section 1.5)
// on a packet body. Every read throws `malformedPacket` when the body is too short.

extension ByteBuffer {
    @inline(__always)
    static func truncated() -> MQTTProtocolError {
        MQTTProtocolError(.malformedPacket, "packet body shorter than its fields")
    }

    mutating func readMQTTByte() throws(MQTTProtocolError) -> UInt8 {
        guard let value = self.readInteger(as: UInt8.self) else { throw Self.truncated() }
        return value
    }

    mutating func readMQTTUInt16() throws(MQTTProtocolError) -> UInt16 {
        guard let value = self.readInteger(as: UInt16.self) else { throw Self.truncated() }
        return value
    }

    mutating func readMQTTUInt32() throws(MQTTProtocolError) -> UInt32 {
        guard let value = self.readInteger(as: UInt32.self) else { throw Self.truncated() }
        return value
    }

    /// A packet identifier, which is never zero [MQTT-2.3.1-1].
    mutating func readMQTTPacketIdentifier() throws(MQTTProtocolError) -> MQTTPacketIdentifier {
        let identifier = try self.readMQTTUInt16()
        // [MQTT-2.3.1-1] packet identifiers are non-zero.
        guard identifier != 0 else {
            throw MQTTProtocolError(.invalidPacketIdentifier, "packet identifier 0 [MQTT-2.3.1-1]")
        }
        return identifier
    }

    /// A UTF-8 encoded string: two-byte length, then well-formed UTF-8 without U+0000.
    mutating func readMQTTString() throws(MQTTProtocolError) -> String {
        let length = Int(try self.readMQTTUInt16())
        guard self.readableBytes >= length else { throw Self.truncated() }
        if length == 0 { return "" }
        let string = self.withUnsafeReadableBytes {
            MQTTUTF8.decode(UnsafeRawBufferPointer(rebasing: $0.prefix(length)))
        }
        // [MQTT-1.5.3-1] well-formed UTF-8; [MQTT-1.5.3-2] no U+0000.
        guard let string else {
            throw MQTTProtocolError(.invalidUTF8, "string is not well-formed UTF-8 or holds U+0000 [MQTT-1.5.3-1/2]")
        }
        self.moveReaderIndex(forwardBy: length)
        return string
    }

    /// The topic name and, for QoS 1 and 2, the packet identifier of a PUBLISH, read in a
    /// single access to the buffer: the hot path of every broker.
    ///
    /// An empty topic name is returned as is: MQTT 5 allows it together with a Topic Alias.
    mutating func readMQTTPublishHeader(
        hasPacketIdentifier: Bool
    ) throws(MQTTProtocolError) -> (topic: String, packetIdentifier: MQTTPacketIdentifier?) {
        let result = self.withUnsafeReadableBytes { bytes -> Result<(String, UInt16?, Int), MQTTProtocolError> in
            guard bytes.count >= 2 else { return .failure(Self.truncated()) }
            let length = Int(bytes[0]) << 8 | Int(bytes[1])
            let consumed = 2 + length + (hasPacketIdentifier ? 2 : 0)
            guard bytes.count >= consumed else { return .failure(Self.truncated()) }
            let topicBytes = UnsafeRawBufferPointer(rebasing: bytes[2..<(2 + length)])
            // [MQTT-3.3.2-2] the topic name holds no wildcard characters.
            if topicBytes.contains(where: { $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "#") }) {
                return .failure(MQTTProtocolError(.invalidTopicName, "wildcard in topic name [MQTT-3.3.2-2]"))
            }
            // [MQTT-1.5.3-1] well-formed UTF-8; [MQTT-1.5.3-2] no U+0000.
            guard let topic = length == 0 ? "" : MQTTUTF8.decode(topicBytes) else {
                return .failure(
                    MQTTProtocolError(.invalidUTF8, "topic is not well-formed UTF-8 or holds U+0000 [MQTT-1.5.3-1/2]")
                )
            }
            guard hasPacketIdentifier else { return .success((topic, nil, consumed)) }
            let identifier = UInt16(bytes[2 + length]) << 8 | UInt16(bytes[3 + length])
            // [MQTT-2.3.1-1] QoS 1 and 2 carry a non-zero packet identifier.
            guard identifier != 0 else {
                return .failure(MQTTProtocolError(.invalidPacketIdentifier, "packet identifier 0 [MQTT-2.3.1-1]"))
            }
            return .success((topic, identifier, consumed))
        }
        switch result {
        case .success(let (topic, packetIdentifier, consumed)):
            self.moveReaderIndex(forwardBy: consumed)
            return (topic, packetIdentifier)
        case .failure(let error):
            throw error
        }
    }

    /// Binary data: two-byte length, then the bytes, as a slice of this buffer.
    mutating func readMQTTBinary() throws(MQTTProtocolError) -> ByteBuffer {
        let length = Int(try self.readMQTTUInt16())
        guard let slice = self.readSlice(length: length) else { throw Self.truncated() }
        return slice
    }

    /// The Variable Byte Integer inside a body, where running out of bytes is truncation.
    mutating func readMQTTBodyVariableByteInteger() throws(MQTTProtocolError) -> Int {
        do {
            return try self.readMQTTVariableByteInteger()
        } catch {
            throw MQTTProtocolError(.malformedPacket, "malformed variable byte integer in packet body")
        }
    }

    /// Writes a UTF-8 encoded string with its two-byte length.
    ///
    /// - Precondition: the string is at most 65,535 bytes of UTF-8.
    @inline(__always)
    mutating func writeMQTTString(_ string: String) {
        let length = string.utf8.count
        precondition(length <= Int(UInt16.max), "MQTT strings are at most 65535 bytes")
        self.writeInteger(UInt16(truncatingIfNeeded: length))
        self.writeString(string)
    }

    /// Writes binary data with its two-byte length.
    ///
    /// - Precondition: at most 65,535 bytes.
    @inline(__always)
    mutating func writeMQTTBinary(_ bytes: ByteBuffer) {
        precondition(bytes.readableBytes <= Int(UInt16.max), "MQTT binary data is at most 65535 bytes")
        self.writeInteger(UInt16(truncatingIfNeeded: bytes.readableBytes))
        self.writeImmutableBuffer(bytes)
    }
}

extension String {
    /// The size of this string as an MQTT UTF-8 encoded string field.
    @inline(__always)
    var mqttEncodedSize: Int { 2 + self.utf8.count }
}
