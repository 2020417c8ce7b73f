import CertificateAuthority
import Crypto
import Foundation
import SwiftASN1
import Testing
import X509
import _CryptoExtras

@Suite("Device certificates")
struct DeviceCertificateTests {
    let root = Fixtures.root
    let device = Fixtures.deviceKeys

    @Test("CreateKeysAndCertificate returns PKCS#1 and SPKI PEMs that match the certificate")
    func keysMatchCertificate() throws {
        #expect(device.privateKeyPEM.hasPrefix("-----BEGIN RSA PRIVATE KEY-----\n"))
        #expect(device.privateKeyPEM.hasSuffix("-----END RSA PRIVATE KEY-----\n"))
        #expect(device.publicKeyPEM.hasPrefix("-----BEGIN PUBLIC KEY-----\n"))
        #expect(device.publicKeyPEM.hasSuffix("-----END PUBLIC KEY-----\n"))

        let privateKey = try _RSA.Signing.PrivateKey(pemRepresentation: device.privateKeyPEM)
        #expect(privateKey.keySizeInBits == 2048)
        let publicKey = try _RSA.Signing.PublicKey(pemRepresentation: device.publicKeyPEM)
        #expect(publicKey.derRepresentation == privateKey.publicKey.derRepresentation)
        #expect(Certificate.PublicKey(publicKey) == device.certificate.certificate.publicKey)
        #expect(CertificateCoding.privateKey(pem: device.privateKeyPEM, matches: device.certificate.certificate))
        #expect(!CertificateCoding.privateKey(pem: try root.privateKeyPEM(), matches: device.certificate.certificate))

        // The key signs what the certificate's key verifies.
        let message = Array("hello thingport".utf8)
        let signature = try privateKey.signature(for: message, padding: .insecurePKCS1v1_5)
        #expect(publicKey.isValidSignature(signature, for: message, padding: .insecurePKCS1v1_5))
    }

    @Test("the device certificate has AWS IoT's subject, validity and extensions, plus clientAuth")
    func certificateShape() throws {
        let certificate = device.certificate.certificate
        #expect(certificate.version == .v3)
        #expect(certificate.subject == IssuingAuthority.deviceCertificateSubject)
        #expect(certificate.subject.description == "CN=AWS IoT Certificate")
        #expect(certificate.issuer == root.certificate.subject)
        #expect(certificate.signatureAlgorithm == .sha256WithRSAEncryption)
        #expect(certificate.notValidAfter == Date(timeIntervalSince1970: 2_524_607_999))
        #expect(certificate.notValidBefore <= Date())
        #expect(certificate.notValidBefore > Date() - 3600)

        let serial = certificate.serialNumber.bytes
        #expect(serial.count <= 20 && serial.count >= 16)
        #expect(serial.first! & 0x80 == 0)

        let extensions = certificate.extensions
        #expect(extensions[oid: .X509ExtensionID.basicConstraints]?.critical == true)
        #expect(try extensions.basicConstraints == .notCertificateAuthority)
        #expect(extensions[oid: .X509ExtensionID.keyUsage]?.critical == true)
        #expect(try extensions.keyUsage == KeyUsage(digitalSignature: true))
        #expect(try extensions.extendedKeyUsage == ExtendedKeyUsage([.clientAuth]))
        #expect(try extensions.subjectKeyIdentifier == SubjectKeyIdentifier(hash: certificate.publicKey))
        let aki = try #require(try extensions.authorityKeyIdentifier)
        #expect(aki.keyIdentifier == (try root.certificate.extensions.subjectKeyIdentifier)?.keyIdentifier)
        #expect(try extensions.subjectAlternativeNames == nil)
    }

    @Test("the certificate id is the SHA-256 of the DER, computed independently")
    func certificateId() throws {
        let der = try Fixtures.derFromPEM(device.certificate.certificatePEM)
        #expect(der == device.certificate.derBytes)
        let expected = Fixtures.hex(SHA256.hash(data: der))
        #expect(device.certificate.certificateId == expected)
        #expect(device.certificate.certificateId.count == 64)
        #expect(CertificateID.make(for: device.certificate.certificate) == expected)
        #expect(CertificateID.isWellFormed(expected))
    }

    @Test("the chain to the root verifies")
    func chainVerifies() async throws {
        let verifier = DeviceCertificateVerifier(trustedCertificates: [root.certificate])
        let chain = try await verifier.verify(leaf: device.certificate.certificate)
        #expect(chain.trustAnchorId == root.certificateId)
        #expect(chain.certificates == [device.certificate.certificate, root.certificate])
    }

