import CertificateAuthority
import Crypto
import Foundation
import Testing
import X509

@Suite("Registering customer CAs")
struct CACertificateRegistrationTests {
    let registrationCode = "d3b7f0c5a1e24a6e9b8f1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f"

    /// A verification certificate: a CSR with CN=`commonName`, signed by `ca`'s key.
    private func verificationCertificate(from ca: IssuingAuthority, commonName: String) throws -> Certificate {
        let pem = try Fixtures.csrPEM(
            subject: Fixtures.name(commonName),
            key: Certificate.PrivateKey(P256.Signing.PrivateKey())
        )
        return try ca.issueCertificate(csrPEM: pem).certificate
    }

    @Test("CA certificates are recognised by basicConstraints")
    func isCertificateAuthority() throws {
        #expect(CACertificateRegistration.isCertificateAuthority(Fixtures.root.certificate))
        #expect(CACertificateRegistration.isCertificateAuthority(try Fixtures.customerCA().certificate))
        let device = Fixtures.deviceKeys.certificate.certificate
        #expect(!CACertificateRegistration.isCertificateAuthority(device))
        let error = #expect(throws: CertificateAuthorityError.self) {
            try CACertificateRegistration.requireCertificateAuthority(device)
        }
        #expect(error?.code == .notACertificateAuthority)
    }

    @Test("a CA:TRUE certificate whose keyUsage lacks keyCertSign is not a CA")
    func caWithoutKeyCertSign() throws {
        let key = Certificate.PrivateKey(P256.Signing.PrivateKey())
        let name = try Fixtures.name("Odd CA")
        let certificate = try Certificate(
            version: .v3,
            serialNumber: Certificate.SerialNumber(),
            publicKey: key.publicKey,
            notValidBefore: Date() - 60,
            notValidAfter: Date() + 86_400,
            issuer: name,
            subject: name,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: nil))
                Critical(KeyUsage(digitalSignature: true))
            },
            issuerPrivateKey: key
        )
        #expect(!CACertificateRegistration.isCertificateAuthority(certificate))
    }

    @Test("a verification certificate with the registration code as CN is accepted")
    func verificationAccepted() throws {
        let customer = try Fixtures.customerCA()
        let verification = try verificationCertificate(from: customer, commonName: registrationCode)
        try CACertificateRegistration.verifyVerificationCertificate(
            verification,
            caCertificate: customer.certificate,
            registrationCode: registrationCode
        )
    }

    @Test("a verification certificate with another CN is rejected")
    func wrongCommonName() throws {
        let customer = try Fixtures.customerCA()
        let verification = try verificationCertificate(from: customer, commonName: String(registrationCode.reversed()))
        let error = #expect(throws: CertificateAuthorityError.self) {
            try CACertificateRegistration.verifyVerificationCertificate(
                verification,
                caCertificate: customer.certificate,
                registrationCode: registrationCode
            )
        }
        #expect(error?.code == .registrationCodeMismatch)
    }

    @Test("a verification certificate signed by another key is rejected")
    func wrongSigner() throws {
        let customer = try Fixtures.customerCA()
        // Same CA name, different key: the registrant does not hold the CA's key.
        let impostor = try Fixtures.customerCA()
        let verification = try verificationCertificate(from: impostor, commonName: registrationCode)
        let error = #expect(throws: CertificateAuthorityError.self) {
            try CACertificateRegistration.verifyVerificationCertificate(
                verification,
                caCertificate: customer.certificate,
                registrationCode: registrationCode
            )
        }
        #expect(error?.code == .notIssuedByCertificateAuthority)
    }

    @Test("an expired verification certificate is rejected")
    func expiredVerification() throws {
        let customer = try Fixtures.customerCA()
        let verification = try verificationCertificate(from: customer, commonName: registrationCode)
        let error = #expect(throws: CertificateAuthorityError.self) {
            try CACertificateRegistration.verifyVerificationCertificate(
                verification,
                caCertificate: customer.certificate,
                registrationCode: registrationCode,
                now: Date(timeIntervalSince1970: 2_530_000_000)
            )
        }
        #expect(error?.code == .certificateExpired)
    }

    @Test("registering a device certificate checks it was issued by the registered CA")
    func registerCertificate() throws {
        let customer = try Fixtures.customerCA()
        let pem = try Fixtures.csrPEM(
            subject: Fixtures.name("acme-device"),
            key: Certificate.PrivateKey(P256.Signing.PrivateKey())
        )
        let device = try customer.issueCertificate(csrPEM: pem).certificate
        try CACertificateRegistration.requireIssued(device, by: customer.certificate)
        #expect(CACertificateRegistration.isIssued(device, by: customer.certificate))
        #expect(!CACertificateRegistration.isIssued(device, by: Fixtures.root.certificate))
        #expect(!CACertificateRegistration.isIssued(device, by: try Fixtures.customerCA().certificate))
        let error = #expect(throws: CertificateAuthorityError.self) {
            try CACertificateRegistration.requireIssued(device, by: Fixtures.root.certificate)
        }
        #expect(error?.code == .notIssuedByCertificateAuthority)
    }
}
