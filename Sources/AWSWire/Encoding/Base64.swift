/// Base64 with the standard alphabet (RFC 4648 §4): AWS's encoding of blobs, MIME encoded-words
/// and SMTP AUTH, and AWS IoT SQL's `encode(…, 'base64')`/`decode(…, 'base64')`.
public enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// The value of each byte in the alphabet; 0xFF for bytes outside it.
    private static let values: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (index, byte) in alphabet.enumerated() { table[Int(byte)] = UInt8(index) }
        return table
    }()

    /// The base64 text of `bytes`, padded with `=` to a multiple of four characters.
    public static func encode(_ bytes: some Collection<UInt8>) -> String {
        var output: [UInt8] = []
        output.reserveCapacity((bytes.count + 2) / 3 * 4)
        var iterator = bytes.makeIterator()
        while let b0 = iterator.next() {
            let b1 = iterator.next()
            let b2 = iterator.next()
            output.append(alphabet[Int(b0 >> 2)])
            output.append(alphabet[Int((b0 & 0x03) << 4 | (b1 ?? 0) >> 4)])
            output.append(b1.map { alphabet[Int(($0 & 0x0F) << 2 | (b2 ?? 0) >> 6)] } ?? UInt8(ascii: "="))
            output.append(b2.map { alphabet[Int($0 & 0x3F)] } ?? UInt8(ascii: "="))
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// The bytes of base64 `text`, or nil when it is not base64. Whitespace is not allowed.
    ///
    /// - Parameters:
    ///   - text: The text.
    ///   - requiringPadding: Whether the text must be padded to a multiple of four characters
    ///     (RFC 4648's rule); when false, the padding may be left out (AWS IoT SQL's `decode`),
    ///     but at most two `=` may end the text either way.
    public static func decode(_ text: some StringProtocol, requiringPadding: Bool = true) -> [UInt8]? {
        let utf8 = Array(text.utf8)
        var end = utf8.count
        while end > 0, utf8[end - 1] == UInt8(ascii: "=") { end -= 1 }
        let padding = utf8.count - end
        guard padding <= 2, end % 4 != 1 else { return nil }
        if requiringPadding, utf8.count % 4 != 0 { return nil }
        var output: [UInt8] = []
        output.reserveCapacity(end * 3 / 4)
        var accumulator: UInt32 = 0
        var bits = 0
        for byte in utf8[..<end] {
            let value = values[Int(byte)]
            guard value != 0xFF else { return nil }
            accumulator = accumulator << 6 | UInt32(value)
            bits += 6
            if bits >= 8 {
                bits -= 8
                output.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
            }
        }
        return output
    }
}
