/// Percent-encoding as AWS uses it on the wire and in SigV4.
///
/// AWS's `UriEncode` leaves only the unreserved characters of RFC 3986 as they are
/// (`A-Z a-z 0-9 - _ . ~`) and writes every other byte of the UTF-8 form as `%XY` with
/// upper-case hex digits; spaces become `%20`, never `+`.
public enum AWSPercentEncoding {
    private static let upperHex: [UInt8] = Array("0123456789ABCDEF".utf8)

    /// Whether `byte` is an RFC 3986 unreserved character.
    @inline(__always)
    static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"),
            UInt8(ascii: "."), UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }

    /// Encodes `string` the AWS way.
    ///
    /// - Parameters:
    ///   - string: The text to encode (its UTF-8 bytes are encoded).
    ///   - preservingSlash: Leaves `/` unencoded, as for greedy path labels and canonical URIs.
    public static func encode(_ string: String, preservingSlash: Bool = false) -> String {
        var out: [UInt8] = []
        encode(string.utf8, preservingSlash: preservingSlash, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    static func encode(_ bytes: some Sequence<UInt8>, preservingSlash: Bool, into out: inout [UInt8]) {
        for byte in bytes {
            if isUnreserved(byte) || (preservingSlash && byte == UInt8(ascii: "/")) {
                out.append(byte)
            } else {
                out.append(UInt8(ascii: "%"))
                out.append(upperHex[Int(byte >> 4)])
                out.append(upperHex[Int(byte & 0x0F)])
            }
        }
    }

    /// Decodes `%XY` escapes in `string`; a `%` not followed by two hex digits stays as it is.
    ///
    /// - Parameters:
    ///   - string: Percent-encoded text.
    ///   - plusAsSpace: Decodes `+` as a space, as `application/x-www-form-urlencoded` does.
    /// - Returns: The decoded text; byte sequences that are not UTF-8 are repaired with U+FFFD.
    public static func decode(_ string: some StringProtocol, plusAsSpace: Bool = false) -> String {
        String(decoding: decode(bytes: string.utf8, plusAsSpace: plusAsSpace), as: UTF8.self)
    }

    static func decode(bytes: some Collection<UInt8>, plusAsSpace: Bool) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = bytes.startIndex
        while index != bytes.endIndex {
            let byte = bytes[index]
            if byte == UInt8(ascii: "%") {
                let first = bytes.index(after: index)
                if first != bytes.endIndex {
                    let second = bytes.index(after: first)
                    if second != bytes.endIndex, let high = Hex.value(of: bytes[first]),
                        let low = Hex.value(of: bytes[second])
                    {
                        out.append(high << 4 | low)
                        index = bytes.index(after: second)
                        continue
                    }
                }
                out.append(byte)
            } else if plusAsSpace && byte == UInt8(ascii: "+") {
                out.append(UInt8(ascii: " "))
            } else {
                out.append(byte)
            }
            index = bytes.index(after: index)
        }
        return out
    }
}
