import SwiftASN1
import X509

/// Conversions between certificates, keys and their DER and PEM forms.
public enum CertificateCoding {
    /// The DER encoding of `certificate` (the bytes it was parsed from or signed as).
    public static func derBytes(of certificate: Certificate) -> [UInt8] {
        var serializer = DER.Serializer()
        do {
            try serializer.serialize(certificate)
        } catch {
            // A Certificate serializes by copying the DER slices it keeps; nothing can throw.
            preconditionFailure("serializing a certificate failed: \(error)")
        }
        return serializer.serializedBytes
    }

    /// The certificate encoded by `derBytes`.
    ///
    /// - Throws: ``CertificateAuthorityError/Code-swift.struct/malformedCertificate``.
    public static func certificate(derBytes: [UInt8]) throws -> Certificate {
        do {
            return try Certificate(derEncoded: derBytes)
        } catch {
            throw CertificateAuthorityError(.malformedCertificate, "not a DER X.509 certificate: \(error)")
        }
    }

    /// `certificate` as a PEM `CERTIFICATE` block, ending with a newline.
    public static func pem(of certificate: Certificate) -> String {
        PEM.text(derBytes: derBytes(of: certificate), label: "CERTIFICATE")
    }

    /// Every certificate in `pem`, in order (a chain or bundle).
    ///
    /// - Throws: ``CertificateAuthorityError/Code-swift.struct/malformedPEM`` when there is no
    ///   block or a block is not a `CERTIFICATE`;
    ///   ``CertificateAuthorityError/Code-swift.struct/malformedCertificate`` when a block does
    ///   not hold a certificate.
    public static func certificates(pem: String) throws -> [Certificate] {
        let blocks = try PEM.blocks(in: pem)
        guard !blocks.isEmpty else {
            throw CertificateAuthorityError(.malformedPEM, "no '-----BEGIN CERTIFICATE-----' block found")
        }
        return try blocks.map { block in
            guard block.label == "CERTIFICATE" else {
                throw CertificateAuthorityError(
                    .malformedPEM,
                    "expected only CERTIFICATE blocks, found '\(block.label)'"
                )
            }
            return try certificate(derBytes: block.derBytes)
        }
    }

    /// The single certificate in `pem`.
    ///
    /// - Throws: as ``certificates(pem:)``, and
    ///   ``CertificateAuthorityError/Code-swift.struct/malformedPEM`` when there is more than one.
    public static func certificate(pem: String) throws -> Certificate {
        let certificates = try certificates(pem: pem)
        guard certificates.count == 1 else {
            throw CertificateAuthorityError(
                .malformedPEM,
                "expected one certificate, found \(certificates.count)"
            )
        }
        return certificates[0]
    }

    /// The private key in `pem`: PKCS#1 (`RSA PRIVATE KEY`), SEC1 (`EC PRIVATE KEY`) or
    /// PKCS#8 (`PRIVATE KEY`), unencrypted. RSA keys must have at least 2048 bits.
    ///
    /// - Throws: ``CertificateAuthorityError/Code-swift.struct/malformedPEM`` or
    ///   ``CertificateAuthorityError/Code-swift.struct/malformedPrivateKey``.
    public static func privateKey(pem: String) throws -> Certificate.PrivateKey {
        let blocks = try PEM.blocks(in: pem).filter { $0.label.hasSuffix("PRIVATE KEY") }
        guard blocks.count == 1, let block = blocks.first else {
            throw CertificateAuthorityError(
                .malformedPEM,
                "expected one private key block, found \(blocks.count)"
            )
        }
        do {
            return try Certificate.PrivateKey(pemDocument: PEMDocument(type: block.label, derBytes: block.derBytes))
        } catch {
            throw CertificateAuthorityError(.malformedPrivateKey, "cannot read the \(block.label): \(error)")
        }
    }

    /// Whether the private key in `privateKeyPEM` belongs to `certificate`.
    ///
    /// Returns `false` when the key cannot be read.
    public static func privateKey(pem privateKeyPEM: String, matches certificate: Certificate) -> Bool {
        guard let key = try? privateKey(pem: privateKeyPEM) else {
            return false
        }
        return key.publicKey == certificate.publicKey
    }
}
