import NIOCore

/// The message content of the DATA command as it goes on the wire (RFC 5321 §4.1.1.4, §4.5.2).
package enum SMTPDataEncoder {
    /// Writes `message` with every line ending made CRLF (bare LF and bare CR included), each line that
    /// starts with `.` given one more `.` (dot-stuffing), a CRLF added when the content does not end with
    /// one, and the terminating `.` CRLF.
    package static func encode(_ message: some Collection<UInt8>, into buffer: inout ByteBuffer) {
        buffer.reserveCapacity(minimumWritableBytes: message.count + message.count / 32 + 5)
        var atLineStart = true
        var previousWasCR = false
        for byte in message {
            switch byte {
            case 13:
                buffer.writeBytes([13, 10])
                atLineStart = true
                previousWasCR = true
                continue
            case 10:
                if !previousWasCR {
                    buffer.writeBytes([13, 10])
                }
                atLineStart = true
            default:
                if atLineStart && byte == UInt8(ascii: ".") {
                    buffer.writeInteger(UInt8(ascii: "."))
                }
                buffer.writeInteger(byte)
                atLineStart = false
            }
            previousWasCR = false
        }
        if !atLineStart {
            buffer.writeBytes([13, 10])
        }
        buffer.writeBytes(Array(".\r\n".utf8))
    }
}
