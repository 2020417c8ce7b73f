import CertificateAuthority
import Crypto
import Foundation
import SwiftASN1
import Testing
import X509
import _CryptoExtras

@Suite("Root CA")
struct IssuingAuthorityTests {
    let root = Fixtures.root

    @Test("a new root is a self-signed RSA-2048 CA signed with SHA-256")
    func rootShape() throws {
        let certificate = root.certificate
        #expect(certificate.version == .v3)
        #expect(certificate.subject == IssuingAuthority.defaultRootSubject)
        #expect(certificate.issuer == certificate.subject)
        #expect(certificate.signatureAlgorithm == .sha256WithRSAEncryption)
        #expect(_RSA.Signing.PublicKey(certificate.publicKey)?.keySizeInBits == 2048)
        #expect(certificate.publicKey.isValidSignature(certificate.signature, for: certificate))
        #expect(certificate.subject.description == "CN=Thingport Root CA,O=Thingport")
    }

    @Test("a new root has critical CA:TRUE and keyCertSign+cRLSign, and a subject key identifier")
    func rootExtensions() throws {
        let extensions = root.certificate.extensions
        let basicConstraints = try #require(extensions[oid: .X509ExtensionID.basicConstraints])
        #expect(basicConstraints.critical)
        #expect(try extensions.basicConstraints == .isCertificateAuthority(maxPathLength: nil))
        let keyUsageExtension = try #require(extensions[oid: .X509ExtensionID.keyUsage])
        #expect(keyUsageExtension.critical)
        #expect(try extensions.keyUsage == KeyUsage(keyCertSign: true, cRLSign: true))
        let ski = try #require(try extensions.subjectKeyIdentifier)
        #expect(ski == SubjectKeyIdentifier(hash: root.certificate.publicKey))
        #expect(try extensions.authorityKeyIdentifier == nil)
    }

    @Test("a new root has a positive random serial of at most 16 bytes and is valid for about 25 years")
    func rootSerialAndValidity() throws {
        let serial = root.certificate.serialNumber.bytes
        #expect(serial.count <= 16 && serial.count >= 8)
        #expect(serial.first! & 0x80 == 0)
        let years =
            root.certificate.notValidAfter.timeIntervalSince(root.certificate.notValidBefore) / (365.25 * 86_400)
        #expect(years > 24.9 && years < 25.1)
        #expect(root.certificate.notValidBefore < Date())
        let other = try Fixtures.customerCA()
        #expect(other.certificate.serialNumber != root.certificate.serialNumber)
    }

    @Test("the root's PEMs load back to the same CA; the key is PKCS#8")
    func pemRoundTrip() throws {
        let keyPEM = try root.privateKeyPEM()
        #expect(keyPEM.hasPrefix("-----BEGIN PRIVATE KEY-----\n"))
        #expect(keyPEM.hasSuffix("-----END PRIVATE KEY-----\n"))
        #expect(root.certificatePEM.hasPrefix("-----BEGIN CERTIFICATE-----\n"))

        let loaded = try IssuingAuthority(certificatePEM: root.certificatePEM, privateKeyPEM: keyPEM)
        #expect(loaded.certificate == root.certificate)
        #expect(loaded.privateKey == root.privateKey)
        #expect(loaded.certificateId == root.certificateId)
        #expect(try loaded.privateKeyPEM() == keyPEM)

        // A device certificate issued by the loaded root verifies against the original.
        let issued = try loaded.issueCertificate(
            csrPEM: Fixtures.csrPEM(
                subject: Fixtures.name("after-reload"),
                key: Certificate.PrivateKey(P256.Signing.PrivateKey())
            )
        )
        #expect(CACertificateRegistration.isIssued(issued.certificate, by: root.certificate))
    }

    @Test("a root loads from a PKCS#1 key too")
    func loadsPKCS1Key() throws {
        let rsa = try _RSA.Signing.PrivateKey(pemRepresentation: root.privateKeyPEM())
        #expect(rsa.pemRepresentation.hasPrefix("-----BEGIN RSA PRIVATE KEY-----"))
        let loaded = try IssuingAuthority(certificatePEM: root.certificatePEM, privateKeyPEM: rsa.pemRepresentation)
        #expect(loaded.privateKey == root.privateKey)
    }

    @Test("loading with another CA's key fails with keyMismatch")
    func keyMismatch() throws {
        let other = try Fixtures.customerCA()
        let error = #expect(throws: CertificateAuthorityError.self) {
            try IssuingAuthority(certificatePEM: root.certificatePEM, privateKeyPEM: other.privateKeyPEM())
        }
        #expect(error?.code == .keyMismatch)
    }

    @Test("loading a certificate that is not a CA fails with notACertificateAuthority")
    func notACA() throws {
        let device = Fixtures.deviceKeys
        let error = #expect(throws: CertificateAuthorityError.self) {
            try IssuingAuthority(certificatePEM: device.certificate.certificatePEM, privateKeyPEM: device.privateKeyPEM)
        }
        #expect(error?.code == .notACertificateAuthority)
    }

    @Test("loading garbage fails with a PEM or key error")
    func loadGarbage() throws {
        let notPEM = #expect(throws: CertificateAuthorityError.self) {
            try IssuingAuthority(certificatePEM: "hello", privateKeyPEM: root.privateKeyPEM())
        }
        #expect(notPEM?.code == .malformedPEM)
        let badKey = #expect(throws: CertificateAuthorityError.self) {
            try IssuingAuthority(
                certificatePEM: root.certificatePEM,
                privateKeyPEM: PEM.text(derBytes: [0x30, 0x03, 0x02, 0x01, 0x00], label: "PRIVATE KEY")
            )
        }
        #expect(badKey?.code == .malformedPrivateKey)
    }

    @Test("an intermediate is a CA with path length 0, issued by its parent")
    func intermediate() throws {
        let customer = try Fixtures.customerCA()
        let intermediate = try customer.issueIntermediate(
            privateKey: Certificate.PrivateKey(P256.Signing.PrivateKey()),
            subject: Fixtures.name("Acme Issuing CA 1", organization: "Acme")
        )
        #expect(try intermediate.certificate.extensions.basicConstraints == .isCertificateAuthority(maxPathLength: 0))
        #expect(CACertificateRegistration.isIssued(intermediate.certificate, by: customer.certificate))
        let aki = try #require(try intermediate.certificate.extensions.authorityKeyIdentifier)
        #expect(aki.keyIdentifier == (try customer.certificate.extensions.subjectKeyIdentifier)?.keyIdentifier)
    }
}
