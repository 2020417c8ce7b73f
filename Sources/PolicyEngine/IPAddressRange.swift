/// An IPv4 or IPv6 address block in CIDR notation (`203.0.113.0/24`, `2001:db8::/32`), as
/// used by the `IpAddress` and `NotIpAddress` condition operators. A bare address is a
/// block of one address.
package struct IPAddressRange: Sendable, Hashable {
    /// An address as 128 bits; IPv4 uses the low 32 bits of `low`.
    package struct Address: Sendable, Hashable {
        package var high: UInt64
        package var low: UInt64
        package var isIPv6: Bool
    }

    package let network: Address
    package let prefixLength: Int

    /// Parses `a.b.c.d[/n]` or an IPv6 address with an optional `/n`.
    package init?(_ text: String) {
        let address: Substring
        var length: Int?
        if let slash = text.firstIndex(of: "/") {
            address = text[..<slash]
            let digits = text[text.index(after: slash)...]
            guard !digits.isEmpty, digits.count <= 3, digits.allSatisfy(\.isASCIIDigit), let value = Int(digits)
            else { return nil }
            length = value
        } else {
            address = text[...]
        }
        guard let parsed = Self.parseAddress(address) else { return nil }
        let maximum = parsed.isIPv6 ? 128 : 32
        let prefix = length ?? maximum
        guard prefix <= maximum else { return nil }
        self.prefixLength = prefix
        self.network = Self.masked(parsed, prefixLength: prefix)
    }

    /// Whether `address` lies in the block. An IPv4-mapped IPv6 address (`::ffff:a.b.c.d`)
    /// is compared as IPv4, which is how dual-stack sockets report IPv4 peers.
    package func contains(_ address: Address) -> Bool {
        var candidate = address
        if candidate.isIPv6 && !network.isIPv6 && candidate.high == 0 && candidate.low >> 32 == 0xFFFF {
            candidate = Address(high: 0, low: candidate.low & 0xFFFF_FFFF, isIPv6: false)
        }
        guard candidate.isIPv6 == network.isIPv6 else { return false }
        return Self.masked(candidate, prefixLength: prefixLength) == network
    }

    /// Whether the text address lies in the block; `false` when it is not an address.
    package func contains(_ text: String) -> Bool {
        guard let address = Self.parseAddress(text[...]) else { return false }
        return contains(address)
    }

    private static func masked(_ address: Address, prefixLength: Int) -> Address {
        var result = address
        if address.isIPv6 {
            let highBits = min(prefixLength, 64)
            let lowBits = max(prefixLength - 64, 0)
            result.high = highBits == 0 ? 0 : address.high & (UInt64.max << (64 - highBits))
            result.low = lowBits == 0 ? 0 : address.low & (UInt64.max << (64 - lowBits))
        } else {
            let mask: UInt64 = prefixLength == 0 ? 0 : (0xFFFF_FFFF << (32 - prefixLength)) & 0xFFFF_FFFF
            result.low = address.low & mask
        }
        return result
    }

    /// Parses an IPv4 or IPv6 address (no zone index).
    package static func parseAddress(_ text: Substring) -> Address? {
        if text.contains(":") { return parseIPv6(text) }
        guard let value = parseIPv4(text) else { return nil }
        return Address(high: 0, low: UInt64(value), isIPv6: false)
    }

    private static func parseIPv4(_ text: Substring) -> UInt32? {
        let octets = text.split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4 else { return nil }
        var value: UInt32 = 0
        for octet in octets {
            guard !octet.isEmpty, octet.count <= 3, octet.allSatisfy(\.isASCIIDigit),
                let number = UInt32(octet), number <= 255
            else { return nil }
            value = value << 8 | number
        }
        return value
    }

    private static func parseIPv6(_ text: Substring) -> Address? {
        var groups: [UInt16] = []
        var compressionIndex: Int?
        var rest = text
        if rest.hasPrefix("::") {
            compressionIndex = 0
            rest = rest.dropFirst(2)
        }
        while !rest.isEmpty {
            let end = rest.firstIndex(of: ":") ?? rest.endIndex
            let piece = rest[..<end]
            if piece.contains(".") {
                // An embedded IPv4 address ends the text.
                guard end == rest.endIndex, let ipv4 = parseIPv4(piece) else { return nil }
                groups.append(UInt16(ipv4 >> 16))
                groups.append(UInt16(ipv4 & 0xFFFF))
                rest = rest[end...]
                break
            }
            guard !piece.isEmpty, piece.count <= 4, let group = UInt16(piece, radix: 16),
                piece.allSatisfy(\.isHexDigit)
            else { return nil }
            groups.append(group)
            rest = rest[end...]
            if rest.hasPrefix("::") {
                guard compressionIndex == nil else { return nil }
                compressionIndex = groups.count
                rest = rest.dropFirst(2)
            } else if rest.hasPrefix(":") {
                rest = rest.dropFirst()
                guard !rest.isEmpty else { return nil }
            }
        }
        if let compressionIndex {
            guard groups.count < 8 else { return nil }
            let zeros = [UInt16](repeating: 0, count: 8 - groups.count)
            groups.insert(contentsOf: zeros, at: compressionIndex)
        }
        guard groups.count == 8 else { return nil }
        var high: UInt64 = 0
        var low: UInt64 = 0
        for group in groups[0..<4] { high = high << 16 | UInt64(group) }
        for group in groups[4..<8] { low = low << 16 | UInt64(group) }
        return Address(high: high, low: low, isIPv6: true)
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isWholeNumber }
}