    @Test("CreateCertificateFromCsr issues for the request's key and subject", arguments: ["RSA", "P-256", "P-384"])
    func fromCSR(keyType: String) async throws {
        let key: Certificate.PrivateKey =
            switch keyType {
            case "RSA": Certificate.PrivateKey(Fixtures.rsaKey)
            case "P-256": Certificate.PrivateKey(P256.Signing.PrivateKey())
            default: Certificate.PrivateKey(P384.Signing.PrivateKey())
            }
        let subject = try Fixtures.name("thermostat-\(keyType)", organization: "Acme")
        let issued = try root.issueCertificate(csrPEM: Fixtures.csrPEM(subject: subject, key: key))

        let certificate = issued.certificate
        #expect(certificate.subject == subject)
        #expect(certificate.publicKey == key.publicKey)
        #expect(certificate.issuer == root.certificate.subject)
        #expect(certificate.notValidAfter == IssuingAuthority.deviceCertificateNotValidAfter)
        #expect(try certificate.extensions.extendedKeyUsage == ExtendedKeyUsage([.clientAuth]))
        #expect(issued.certificateId == Fixtures.hex(SHA256.hash(data: issued.derBytes)))

        let verifier = DeviceCertificateVerifier(trustedCertificates: [root.certificate])
        let chain = try await verifier.verify(leafDERBytes: issued.derBytes)
        #expect(chain.trustAnchorId == root.certificateId)
        #expect(chain.leaf == certificate)
    }

    @Test("a CSR with an empty subject gets CN=AWS IoT Certificate")
    func emptySubject() throws {
        let pem = try Fixtures.csrPEM(
            subject: DistinguishedName(), key: Certificate.PrivateKey(P256.Signing.PrivateKey()))
        let issued = try root.issueCertificate(csrPEM: pem)
        #expect(issued.certificate.subject == IssuingAuthority.deviceCertificateSubject)
    }

    @Test("a tampered CSR is rejected: its signature no longer verifies")
    func tamperedCSR() throws {
        let pem = try Fixtures.csrPEM(
            subject: Fixtures.name("honest-device"),
            key: Certificate.PrivateKey(P256.Signing.PrivateKey())
        )
        var der = try Fixtures.derFromPEM(pem)
        let name = Array("honest-device".utf8)
        let start = try #require(
            der.indices.first { der[$0..<min($0 + name.count, der.count)].elementsEqual(name) }
        )
        der[start] = UInt8(ascii: "H")  // "Honest-device": same length, still valid DER
        let tampered = PEM.text(derBytes: der, label: "CERTIFICATE REQUEST")

        let error = #expect(throws: CertificateAuthorityError.self) {
            try root.issueCertificate(csrPEM: tampered)
        }
        #expect(error?.code == .invalidCertificateSigningRequestSignature)
    }

    @Test(
        "malformed CSRs are rejected with a clear error",
        arguments: [
            "",
            "just text",
            "-----BEGIN CERTIFICATE REQUEST-----\n!!!!\n-----END CERTIFICATE REQUEST-----\n",
            "-----BEGIN CERTIFICATE REQUEST-----\nMAMCAQA=\n-----END CERTIFICATE REQUEST-----\n",
            "-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n",
        ]
    )
    func malformedCSR(pem: String) throws {
        let error = #expect(throws: CertificateAuthorityError.self) {
            try root.issueCertificate(csrPEM: pem)
        }
        #expect(error?.code == .malformedCertificateSigningRequest)
        #expect(error?.reason.isEmpty == false)
    }

    @Test("a certificate is not a CSR")
    func certificateIsNotCSR() throws {
        let error = #expect(throws: CertificateAuthorityError.self) {
            try root.issueCertificate(csrPEM: device.certificate.certificatePEM)
        }
        #expect(error?.code == .malformedCertificateSigningRequest)
    }

    @Test("an Ed25519 CSR is rejected as an unsupported key, as AWS IoT does")
    func ed25519CSR() throws {
        let pem = try Fixtures.csrPEM(
            subject: Fixtures.name("ed-device"),
            key: Certificate.PrivateKey(Curve25519.Signing.PrivateKey())
        )
        let error = #expect(throws: CertificateAuthorityError.self) {
            try root.issueCertificate(csrPEM: pem)
        }
        #expect(error?.code == .unsupportedKey)
    }

    @Test("each device certificate gets its own serial and id")
    func uniqueSerials() throws {
        let key = Certificate.PrivateKey(P256.Signing.PrivateKey())
        let pem = try Fixtures.csrPEM(subject: Fixtures.name("same"), key: key)
        let first = try root.issueCertificate(csrPEM: pem)
        let second = try root.issueCertificate(csrPEM: pem)
        #expect(first.certificate.serialNumber != second.certificate.serialNumber)
        #expect(first.certificateId != second.certificateId)
    }
}
