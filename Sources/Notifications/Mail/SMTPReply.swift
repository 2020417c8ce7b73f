/// One reply from an SMTP server (RFC 5321 §4.2): a three-digit code and one or more lines of text.
package struct SMTPReply: Sendable, Hashable, CustomStringConvertible {
    /// The reply code, 200…599.
    package var code: Int
    /// The text of each line, without the code and the separator (`-` or space).
    package var lines: [String]

    package init(code: Int, lines: [String]) {
        self.code = code
        self.lines = lines
    }

    /// 2xx: the command was accepted.
    package var isPositiveCompletion: Bool { (200..<300).contains(self.code) }
    /// 3xx: the server waits for more (354 after DATA, 334 during AUTH).
    package var isPositiveIntermediate: Bool { (300..<400).contains(self.code) }
    /// 4xx: a temporary failure; the same command may succeed later.
    package var isTransientFailure: Bool { (400..<500).contains(self.code) }
    /// 5xx: a permanent failure.
    package var isPermanentFailure: Bool { (500..<600).contains(self.code) }

    /// All lines joined by a space, as it goes into error messages.
    package var text: String { self.lines.joined(separator: " ") }

    package var description: String { "\(self.code) \(self.text)" }
}
