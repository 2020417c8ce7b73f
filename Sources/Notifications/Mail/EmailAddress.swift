/// A mailbox: an address (`local@domain`) and an optional display name, as it appears in `From` and `To`.
///
/// The address is validated when the value is made, so a header built from it can never carry a line
/// break or anything else that would let its text escape the header (header injection).
public struct EmailAddress: Sendable, Hashable, CustomStringConvertible {
    /// The address, `local@domain`. Non-ASCII (internationalised) addresses are accepted; they need a
    /// server that offers SMTPUTF8.
    public let address: String
    /// The name shown to the reader, if any. Encoded (RFC 2047) or quoted when the message is rendered.
    public let displayName: String?

    /// Creates a mailbox.
    /// - Parameters:
    ///   - address: `local@domain`; quoted local parts are not supported.
    ///   - displayName: the name shown to the reader; an empty name is the same as none.
    /// - Throws: ``EmailValidationError`` with ``EmailValidationError/Code/invalidAddress`` or
    ///   ``EmailValidationError/Code/invalidDisplayName`` (line breaks and control characters).
    public init(_ address: String, displayName: String? = nil) throws(EmailValidationError) {
        if let reason = Self.problem(withAddress: address) {
            throw EmailValidationError(.invalidAddress, reason)
        }
        if let displayName, displayName.unicodeScalars.contains(where: Self.isControl) {
            throw EmailValidationError(.invalidDisplayName, "display name contains a line break or control character")
        }
        self.address = address
        self.displayName = displayName?.isEmpty == true ? nil : displayName
    }

    /// The part after the last `@`.
    public var domain: Substring {
        self.address[self.address.index(after: self.address.lastIndex(of: "@")!)...]
    }

    /// Whether the address is plain ASCII (no SMTPUTF8 needed to carry it).
    public var isASCII: Bool { self.address.utf8.allSatisfy { $0 < 0x80 } }

    public var description: String {
        if let displayName { "\(displayName) <\(self.address)>" } else { self.address }
    }
}

extension EmailAddress {
    /// Why `address` is not an acceptable `local@domain` address, or `nil` when it is.
    ///
    /// Used for header addresses and for SMTP envelope addresses alike.
    static func problem(withAddress address: String) -> String? {
        let bytes = Array(address.utf8)
        guard bytes.count <= 254 else { return "address is longer than 254 octets" }
        guard let at = bytes.lastIndex(of: UInt8(ascii: "@")) else { return "address has no '@'" }
        let local = bytes[..<at]
        let domain = bytes[(at + 1)...]
        guard !local.isEmpty, local.count <= 64 else { return "local part must be 1 to 64 octets" }
        guard !domain.isEmpty else { return "domain is empty" }
        if address.unicodeScalars.contains(where: { Self.isControl($0) || $0.properties.isWhitespace }) {
            return "address contains whitespace or control characters"
        }
        guard local.allSatisfy({ $0 >= 0x80 || $0 == UInt8(ascii: ".") || Self.isAtext($0) }) else {
            return "local part contains characters that would need quoting"
        }
        if local.first == UInt8(ascii: ".") || local.last == UInt8(ascii: ".") || Self.hasDoubleDot(local) {
            return "local part has a misplaced '.'"
        }
        if domain.first == UInt8(ascii: "[") {
            let inner = domain.dropFirst().dropLast()
            guard domain.last == UInt8(ascii: "]"), !inner.isEmpty,
                inner.allSatisfy({ Self.isAlphanumeric($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: ":") })
            else { return "malformed address literal" }
            return nil
        }
        for label in domain.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false) {
            guard !label.isEmpty, label.count <= 63 else { return "domain has an empty or over-long label" }
            guard label.allSatisfy({ $0 >= 0x80 || Self.isAlphanumeric($0) || $0 == UInt8(ascii: "-") }),
                label.first != UInt8(ascii: "-"), label.last != UInt8(ascii: "-")
            else { return "domain label has characters other than letters, digits and inner '-'" }
        }
        return nil
    }

    /// C0 and C1 controls, DEL, and the Unicode line and paragraph separators.
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0..<0x20, 0x7F...0x9F, 0x2028, 0x2029: true
        default: false
        }
    }

    /// RFC 5322 `atext`: letters, digits and ``!#$%&'*+-/=?^_`{|}~``.
    static func isAtext(_ byte: UInt8) -> Bool {
        if Self.isAlphanumeric(byte) { return true }
        switch byte {
        case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"),
            UInt8(ascii: "'"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "/"),
            UInt8(ascii: "="), UInt8(ascii: "?"), UInt8(ascii: "^"), UInt8(ascii: "_"), UInt8(ascii: "`"),
            UInt8(ascii: "{"), UInt8(ascii: "|"), UInt8(ascii: "}"), UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        default:
            false
        }
    }

    private static func hasDoubleDot(_ bytes: ArraySlice<UInt8>) -> Bool {
        zip(bytes, bytes.dropFirst()).contains { $0 == UInt8(ascii: ".") && $1 == UInt8(ascii: ".") }
    }
}
