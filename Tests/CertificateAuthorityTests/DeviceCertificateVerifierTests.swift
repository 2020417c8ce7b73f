import CertificateAuthority
import Crypto
import Foundation
import SwiftASN1
import Testing
import X509

@Suite("Device certificate verification")
struct DeviceCertificateVerifierTests {
    let root = Fixtures.root

    /// A P-256 device certificate issued by `ca` through a CSR.
    private func deviceCertificate(
        from ca: IssuingAuthority,
        name: String = "sensor-1",
        now: Date = Date()
    ) throws -> Certificate {
        let pem = try Fixtures.csrPEM(
            subject: Fixtures.name(name),
            key: Certificate.PrivateKey(P256.Signing.PrivateKey())
        )
        return try ca.issueCertificate(csrPEM: pem, now: now).certificate
    }

    private func rejection(
        _ verifier: DeviceCertificateVerifier,
        leaf: Certificate,
        intermediates: [Certificate] = [],
        now: Date = Date()
    ) async throws -> DeviceCertificateVerifier.Error {
        let error = await #expect(throws: DeviceCertificateVerifier.Error.self) {
            try await verifier.verify(leaf: leaf, intermediates: intermediates, now: now)
        }
        return try #require(error)
    }

    @Test("a leaf of a foreign root is rejected as unknown issuer")
    func foreignRoot() async throws {
        let foreign = try Fixtures.customerCA("Foreign Root CA")
        let leaf = try deviceCertificate(from: foreign)
        let verifier = DeviceCertificateVerifier(trustedCertificates: [root.certificate])
        let error = try await rejection(verifier, leaf: leaf)
        #expect(error.reason == .unknownIssuer)
        #expect(error.certificate == leaf)
        #expect(error.description.contains("unknownIssuer"))
    }

    @Test("a leaf of an impostor root with the same name is rejected as bad signature")
    func impostorRoot() async throws {
        let impostor = try IssuingAuthority.makeRoot(privateKey: Certificate.PrivateKey(P256.Signing.PrivateKey()))
        #expect(impostor.certificate.subject == root.certificate.subject)
        let leaf = try deviceCertificate(from: impostor)
        let verifier = DeviceCertificateVerifier(trustedCertificates: [root.certificate])
        let error = try await rejection(verifier, leaf: leaf)
        #expect(error.reason == .badSignature)
        // Trusting both, the same leaf chains to the impostor, not to Thingport's root.
        let both = DeviceCertificateVerifier(trustedCertificates: [root.certificate, impostor.certificate])
        #expect(try await both.verify(leaf: leaf).trustAnchorId == impostor.certificateId)
    }

    @Test("validity is checked at the injected time")
    func validityWindow() async throws {
        let leaf = Fixtures.deviceKeys.certificate.certificate
        let verifier = DeviceCertificateVerifier(trustedCertificates: [root.certificate])

        let in2050 = Date(timeIntervalSince1970: 2_530_000_000)
        let expired = try await rejection(verifier, leaf: leaf, now: in2050)
        #expect(expired.reason == .expired)
        #expect(expired.certificate == leaf)

        let early = try await rejection(verifier, leaf: leaf, now: leaf.notValidBefore - 86_400)
        #expect(early.reason == .notYetValid)
        #expect(early.certificate == leaf)

        // Just inside both ends it verifies.
        _ = try await verifier.verify(leaf: leaf, now: leaf.notValidBefore + 1)
        _ = try await verifier.verify(leaf: leaf, now: Date(timeIntervalSince1970: 2_524_607_999))
    }

    @Test("an expired CA fails the chain even when the leaf is valid")
    func expiredCA() async throws {
        let issued = Date(timeIntervalSince1970: 1_700_000_000)
        let shortLived = try Fixtures.customerCA("Short-lived CA", now: issued, validity: 86_400)
        let leaf = try deviceCertificate(from: shortLived, now: issued)
        let verifier = DeviceCertificateVerifier(trustedCertificates: [shortLived.certificate])
        _ = try await verifier.verify(leaf: leaf, now: issued + 3600)
        let error = try await rejection(verifier, leaf: leaf, now: issued + 2 * 86_400)
        #expect(error.reason == .expired)
        #expect(error.certificate == shortLived.certificate)
    }

    @Test("leaf → intermediate → CA verifies when the client sends the intermediate")
    func intermediateChain() async throws {
        let customer = try Fixtures.customerCA()
        let intermediate = try customer.issueIntermediate(
            privateKey: Certificate.PrivateKey(P256.Signing.PrivateKey()),
            subject: Fixtures.name("Acme Issuing CA", organization: "Acme")
        )
        let leaf = try deviceCertificate(from: intermediate)
        let verifier = DeviceCertificateVerifier(trustedCertificates: [root.certificate, customer.certificate])

        let chain = try await verifier.verify(leaf: leaf, intermediates: [intermediate.certificate])
        #expect(chain.certificates == [leaf, intermediate.certificate, customer.certificate])
        #expect(chain.trustAnchorId == customer.certificateId)
        #expect(chain.trustAnchor == customer.certificate)

        let derChain = try await verifier.verify(
            leafDERBytes: CertificateCoding.derBytes(of: leaf),
            intermediateDERBytes: [CertificateCoding.derBytes(of: intermediate.certificate)]
        )
        #expect(derChain == chain)
        let presented = try await verifier.verify(
            presentedChain: [leaf, intermediate.certificate].map(CertificateCoding.derBytes(of:))
        )
        #expect(presented == chain)

        let missing = try await rejection(verifier, leaf: leaf)
        #expect(missing.reason == .unknownIssuer)
    }

    @Test("an intermediate signed by an untrusted CA leads to unknown issuer")
    func untrustedIntermediateParent() async throws {
        let customer = try Fixtures.customerCA()
        let intermediate = try customer.issueIntermediate(
            privateKey: Certificate.PrivateKey(P256.Signing.PrivateKey()),
            subject: Fixtures.name("Acme Issuing CA", organization: "Acme")
        )
        let leaf = try deviceCertificate(from: intermediate)
        let verifier = DeviceCertificateVerifier(trustedCertificates: [root.certificate])
        let error = try await rejection(verifier, leaf: leaf, intermediates: [intermediate.certificate])
        #expect(error.reason == .unknownIssuer)
        #expect(error.certificate == intermediate.certificate)
    }

    @Test("a certificate signed by a non-CA certificate is rejected")
    func issuerNotCA() async throws {
        // A device certificate's key signs another certificate, naming the device as issuer.
        let deviceKey = P256.Signing.PrivateKey()
        let deviceCertificate = try root.issueCertificate(
            csrPEM: Fixtures.csrPEM(subject: Fixtures.name("rogue"), key: Certificate.PrivateKey(deviceKey))
        ).certificate
        let forged = try Certificate(
            version: .v3,
            serialNumber: Certificate.SerialNumber(),
            publicKey: Certificate.PrivateKey(P256.Signing.PrivateKey()).publicKey,
            notValidBefore: Date() - 60,
            notValidAfter: Date() + 86_400,
            issuer: deviceCertificate.subject,
            subject: Fixtures.name("forged"),
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: Certificate.Extensions(),
            issuerPrivateKey: Certificate.PrivateKey(deviceKey)
        )
        let verifier = DeviceCertificateVerifier(trustedCertificates: [root.certificate])
        let error = try await rejection(verifier, leaf: forged, intermediates: [deviceCertificate])
        #expect(error.reason == .issuerNotCertificateAuthority)
        #expect(error.certificate == deviceCertificate)
    }

    @Test("a CA certificate presented as a device certificate is rejected")
    func leafIsCA() async throws {
        let verifier = DeviceCertificateVerifier(trustedCertificates: [root.certificate])
        let error = try await rejection(verifier, leaf: root.certificate)
        #expect(error.reason == .leafIsCertificateAuthority)
    }

    @Test("a server certificate cannot be used as a client certificate")
    func serverCertificateAsClient() async throws {
        let server = try root.issueServerCertificate(hosts: ["iot.example.com"]).certificate.certificate
        let verifier = DeviceCertificateVerifier(trustedCertificates: [root.certificate])
        let error = try await rejection(verifier, leaf: server)
        #expect(error.reason == .notForClientAuthentication)
    }

    @Test("a leaf with an unknown critical extension is rejected")
    func unknownCriticalExtension() async throws {
        let key = Certificate.PrivateKey(P256.Signing.PrivateKey())
        let leaf = try Certificate(
            version: .v3,
            serialNumber: Certificate.SerialNumber(),
            publicKey: key.publicKey,
            notValidBefore: Date() - 60,
            notValidAfter: Date() + 86_400,
            issuer: root.certificate.subject,
            subject: Fixtures.name("odd"),
            signatureAlgorithm: .sha256WithRSAEncryption,
            extensions: Certificate.Extensions([
                Certificate.Extension(oid: [1, 3, 6, 1, 4, 1, 99999, 1], critical: true, value: [0x05, 0x00])
            ]),
            issuerPrivateKey: root.privateKey
        )
        let verifier = DeviceCertificateVerifier(trustedCertificates: [root.certificate])
        let error = try await rejection(verifier, leaf: leaf)
        #expect(error.reason == .unhandledCriticalExtension)
    }

    @Test("bytes that are not a certificate are rejected as malformed")
    func malformedDER() async throws {
        let verifier = DeviceCertificateVerifier(trustedCertificates: [root.certificate])
        let error = await #expect(throws: DeviceCertificateVerifier.Error.self) {
            try await verifier.verify(leafDERBytes: [0x30, 0x03, 0x02, 0x01, 0x00])
        }
        #expect(error?.reason == .malformedCertificate)
        let empty = await #expect(throws: DeviceCertificateVerifier.Error.self) {
            try await verifier.verify(presentedChain: [])
        }
        #expect(empty?.reason == .malformedCertificate)
    }

    @Test("with no trusted CAs nothing verifies")
    func emptyTrustStore() async throws {
        let verifier = DeviceCertificateVerifier(trustedCertificates: [])
        let error = try await rejection(verifier, leaf: Fixtures.deviceKeys.certificate.certificate)
        #expect(error.reason == .unknownIssuer)
    }
}
