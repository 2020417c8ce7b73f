import X509

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A name a server certificate answers to: a DNS name or an IP address.
enum ServerHost: Hashable {
    /// A lowercase DNS name, possibly with a leading `*.` wildcard label.
    case dnsName(String)
    /// An IPv4 (4 bytes) or IPv6 (16 bytes) address.
    case ipAddress([UInt8])

    /// Parses a host as given on the command line: an IP address (IPv6 optionally in
    /// brackets) or a DNS name (a trailing dot is dropped, case is folded).
    init(parsing text: String) throws {
        var host = Substring(text)
        if host.hasPrefix("["), host.hasSuffix("]") {
            host = host.dropFirst().dropLast()
        }
        if let address = Self.ipAddressBytes(String(host)) {
            self = .ipAddress(address)
            return
        }
        if host.hasSuffix(".") {
            host = host.dropLast()
        }
        let name = host.lowercased()
        try Self.validateDNSName(name, original: text)
        self = .dnsName(name)
    }

    /// The subjectAltName entry for this host.
    var generalName: GeneralName {
        switch self {
        case .dnsName(let name): .dnsName(name)
        case .ipAddress(let bytes): .ipAddress(.init(contentBytes: bytes[...]))
        }
    }

    /// Whether the subjectAltName entry `name` covers this host (a `*.` wildcard covers one
    /// leftmost label).
    func isCovered(by name: GeneralName) -> Bool {
        switch (self, name) {
        case (.ipAddress(let bytes), .ipAddress(let octets)):
            return Array(octets.bytes) == bytes
        case (.dnsName(let host), .dnsName(let pattern)):
            let pattern = pattern.lowercased()
            if pattern == host {
                return true
            }
            guard pattern.hasPrefix("*."), let dot = host.firstIndex(of: ".") else {
                return false
            }
            return host[dot...] == pattern.dropFirst()
        default:
            return false
        }
    }

    private static func ipAddressBytes(_ text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            return withUnsafeBytes(of: &v4) { Array($0) }
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 {
            return withUnsafeBytes(of: &v6) { Array($0) }
        }
        return nil
    }

    private static func validateDNSName(_ name: String, original: String) throws {
        func invalid(_ why: String) -> CertificateAuthorityError {
            CertificateAuthorityError(.invalidHost, "'\(original)' is not a valid host name or IP address: \(why)")
        }
        guard !name.isEmpty, name.utf8.count <= 253 else {
            throw invalid("empty or longer than 253 characters")
        }
        let labels = name.split(separator: ".", omittingEmptySubsequences: false)
        for (index, label) in labels.enumerated() {
            if index == 0, label == "*", labels.count > 2 {
                continue
            }
            guard !label.isEmpty, label.utf8.count <= 63 else {
                throw invalid("labels must have 1 to 63 characters")
            }
            guard
                label.utf8.allSatisfy({ byte in
                    (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                        || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                        || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
                })
            else {
                throw invalid("only letters, digits, '-' and '_' are allowed (use punycode for other names)")
            }
            guard !label.hasPrefix("-"), !label.hasSuffix("-") else {
                throw invalid("a label starts or ends with '-'")
            }
        }
        if let last = labels.last, last.allSatisfy(\.isNumber) {
            throw invalid("the last label is numeric, but the text is not an IP address")
        }
    }
}
