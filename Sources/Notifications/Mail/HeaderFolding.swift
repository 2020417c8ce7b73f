/// Folding of header fields (RFC 5322 §2.2.3): long header lines are broken by putting CRLF before
/// whitespace, which a reader removes again when unfolding.
package enum HeaderFolding {
    /// The longest line the renderer aims for. RFC 5322 recommends 78 characters; RFC 2047 §2 asks for 76
    /// on lines with encoded-words, so 76 is used throughout.
    package static let preferredLineLength = 76
    /// The hard limit of RFC 5322 §2.1.1 (998 characters plus CRLF).
    package static let maximumLineLength = 998

    /// Folds one header field, `Name: value` without a trailing CRLF, into lines of at most `limit`
    /// octets where whitespace allows it. Breaks go only before a whitespace character that follows a
    /// non-whitespace one, so no folded line consists of whitespace only, and never before the first
    /// character of the value.
    /// - Returns: the lines, without their CRLF.
    package static func fold(_ field: String, limit: Int = Self.preferredLineLength) -> [String] {
        let bytes = Array(field.utf8)
        let valueStart = (bytes.firstIndex(of: UInt8(ascii: ":")) ?? 0) + 2
        var lines: [String] = []
        var lineStart = 0
        var candidate: Int?
        for index in bytes.indices {
            let isWhitespace = bytes[index] == UInt8(ascii: " ") || bytes[index] == UInt8(ascii: "\t")
            if isWhitespace, index > valueStart, index > lineStart,
                bytes[index - 1] != UInt8(ascii: " "), bytes[index - 1] != UInt8(ascii: "\t")
            {
                candidate = index
            }
            if index - lineStart + 1 > limit, let breakAt = candidate, breakAt > lineStart {
                lines.append(String(decoding: bytes[lineStart..<breakAt], as: UTF8.self))
                lineStart = breakAt
                candidate = nil
            }
        }
        lines.append(String(decoding: bytes[lineStart...], as: UTF8.self))
        return lines
    }
}
