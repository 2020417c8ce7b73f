import Foundation

/// Reading and writing PEM text (RFC 7468).
///
/// Reading is lenient, as certificates pasted by people come in many shapes: text around and
/// between blocks is ignored (for example `openssl x509 -text` output), line endings may be
/// LF or CRLF and base64 lines may have any length. Writing is strict: 64-character lines and
/// a final newline, as OpenSSL writes.
public enum PEM {
    /// One `-----BEGIN label-----` … `-----END label-----` block.
    public struct Block: Hashable, Sendable {
        /// The label, such as `CERTIFICATE` or `RSA PRIVATE KEY`.
        public var label: String
        /// The decoded body.
        public var derBytes: [UInt8]

        /// Creates a block.
        public init(label: String, derBytes: [UInt8]) {
            self.label = label
            self.derBytes = derBytes
        }

        /// The block as PEM text: base64 in 64-character lines, ending with a newline.
        public var text: String {
            var text = "-----BEGIN \(self.label)-----\n"
            let base64 = Data(self.derBytes).base64EncodedString()
            var lineStart = base64.startIndex
            while lineStart < base64.endIndex {
                let lineEnd = base64.index(lineStart, offsetBy: 64, limitedBy: base64.endIndex) ?? base64.endIndex
                text += base64[lineStart..<lineEnd]
                text += "\n"
                lineStart = lineEnd
            }
            text += "-----END \(self.label)-----\n"
            return text
        }
    }

    /// Every PEM block in `text`, in order.
    ///
    /// - Throws: ``CertificateAuthorityError/Code-swift.struct/malformedPEM`` when a block has no
    ///   matching END line, carries RFC 1421 headers (legacy encrypted keys) or is not valid base64.
    ///   Text without any block gives an empty array.
    public static func blocks(in text: String) throws -> [Block] {
        var blocks: [Block] = []
        var rest = Substring(text)
        while let begin = rest.range(of: "-----BEGIN ") {
            let afterBegin = rest[begin.upperBound...]
            guard let labelEnd = afterBegin.range(of: "-----"),
                !afterBegin[..<labelEnd.lowerBound].contains(where: \.isNewline)
            else {
                throw CertificateAuthorityError(.malformedPEM, "a BEGIN line is not terminated by '-----'")
            }
            let label = String(afterBegin[..<labelEnd.lowerBound])
            let body = rest[labelEnd.upperBound...]
            guard let end = body.range(of: "-----END \(label)-----") else {
                throw CertificateAuthorityError(.malformedPEM, "'-----BEGIN \(label)-----' has no matching END line")
            }
            let encoded = body[..<end.lowerBound]
            if encoded.contains(":") {
                throw CertificateAuthorityError(
                    .malformedPEM,
                    "the \(label) block has headers (an encrypted legacy PEM); only unencrypted PEM is supported"
                )
            }
            let base64 = String(encoded.filter { !$0.isWhitespace })
            guard let decoded = Data(base64Encoded: base64), !decoded.isEmpty else {
                throw CertificateAuthorityError(.malformedPEM, "the \(label) block is not valid base64")
            }
            blocks.append(Block(label: label, derBytes: Array(decoded)))
            rest = body[end.upperBound...]
        }
        return blocks
    }

    /// The PEM text of `derBytes` under `label`.
    public static func text(derBytes: [UInt8], label: String) -> String {
        Block(label: label, derBytes: derBytes).text
    }
}
