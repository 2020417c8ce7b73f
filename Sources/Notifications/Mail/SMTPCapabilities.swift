/// The service extensions a server announced in its EHLO reply (RFC 5321 §4.1.1.1).
package struct SMTPCapabilities: Sendable, Hashable {
    /// Command pipelining (RFC 2920).
    package var pipelining = false
    /// STARTTLS (RFC 3207).
    package var startTLS = false
    /// SASL mechanisms offered with AUTH (RFC 4954), uppercased.
    package var authMechanisms: Set<String> = []
    /// The largest message the server accepts (SIZE, RFC 1870); `nil` when not announced or unlimited.
    package var maximumMessageSize: Int?
    /// SMTPUTF8 (RFC 6531).
    package var smtpUTF8 = false
    /// 8BITMIME (RFC 6152).
    package var eightBitMIME = false

    /// No extensions, as after a HELO.
    package init() {}

    /// Reads the capabilities from an EHLO reply: its first line is the server's greeting, each further
    /// line a keyword with optional parameters.
    package init(ehloReply reply: SMTPReply) {
        for line in reply.lines.dropFirst() {
            let words = line.split(whereSeparator: { $0 == " " || $0 == "=" }).map { $0.uppercased() }
            guard let keyword = words.first else { continue }
            switch keyword {
            case "PIPELINING": self.pipelining = true
            case "STARTTLS": self.startTLS = true
            // "AUTH=" is the pre-RFC 4954 form some servers still send beside "AUTH".
            case "AUTH": self.authMechanisms.formUnion(words.dropFirst())
            case "SIZE":
                if let size = words.dropFirst().first.flatMap({ Int($0) }), size > 0 {
                    self.maximumMessageSize = size
                }
            case "SMTPUTF8": self.smtpUTF8 = true
            case "8BITMIME": self.eightBitMIME = true
            default: break
            }
        }
    }
}
