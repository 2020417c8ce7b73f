import CertificateAuthority
import Crypto
import Foundation
import SwiftASN1
import X509
import _CryptoExtras

struct FixtureError: Error {
    var message: String
}

/// Keys and CAs shared by every suite. RSA-2048 generation is slow (about a second in debug
/// builds), so each RSA key is made once per test run; P-256 keys are cheap and made freely.
enum Fixtures {
    /// Thingport's root, made through the public API (one RSA key).
    static let root: IssuingAuthority = try! IssuingAuthority.generateRoot()

    /// A device key pair and certificate made through `CreateKeysAndCertificate` (one RSA key).
    static let deviceKeys: DeviceKeysAndCertificate = try! root.createKeysAndCertificate()

    /// An RSA key reused wherever a test needs "some RSA key" (CSRs, RSA server certificates).
    static let rsaKey: _RSA.Signing.PrivateKey = try! _RSA.Signing.PrivateKey(keySize: .bits2048)

    /// A fresh CA with a P-256 key, standing in for a customer's CA.
    static func customerCA(
        _ commonName: String = "Acme Device CA",
        now: Date = Date(),
        validity: TimeInterval = 10 * 365 * 86_400
    ) throws -> IssuingAuthority {
        try IssuingAuthority.makeRoot(
            privateKey: Certificate.PrivateKey(P256.Signing.PrivateKey()),
            subject: name(commonName, organization: "Acme"),
            now: now,
            validity: validity
        )
    }

    /// A distinguished name `O=organization, CN=commonName`.
    static func name(_ commonName: String, organization: String? = nil) throws -> DistinguishedName {
        try DistinguishedName {
            if let organization {
                OrganizationName(organization)
            }
            CommonName(commonName)
        }
    }

    /// A PKCS#10 request for `key` with `subject`, as PEM.
    static func csrPEM(subject: DistinguishedName, key: Certificate.PrivateKey) throws -> String {
        let request = try CertificateSigningRequest(
            version: .v1,
            subject: subject,
            privateKey: key,
            attributes: CertificateSigningRequest.Attributes()
        )
        return try request.serializeAsPEM().pemString
    }

    /// The DER bytes of the first PEM block, decoded with Foundation only (independently of
    /// the module's PEM reader).
    static func derFromPEM(_ pem: String) throws -> [UInt8] {
        let body = pem.split(whereSeparator: \.isNewline)
            .filter { !$0.hasPrefix("-----") }
            .joined()
        guard let data = Data(base64Encoded: body) else {
            throw FixtureError(message: "not base64: \(pem)")
        }
        return Array(data)
    }

    /// Lowercase hex of `bytes`.
    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        bytes.map { String(format: "%02x", $0) }.joined()
    }
}
