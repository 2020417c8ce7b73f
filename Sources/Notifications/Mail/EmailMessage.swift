import Foundation

/// A plain-text e-mail, ready to be rendered as an RFC 5322 message.
///
/// Every field is validated when the value is made: header text that could break out of its header
/// (CR, LF and other control characters) is refused, so ``rendered()`` cannot fail and cannot be used
/// for header injection.
public struct EmailMessage: Sendable, Hashable {
    /// An additional header, such as `List-Unsubscribe`. The value must be printable ASCII on one line;
    /// it is folded at whitespace when long, but never encoded (it may be a structured header).
    public struct Header: Sendable, Hashable {
        /// The field name, e.g. `List-Unsubscribe`.
        public let name: String
        /// The field value, e.g. `<https://example.com/unsubscribe?id=1>`.
        public let value: String

        /// Creates a header; it is validated by ``EmailMessage/init(from:to:subject:body:headers:messageID:date:)``.
        public init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    /// The author (`From`).
    public let from: EmailAddress
    /// The recipients shown in `To` (at least one). The SMTP envelope's recipients are given separately.
    public let to: [EmailAddress]
    /// The subject; any Unicode text without line breaks or control characters (tab allowed).
    public let subject: String
    /// The plain-text body. Line breaks (LF, CR or CRLF) become CRLF.
    public let body: String
    /// Additional headers, rendered after `Message-ID`.
    public let headers: [Header]
    /// The message id without angle brackets, `left@right`.
    public let messageID: String
    /// The origination date (`Date`).
    public let date: Date

    /// Creates a message.
    /// - Parameters:
    ///   - from: the author.
    ///   - to: one or more recipients for the `To` header.
    ///   - subject: the subject; non-ASCII text is encoded (RFC 2047).
    ///   - body: the plain-text body.
    ///   - headers: additional headers; they may not repeat a header the renderer writes itself.
    ///   - messageID: `left@right` without angle brackets; by default a random UUID at the author's domain.
    ///   - date: the origination date, by default now.
    /// - Throws: ``EmailValidationError`` when a field cannot be rendered safely.
    public init(
        from: EmailAddress,
        to: [EmailAddress],
        subject: String,
        body: String,
        headers: [Header] = [],
        messageID: String? = nil,
        date: Date = Date()
    ) throws(EmailValidationError) {
        guard !to.isEmpty else { throw EmailValidationError(.noRecipients, "a message needs at least one recipient") }
        if subject.unicodeScalars.contains(where: { $0 != "\t" && EmailAddress.isControl($0) }) {
            throw EmailValidationError(.invalidSubject, "subject contains a line break or control character")
        }
        for header in headers {
            if let reason = Self.problem(with: header) {
                throw EmailValidationError(.invalidHeader, reason)
            }
        }
        let id = messageID ?? Self.makeMessageID(domain: from.domain)
        if let reason = Self.problem(withMessageID: id) {
            throw EmailValidationError(.invalidMessageID, reason)
        }
        self.from = from
        self.to = to
        self.subject = subject
        self.body = body
        self.headers = headers
        self.messageID = id
        self.date = date
    }

    /// Whether an address in `From` or `To` is internationalised, so the message can only travel through
    /// servers that offer SMTPUTF8 (RFC 6531/6532).
    public var requiresSMTPUTF8: Bool {
        !self.from.isASCII || self.to.contains { !$0.isASCII }
    }

    /// Header names the renderer writes itself, lowercased.
    static let reservedHeaderNames: Set<String> = [
        "date", "from", "to", "subject", "message-id", "mime-version", "content-type", "content-transfer-encoding",
    ]

    private static func problem(with header: Header) -> String? {
        let name = header.name.utf8
        guard !name.isEmpty, name.allSatisfy({ (33...126).contains($0) && $0 != UInt8(ascii: ":") }) else {
            return "header name must be printable ASCII without ':'"
        }
        guard !Self.reservedHeaderNames.contains(header.name.lowercased()) else {
            return "header '\(header.name)' is written by the renderer"
        }
        guard header.value.utf8.allSatisfy({ (32...126).contains($0) || $0 == UInt8(ascii: "\t") }) else {
            return "header '\(header.name)' value must be printable ASCII without line breaks"
        }
        let folded = HeaderFolding.fold("\(header.name): \(header.value)")
        guard folded.allSatisfy({ $0.utf8.count <= HeaderFolding.maximumLineLength }) else {
            return "header '\(header.name)' has a word too long to fold"
        }
        return nil
    }

    private static func problem(withMessageID id: String) -> String? {
        let bytes = id.utf8
        guard bytes.count <= 900,
            bytes.allSatisfy({ (33...126).contains($0) && $0 != UInt8(ascii: "<") && $0 != UInt8(ascii: ">") })
        else { return "message id must be printable ASCII without spaces or angle brackets" }
        guard let at = id.firstIndex(of: "@"), at != id.startIndex, id.index(after: at) != id.endIndex else {
            return "message id must have the form left@right"
        }
        return nil
    }

    private static func makeMessageID(domain: Substring) -> String {
        let asciiDomain = domain.utf8.allSatisfy { $0 < 0x80 } && !domain.hasPrefix("[") ? String(domain) : "localhost"
        return "\(UUID().uuidString.lowercased())@\(asciiDomain)"
    }
}
