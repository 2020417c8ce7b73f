import CertificateAuthority
import Crypto
import Foundation
import NIOSSL
import SwiftASN1
import X509

/// A device's certificate and key, as a device keeps them.
struct TestDevice: Sendable {
    let certificate: Certificate
    let certificatePEM: String
    let certificateId: String
    let privateKeyPEM: String

    var certificateArn: String { "arn:aws:iot:us-east-1:123456789012:cert/\(certificateId)" }
}

/// The certificates of the tests: Thingport's root, the broker's server certificate, and a
/// way to make device certificates. Keys are P-256 (fast to make) except where a test wants
/// the RSA-2048 device certificate AWS's `CreateKeysAndCertificate` makes.
struct TestPKI: Sendable {
    /// Shared by every test: one root and one server certificate per test run.
    static let shared: TestPKI = {
        do { return try TestPKI(rootName: "Thingport Test Root CA") } catch {
            fatalError("cannot build the test PKI: \(error)")
        }
    }()

    let root: IssuingAuthority
    let serverCertificatePEM: String
    let serverKeyPEM: String

    init(rootName: String) throws {
        root = try Self.makeCA(name: rootName)
        let server = try root.issueServerCertificate(hosts: [])
        serverCertificatePEM = server.certificate.certificatePEM
        serverKeyPEM = server.privateKeyPEM
    }

    /// A self-signed CA with a P-256 key (a customer's CA, a foreign CA).
    static func makeCA(name: String, now: Date = Date(), validity: TimeInterval = 3_650 * 86_400) throws
        -> IssuingAuthority
    {
        try IssuingAuthority.makeRoot(
            privateKey: Certificate.PrivateKey(P256.Signing.PrivateKey()),
            subject: try DistinguishedName {
                OrganizationName("Test"); CommonName(name)
            },
            now: now,
            validity: validity
        )
    }

    /// A device certificate issued by `ca` from a certificate signing request, as AWS's
    /// `CreateCertificateFromCsr` does.
    static func device(issuedBy ca: IssuingAuthority, subject: DistinguishedName? = nil) throws -> TestDevice {
        let key = P256.Signing.PrivateKey()
        let request = try CertificateSigningRequest(
            version: .v1,
            subject: try subject ?? DistinguishedName { CommonName("device") },
            privateKey: Certificate.PrivateKey(key),
            attributes: .init()
        )
        let issued = try ca.issueCertificate(for: request)
        return TestDevice(
            certificate: issued.certificate,
            certificatePEM: issued.certificatePEM,
            certificateId: issued.certificateId,
            privateKeyPEM: key.pemRepresentation
        )
    }

    /// An RSA-2048 device certificate from ``root``, as `CreateKeysAndCertificate` makes it.
    func rsaDevice() throws -> TestDevice {
        let made = try root.createKeysAndCertificate()
        return TestDevice(
            certificate: made.certificate.certificate,
            certificatePEM: made.certificate.certificatePEM,
            certificateId: made.certificate.certificateId,
            privateKeyPEM: made.privateKeyPEM
        )
    }

    /// A device certificate signed by `ca` with any validity and subject alternative names
    /// (for expired certificates and certificate policy variables).
    static func customDevice(
        issuedBy ca: IssuingAuthority,
        subject: DistinguishedName,
        notValidBefore: Date,
        notValidAfter: Date,
        alternativeNames: [GeneralName] = [],
        serialNumber: [UInt8] = [0x92, 0x12, 0x85, 0xcb, 0xb7, 0xa5, 0xe0, 0x86]
    ) throws -> TestDevice {
        let key = P256.Signing.PrivateKey()
        let extensions = try Certificate.Extensions {
            Critical(BasicConstraints.notCertificateAuthority)
            Critical(KeyUsage(digitalSignature: true))
            try ExtendedKeyUsage([.clientAuth])
            if !alternativeNames.isEmpty {
                SubjectAlternativeNames(alternativeNames)
            }
        }
        let certificate = try Certificate(
            version: .v3,
            serialNumber: Certificate.SerialNumber(bytes: serialNumber),
            publicKey: Certificate.PublicKey(key.publicKey),
            notValidBefore: notValidBefore,
            notValidAfter: notValidAfter,
            issuer: ca.certificate.subject,
            subject: subject,
            extensions: extensions,
            issuerPrivateKey: ca.privateKey
        )
        return TestDevice(
            certificate: certificate,
            certificatePEM: CertificateCoding.pem(of: certificate),
            certificateId: CertificateID.make(for: certificate),
            privateKeyPEM: key.pemRepresentation
        )
    }

    /// The mutual-TLS listener's context, built as `ThingportServer` builds it.
    func serverTLSContext() throws -> NIOSSLContext {
        let rootCertificate = try NIOSSLCertificate(bytes: Array(root.certificatePEM.utf8), format: .pem)
        let leaf = try NIOSSLCertificate(bytes: Array(serverCertificatePEM.utf8), format: .pem)
        let key = try NIOSSLPrivateKey(bytes: Array(serverKeyPEM.utf8), format: .pem)
        var tls = TLSConfiguration.makeServerConfiguration(
            certificateChain: [.certificate(leaf), .certificate(rootCertificate)],
            privateKey: .privateKey(key)
        )
        tls.certificateVerification = .noHostnameVerification
        tls.trustRoots = .certificates([rootCertificate])
        tls.sendCANameList = true
        tls.applicationProtocols = ["x-amzn-mqtt-ca", "mqtt"]
        return try NIOSSLContext(configuration: tls)
    }

    /// A device's client context: its certificate and key, trusting ``root`` for the server.
    func clientTLSContext(for device: TestDevice, alpn: [String] = []) throws -> NIOSSLContext {
        let rootCertificate = try NIOSSLCertificate(bytes: Array(root.certificatePEM.utf8), format: .pem)
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.certificateChain = [
            .certificate(try NIOSSLCertificate(bytes: Array(device.certificatePEM.utf8), format: .pem))
        ]
        tls.privateKey = .privateKey(try NIOSSLPrivateKey(bytes: Array(device.privateKeyPEM.utf8), format: .pem))
        tls.trustRoots = .certificates([rootCertificate])
        tls.applicationProtocols = alpn
        return try NIOSSLContext(configuration: tls)
    }
}
