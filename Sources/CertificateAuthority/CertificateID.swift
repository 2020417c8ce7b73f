import Crypto
import Foundation
import X509

/// Certificate ids as AWS IoT forms them: the lowercase hexadecimal SHA-256 of the
/// certificate's DER encoding (64 characters).
public enum CertificateID {
    /// The id of the certificate whose DER encoding is `derBytes`.
    public static func make(derBytes: some DataProtocol) -> String {
        let digest = SHA256.hash(data: derBytes)
        return digest.map { byte in
            let hex = String(byte, radix: 16)
            return byte < 0x10 ? "0" + hex : hex
        }.joined()
    }

    /// The id of `certificate`.
    public static func make(for certificate: Certificate) -> String {
        make(derBytes: CertificateCoding.derBytes(of: certificate))
    }

    /// Whether `id` has the form of a certificate id: 64 hexadecimal digits.
    ///
    /// AWS accepts either case on input; ids Thingport produces are lowercase.
    public static func isWellFormed(_ id: String) -> Bool {
        id.utf8.count == 64
            && id.utf8.allSatisfy { byte in
                (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                    || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
                    || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(byte)
            }
    }
}
