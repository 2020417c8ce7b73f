import CertificateAuthority
import Foundation
import Testing
import X509

@Suite("PEM, DER and certificate ids")
struct PEMAndIDTests {
    @Test("certificate ids are lowercase hex SHA-256 (FIPS 180-2 vectors)")
    func sha256Vectors() {
        #expect(
            CertificateID.make(derBytes: [UInt8]())
                == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        )
        #expect(
            CertificateID.make(derBytes: Array("abc".utf8))
                == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        )
    }

    @Test(
        "well-formed ids are 64 hex digits",
        arguments: [
            ("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", true),
            ("BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD", true),
            ("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015a", false),
            ("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015adf", false),
            ("ga7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", false),
            ("", false),
        ]
    )
    func wellFormed(id: String, expected: Bool) {
        #expect(CertificateID.isWellFormed(id) == expected)
    }

    @Test("PEM text has 64-character lines and a final newline, and reads back")
    func pemLayout() throws {
        let der = Array(0..<200).map { UInt8($0) }
        let text = PEM.text(derBytes: der, label: "TEST")
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.first == "-----BEGIN TEST-----")
        #expect(lines.dropFirst().dropLast(2).dropLast().allSatisfy { $0.count == 64 })
        #expect(lines.dropLast().last == "-----END TEST-----")
        #expect(lines.last == "")
        #expect(try PEM.blocks(in: text) == [PEM.Block(label: "TEST", derBytes: der)])
    }

    @Test("several certificates, CRLF, long lines and text around the blocks are read")
    func lenientBundle() throws {
        let root = Fixtures.root.certificate
        let device = Fixtures.deviceKeys.certificate.certificate
        let rootBase64 = Data(CertificateCoding.derBytes(of: root)).base64EncodedString()
        let bundle =
            "Certificate:\n    Data: (openssl -text output)\n"
            + CertificateCoding.pem(of: device).replacingOccurrences(of: "\n", with: "\r\n")
            + "\nsome comment\n"
            + "-----BEGIN CERTIFICATE-----\n\(rootBase64)\n-----END CERTIFICATE-----"
        let certificates = try CertificateCoding.certificates(pem: bundle)
        #expect(certificates == [device, root])

        let single = #expect(throws: CertificateAuthorityError.self) {
            try CertificateCoding.certificate(pem: bundle)
        }
        #expect(single?.code == .malformedPEM)
    }

    @Test("DER round trips through the certificate and PEM")
    func derRoundTrip() throws {
        let issued = Fixtures.deviceKeys.certificate
        let parsed = try CertificateCoding.certificate(derBytes: issued.derBytes)
        #expect(parsed == issued.certificate)
        #expect(CertificateCoding.derBytes(of: parsed) == issued.derBytes)
        #expect(CertificateCoding.pem(of: parsed) == issued.certificatePEM)
        #expect(try CertificateCoding.certificate(pem: issued.certificatePEM) == parsed)
    }

    @Test(
        "bad PEM input fails with malformedPEM",
        arguments: [
            "",
            "no blocks here",
            "-----BEGIN CERTIFICATE-----\nMIIB\n",
            "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE REQUEST-----\n",
            "-----BEGIN CERTIFICATE-----\n***\n-----END CERTIFICATE-----\n",
            "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\nAAAA\n-----END RSA PRIVATE KEY-----\n",
        ]
    )
    func badPEM(text: String) {
        let error = #expect(throws: CertificateAuthorityError.self) {
            try CertificateCoding.certificates(pem: text)
        }
        #expect(error?.code == .malformedPEM)
    }

    @Test("a key block where certificates are expected is rejected")
    func keyInsteadOfCertificate() throws {
        let error = #expect(throws: CertificateAuthorityError.self) {
            try CertificateCoding.certificates(pem: Fixtures.deviceKeys.privateKeyPEM)
        }
        #expect(error?.code == .malformedPEM)
        #expect(error?.reason.contains("RSA PRIVATE KEY") == true)
    }

    @Test("a CERTIFICATE block that is not a certificate fails with malformedCertificate")
    func notACertificate() {
        let error = #expect(throws: CertificateAuthorityError.self) {
            try CertificateCoding.certificates(pem: PEM.text(derBytes: [0x30, 0x00], label: "CERTIFICATE"))
        }
        #expect(error?.code == .malformedCertificate)
    }
}
