import NIOCore

/// Incremental parser of SMTP replies, multi-line ones included (`250-first`, `250 last`).
///
/// Bytes are appended as they arrive; ``next()`` returns each complete reply. Lines end with CRLF (a bare
/// LF is tolerated). Line length and line count are capped so a hostile server cannot make the client
/// buffer without bound.
package struct SMTPReplyParser: Sendable {
    /// Why a reply could not be parsed.
    package enum Failure: Error, Hashable, Sendable {
        /// A line that does not start with three digits followed by `-`, space or the line end.
        case malformedLine
        /// A continuation line whose code differs from the first line's.
        case inconsistentCode
        /// A line longer than ``SMTPReplyParser/maximumLineLength`` or a reply with more lines than
        /// ``SMTPReplyParser/maximumLineCount``.
        case replyTooLong
    }

    /// RFC 5321 §4.5.3.1.5 allows 512 octets per reply line; four times that is tolerated.
    package static let maximumLineLength = 2048
    /// Replies with more lines than this are refused.
    package static let maximumLineCount = 128

    private var buffer: ByteBuffer
    private var pendingLines: [String] = []
    private var pendingCode: Int?

    package init() {
        self.buffer = ByteBuffer()
    }

    /// Whether bytes are held that are not yet part of a returned reply.
    package var hasBufferedData: Bool {
        self.buffer.readableBytes > 0 || !self.pendingLines.isEmpty
    }

    /// Adds received bytes.
    package mutating func append(_ bytes: ByteBuffer) {
        var bytes = bytes
        if self.buffer.readableBytes == 0 {
            self.buffer = bytes
        } else {
            self.buffer.writeBuffer(&bytes)
        }
    }

    /// The next complete reply, or `nil` when more bytes are needed.
    package mutating func next() throws(Failure) -> SMTPReply? {
        while true {
            let view = self.buffer.readableBytesView
            guard let newline = view.firstIndex(of: 10) else {
                guard view.count <= Self.maximumLineLength else { throw .replyTooLong }
                return nil
            }
            let lineLength = newline - view.startIndex
            guard lineLength <= Self.maximumLineLength else { throw .replyTooLong }
            var line = self.buffer.readBytes(length: lineLength + 1)!
            line.removeLast()
            if line.last == 13 {
                line.removeLast()
            }
            guard line.count >= 3, line[0...2].allSatisfy({ (48...57).contains($0) }),
                line.count == 3 || line[3] == UInt8(ascii: "-") || line[3] == UInt8(ascii: " ")
            else { throw .malformedLine }
            let code = line[0...2].reduce(0) { $0 * 10 + Int($1 - 48) }
            guard (200...599).contains(code) else { throw .malformedLine }
            if let pendingCode, pendingCode != code { throw .inconsistentCode }
            self.pendingCode = code
            self.pendingLines.append(String(decoding: line.dropFirst(4), as: UTF8.self))
            guard self.pendingLines.count <= Self.maximumLineCount else { throw .replyTooLong }
            if line.count == 3 || line[3] == UInt8(ascii: " ") {
                let reply = SMTPReply(code: code, lines: self.pendingLines)
                self.pendingLines = []
                self.pendingCode = nil
                self.buffer.discardReadBytes()
                return reply
            }
        }
    }
}
