import SwiftASN1
import X509
import _CryptoExtras

/// Private key serialization that `Certificate.PrivateKey` does not offer directly.
enum KeyEncoding {
    /// `key` as unencrypted PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`).
    static func pkcs8PEM(of key: Certificate.PrivateKey) throws -> String {
        let document: PEMDocument
        do {
            document = try key.serializeAsPEM()
        } catch {
            throw CertificateAuthorityError(.unsupportedKey, "cannot serialize the private key: \(error)")
        }
        switch document.discriminator {
        case "PRIVATE KEY":
            return PEM.text(derBytes: document.derBytes, label: "PRIVATE KEY")
        case "RSA PRIVATE KEY":
            // swift-certificates writes RSA keys as PKCS#1; re-wrap them as PKCS#8.
            let rsa = try _RSA.Signing.PrivateKey(derRepresentation: document.derBytes)
            return try normalized(rsa.pkcs8PEMRepresentation)
        default:
            throw CertificateAuthorityError(
                .unsupportedKey,
                "cannot write a \(document.discriminator) as PKCS#8"
            )
        }
    }

    /// `pem` re-encoded in the canonical layout (64-character lines, final newline).
    static func normalized(_ pem: String) throws -> String {
        try PEM.blocks(in: pem).map(\.text).joined()
    }
}
