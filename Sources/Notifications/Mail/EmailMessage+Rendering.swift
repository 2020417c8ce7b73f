import AWSWire

extension EmailMessage {
    /// The message in RFC 5322 form with CRLF line endings: headers (`Date`, `From`, `To`, `Subject`,
    /// `Message-ID`, the extra headers, MIME headers), a blank line and the body.
    ///
    /// Non-ASCII subjects and display names become RFC 2047 encoded-words; long header lines are folded.
    /// The body is sent `7bit` when it is printable ASCII with lines of at most 78 characters, and
    /// quoted-printable otherwise, so the message is always 7-bit clean (internationalised addresses aside).
    public func rendered() -> [UInt8] {
        let lines = Self.lines(of: self.body)
        let isSevenBit = lines.allSatisfy { line in
            line.count <= 78 && line.allSatisfy { (32...126).contains($0) || $0 == UInt8(ascii: "\t") }
        }
        var output: [UInt8] = []
        Self.appendFolded("Date: \(AWSTimestamp.rfc5322(self.date))", to: &output)
        Self.appendFolded("From: \(Self.mailbox(self.from))", to: &output)
        Self.appendFolded("To: \(self.to.map(Self.mailbox).joined(separator: ", "))", to: &output)
        output.append(contentsOf: Self.subjectField(self.subject))
        Self.appendFolded("Message-ID: <\(self.messageID)>", to: &output)
        for header in self.headers {
            Self.appendFolded("\(header.name): \(header.value)", to: &output)
        }
        Self.appendFolded("MIME-Version: 1.0", to: &output)
        Self.appendFolded("Content-Type: text/plain; charset=UTF-8", to: &output)
        Self.appendFolded("Content-Transfer-Encoding: \(isSevenBit ? "7bit" : "quoted-printable")", to: &output)
        output.append(contentsOf: [13, 10])
        if isSevenBit {
            for line in lines {
                output.append(contentsOf: line)
                output.append(contentsOf: [13, 10])
            }
        } else {
            output.append(contentsOf: QuotedPrintable.encode(lines: lines))
        }
        return output
    }

    /// Splits text at CRLF, CR or LF. A final line break does not start another (empty) line.
    static func lines(of text: String) -> [ArraySlice<UInt8>] {
        let bytes = Array(text.utf8)
        var lines: [ArraySlice<UInt8>] = []
        var start = 0
        var index = 0
        while index < bytes.count {
            switch bytes[index] {
            case 13:
                lines.append(bytes[start..<index])
                index += index + 1 < bytes.count && bytes[index + 1] == 10 ? 2 : 1
                start = index
            case 10:
                lines.append(bytes[start..<index])
                index += 1
                start = index
            default:
                index += 1
            }
        }
        if start < bytes.count {
            lines.append(bytes[start...])
        }
        return lines
    }

    /// The `Subject` field, folded, with its CRLF: as is when printable ASCII that folds within the
    /// line limit and cannot be mistaken for an encoded-word; as encoded-words otherwise.
    static func subjectField(_ subject: String) -> [UInt8] {
        var output: [UInt8] = []
        if subject.isEmpty {
            Self.appendFolded("Subject:", to: &output)
            return output
        }
        let isPlain =
            subject.utf8.allSatisfy { (32...126).contains($0) || $0 == UInt8(ascii: "\t") }
            && !subject.contains("=?")
        if isPlain {
            let folded = HeaderFolding.fold("Subject: \(subject)")
            if folded.allSatisfy({ $0.utf8.count <= HeaderFolding.maximumLineLength }) {
                Self.append(lines: folded, to: &output)
                return output
            }
        }
        Self.appendFolded("Subject: \(EncodedWord.encode(subject).joined(separator: " "))", to: &output)
        return output
    }

    /// A mailbox for `From`/`To`: the bare address, or `phrase <address>`.
    static func mailbox(_ mailbox: EmailAddress) -> String {
        guard let name = mailbox.displayName else { return mailbox.address }
        return "\(Self.phrase(name)) <\(mailbox.address)>"
    }

    /// A display name as an RFC 5322 phrase: atoms as they are, other ASCII as a quoted-string, anything
    /// non-ASCII as encoded-words (RFC 2047 §5 (3)).
    static func phrase(_ name: String) -> String {
        let bytes = name.utf8
        if !bytes.allSatisfy({ (32...126).contains($0) || $0 == UInt8(ascii: "\t") }) {
            return EncodedWord.encode(name).joined(separator: " ")
        }
        let words = name.split(separator: " ", omittingEmptySubsequences: false)
        let isAtomPhrase =
            !name.contains("=?")
            && words.allSatisfy { word in !word.isEmpty && word.utf8.allSatisfy(EmailAddress.isAtext) }
        if isAtomPhrase {
            return name
        }
        var quoted = "\""
        for character in name {
            if character == "\"" || character == "\\" {
                quoted.append("\\")
            }
            quoted.append(character)
        }
        quoted.append("\"")
        return quoted
    }

    private static func appendFolded(_ field: String, to output: inout [UInt8]) {
        Self.append(lines: HeaderFolding.fold(field), to: &output)
    }

    private static func append(lines: [String], to output: inout [UInt8]) {
        for line in lines {
            output.append(contentsOf: line.utf8)
            output.append(contentsOf: [13, 10])
        }
    }
}
