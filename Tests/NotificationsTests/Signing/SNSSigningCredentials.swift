import Crypto
import Foundation
import X509
import _CryptoExtras

/// A throwaway RSA-2048 root and an SNS signing certificate it issued, as the lead's data directory
/// will hold them (made with swift-certificates, not with the code under test).
struct SNSSigningCredentials: Sendable {
    let rootPEM: String
    let certificatePEM: String
    let privateKeyPEM: String
    /// PKCS #8 form of the same key.
    let privateKeyPKCS8PEM: String

    /// Key generation is slow; one set serves every test.
    static let shared: SNSSigningCredentials = try! SNSSigningCredentials()

    init() throws {
        let now = Date()
        let rootKey = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        let rootName = try DistinguishedName { CommonName("Thingport Test Root CA") }
        let root = try Certificate(
            version: .v3,
            serialNumber: .init(),
            publicKey: .init(rootKey.publicKey),
            notValidBefore: now - 3600,
            notValidAfter: now + 86_400,
            issuer: rootName,
            subject: rootName,
            signatureAlgorithm: .sha256WithRSAEncryption,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: nil))
                Critical(KeyUsage(keyCertSign: true, cRLSign: true))
            },
            issuerPrivateKey: .init(rootKey)
        )
        let key = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        let certificate = try Certificate(
            version: .v3,
            serialNumber: .init(),
            publicKey: .init(key.publicKey),
            notValidBefore: now - 3600,
            notValidAfter: now + 86_400,
            issuer: rootName,
            subject: try DistinguishedName { CommonName("sns.thingport.local") },
            signatureAlgorithm: .sha256WithRSAEncryption,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true))
            },
            issuerPrivateKey: .init(rootKey)
        )
        self.rootPEM = try root.serializeAsPEM().pemString
        self.certificatePEM = try certificate.serializeAsPEM().pemString
        self.privateKeyPEM = key.pemRepresentation
        self.privateKeyPKCS8PEM = key.pkcs8PEMRepresentation
    }
}
