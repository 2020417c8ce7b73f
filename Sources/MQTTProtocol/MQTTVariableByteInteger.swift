import NIOCore

/// The Variable Byte Integer of MQTT (3.1.1 section 2.2.3, MQTT 5 section 1.5.5): seven bits
/// per byte, least significant group first, the high bit set on every byte but the last.
public enum MQTTVariableByteInteger {
    /// The largest value that fits in four bytes: 268,435,455.
    public static let maximum = 268_435_455

    /// The number of bytes `value` takes on the wire (1 to 4).
    ///
    /// - Precondition: `0 <= value <= maximum`.
    @inlinable
    public static func size(of value: Int) -> Int {
        precondition(value >= 0 && value <= maximum, "value out of range of a variable byte integer")
        if value < 0x80 { return 1 }
        if value < 0x4000 { return 2 }
        if value < 0x20_0000 { return 3 }
        return 4
    }
}

extension ByteBuffer {
    /// Writes `value` as an MQTT Variable Byte Integer in its shortest form.
    ///
    /// - Precondition: `0 <= value <= MQTTVariableByteInteger.maximum`.
    /// - Returns: The number of bytes written.
    @inlinable
    @discardableResult
    public mutating func writeMQTTVariableByteInteger(_ value: Int) -> Int {
        precondition(
            value >= 0 && value <= MQTTVariableByteInteger.maximum,
            "value out of range of a variable byte integer"
        )
        var remaining = value
        var written = 0
        repeat {
            var byte = UInt8(truncatingIfNeeded: remaining & 0x7F)
            remaining >>= 7
            if remaining > 0 { byte |= 0x80 }
            written += self.writeInteger(byte)
        } while remaining > 0
        return written
    }

    /// Reads an MQTT Variable Byte Integer of at most four bytes.
    ///
    /// - Throws: ``MQTTProtocolError/Code/malformedRemainingLength`` for a fifth byte
    ///   [MQTT-1.5.5-1]; ``MQTTProtocolError/Code/malformedPacket`` if the buffer ends first.
    ///   Nothing is consumed when it throws.
    public mutating func readMQTTVariableByteInteger() throws(MQTTProtocolError) -> Int {
        var value = 0
        var index = self.readerIndex
        for shift in stride(from: 0, to: 28, by: 7) {
            guard let byte: UInt8 = self.getInteger(at: index) else {
                throw MQTTProtocolError(.malformedPacket, "variable byte integer ends early")
            }
            index += 1
            value |= Int(byte & 0x7F) << shift
            if byte & 0x80 == 0 {
                self.moveReaderIndex(to: index)
                return value
            }
        }
        throw MQTTProtocolError(.malformedRemainingLength, "variable byte integer longer than 4 bytes [MQTT-1.5.5-1]")
    }
}
