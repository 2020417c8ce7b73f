import X509

extension Certificate.SerialNumber {
    /// A random positive serial number of at most `byteCount` bytes (RFC 5280 allows 20).
    ///
    /// The top bit is cleared so the DER INTEGER needs no leading zero byte.
    static func random(byteCount: Int) -> Self {
        var generator = SystemRandomNumberGenerator()
        var bytes = (0..<byteCount).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        bytes[0] &= 0x7F
        if bytes.allSatisfy({ $0 == 0 }) {
            bytes[byteCount - 1] = 1
        }
        return Self(bytes: bytes)
    }
}
