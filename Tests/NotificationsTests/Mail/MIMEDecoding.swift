import AWSWire

@testable import Notifications

/// Decoders for what the renderer produces, written independently of it, so tests can check round trips.
enum MIMEDecoding {
    /// Splits a rendered message into unfolded header fields and the body.
    static func split(_ message: [UInt8]) -> (headers: [(name: String, value: String)], body: [UInt8]) {
        let text = String(decoding: message, as: UTF8.self)
        guard let end = text.range(of: "\r\n\r\n") else { return ([], []) }
        let headerText = String(text[..<end.lowerBound])
        let bodyStart = message.count - text[end.upperBound...].utf8.count
        var fields: [(String, String)] = []
        for line in headerText.components(separatedBy: "\r\n") {
            if line.first == " " || line.first == "\t", let last = fields.popLast() {
                fields.append((last.0, last.1 + line))
            } else if let colon = line.firstIndex(of: ":") {
                var value = String(line[line.index(after: colon)...])
                if value.first == " " { value.removeFirst() }
                fields.append((String(line[..<colon]), value))
            }
        }
        return (fields, Array(message[bodyStart...]))
    }

    /// The value of the first header named `name` (case-insensitive), unfolded.
    static func header(_ name: String, in message: [UInt8]) -> String? {
        self.split(message).headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    /// Decodes RFC 2047 `=?UTF-8?B?…?=` words; whitespace between adjacent encoded words is dropped.
    static func decodeEncodedWords(_ value: String) -> String? {
        let tokens = value.split(separator: " ", omittingEmptySubsequences: true)
        var bytes: [UInt8] = []
        var previous: Bool?  // whether the previous token was an encoded word
        for token in tokens {
            let isEncoded = token.hasPrefix("=?UTF-8?B?") && token.hasSuffix("?=")
            if let previous, !(previous && isEncoded) {
                bytes.append(UInt8(ascii: " "))
            }
            if isEncoded {
                guard let decoded = Base64.decode(token.dropFirst(10).dropLast(2)) else { return nil }
                bytes += decoded
            } else {
                bytes += token.utf8
            }
            previous = isEncoded
        }
        return String(validating: bytes, as: UTF8.self)
    }

    /// Decodes a quoted-printable body (RFC 2045 §6.7): `=XX` escapes, soft line breaks `=` CRLF.
    static func decodeQuotedPrintable(_ encoded: [UInt8]) -> [UInt8]? {
        var output: [UInt8] = []
        var index = 0
        func hex(_ byte: UInt8) -> UInt8? {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
            case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
            default: nil
            }
        }
        while index < encoded.count {
            let byte = encoded[index]
            if byte == UInt8(ascii: "=") {
                if index + 2 < encoded.count, encoded[index + 1] == 13, encoded[index + 2] == 10 {
                    index += 3
                    continue
                }
                guard index + 2 < encoded.count, let high = hex(encoded[index + 1]), let low = hex(encoded[index + 2])
                else { return nil }
                output.append(high << 4 | low)
                index += 3
            } else {
                output.append(byte)
                index += 1
            }
        }
        return output
    }

    /// The lines of `bytes` split at CRLF (the last, empty, piece after a final CRLF dropped).
    static func lines(_ bytes: [UInt8]) -> [String] {
        var lines = String(decoding: bytes, as: UTF8.self).components(separatedBy: "\r\n")
        if lines.last == "" { lines.removeLast() }
        return lines
    }
}
