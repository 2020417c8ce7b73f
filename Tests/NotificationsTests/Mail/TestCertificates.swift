import Crypto
import Foundation
import NIOSSL
import SwiftASN1
import X509

/// A throwaway CA and a server certificate it signed, by default naming `localhost` and `127.0.0.1`.
struct TestCertificates: Sendable {
    /// The CA certificate in PEM, for ``SMTPClient/Configuration/TLSTrust/certificates(pem:)``.
    let rootPEM: String
    /// A TLS server context presenting the server certificate.
    let serverContext: NIOSSLContext

    /// Made once per test process; key generation is cheap but there is no need to repeat it.
    static let shared: TestCertificates = try! TestCertificates()

    init(dnsNames: [String] = ["localhost"], ipAddresses: [[UInt8]] = [[127, 0, 0, 1]]) throws {
        let now = Date()
        let caKey = P256.Signing.PrivateKey()
        let caName = try DistinguishedName {
            CommonName("Thingport Test SMTP CA")
        }
        let ca = try Certificate(
            version: .v3,
            serialNumber: .init(),
            publicKey: .init(caKey.publicKey),
            notValidBefore: now - 3600,
            notValidAfter: now + 86_400,
            issuer: caName,
            subject: caName,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                Critical(KeyUsage(keyCertSign: true, cRLSign: true))
            },
            issuerPrivateKey: .init(caKey)
        )

        let serverKey = P256.Signing.PrivateKey()
        let serverName = try DistinguishedName {
            CommonName(dnsNames.first ?? "server")
        }
        let server = try Certificate(
            version: .v3,
            serialNumber: .init(),
            publicKey: .init(serverKey.publicKey),
            notValidBefore: now - 3600,
            notValidAfter: now + 86_400,
            issuer: caName,
            subject: serverName,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true))
                try ExtendedKeyUsage([.serverAuth])
                SubjectAlternativeNames(
                    dnsNames.map { .dnsName($0) }
                        + ipAddresses.map { .ipAddress(ASN1OctetString(contentBytes: $0[...])) }
                )
            },
            issuerPrivateKey: .init(caKey)
        )

        self.rootPEM = try ca.serializeAsPEM().pemString
        var serializer = DER.Serializer()
        try serializer.serialize(server)
        let configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: [.certificate(try NIOSSLCertificate(bytes: serializer.serializedBytes, format: .der))],
            privateKey: .privateKey(try NIOSSLPrivateKey(bytes: Array(serverKey.pemRepresentation.utf8), format: .pem))
        )
        self.serverContext = try NIOSSLContext(configuration: configuration)
    }
}
