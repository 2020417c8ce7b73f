import CertificateAuthority
import Crypto
import Foundation
import SwiftASN1
import Testing
import X509
import _CryptoExtras

@Suite("Server certificates")
struct ServerCertificateTests {
    let root = Fixtures.root

    private func names(_ certificate: Certificate) throws -> [GeneralName] {
        Array(try #require(try certificate.extensions.subjectAlternativeNames))
    }

    @Test("a server certificate names the public hosts and localhost, 127.0.0.1 and ::1")
    func subjectAlternativeNames() throws {
        let credentials = try root.issueServerCertificate(
            hosts: ["IoT.Example.com.", "192.0.2.7", "[2001:db8::42]", "localhost"]
        )
        let names = try names(credentials.certificate.certificate)
        let ipv6Loopback: [UInt8] = Array(repeating: 0, count: 15) + [1]
        let documentationV6: [UInt8] = [0x20, 0x01, 0x0d, 0xb8] + Array(repeating: 0, count: 11) + [0x42]
        #expect(
            names == [
                .dnsName("iot.example.com"),
                .ipAddress(ASN1OctetString(contentBytes: [192, 0, 2, 7])),
                .ipAddress(ASN1OctetString(contentBytes: documentationV6[...])),
                .dnsName("localhost"),
                .ipAddress(ASN1OctetString(contentBytes: [127, 0, 0, 1])),
                .ipAddress(ASN1OctetString(contentBytes: ipv6Loopback[...])),
            ]
        )
        #expect(credentials.certificate.certificate.subject.description.contains("CN=iot.example.com"))
    }

    @Test("a server certificate is a P-256 serverAuth leaf issued by the root")
    func serverShape() async throws {
        let credentials = try root.issueServerCertificate(hosts: [])
        let certificate = credentials.certificate.certificate
        #expect(P256.Signing.PublicKey(certificate.publicKey) != nil)
        #expect(certificate.signatureAlgorithm == .sha256WithRSAEncryption)
        #expect(certificate.issuer == root.certificate.subject)
        #expect(root.certificate.publicKey.isValidSignature(certificate.signature, for: certificate))
        #expect(try certificate.extensions.extendedKeyUsage == ExtendedKeyUsage([.serverAuth]))
        #expect(try certificate.extensions.basicConstraints == .notCertificateAuthority)
        #expect(try certificate.extensions.keyUsage == KeyUsage(digitalSignature: true))
        let aki = try #require(try certificate.extensions.authorityKeyIdentifier)
        #expect(aki.keyIdentifier == (try root.certificate.extensions.subjectKeyIdentifier)?.keyIdentifier)
        let days = certificate.notValidAfter.timeIntervalSince(Date()) / 86_400
        #expect(days > 364.9 && days < 365.01)
        #expect(try names(certificate).count == 3)

        #expect(credentials.privateKeyPEM.hasPrefix("-----BEGIN PRIVATE KEY-----\n"))
        #expect(CertificateCoding.privateKey(pem: credentials.privateKeyPEM, matches: certificate))
        #expect(credentials.privateKey.publicKey == certificate.publicKey)
        #expect(credentials.certificate.certificateId == CertificateID.make(for: certificate))

        // The chain verifies with swift-certificates' own RFC 5280 verifier and server policy.
        var verifier = Verifier(rootCertificates: CertificateStore([root.certificate])) {
            RFC5280Policy()
            ServerIdentityPolicy(serverHostname: nil, serverIP: "::1")
        }
        let result = await verifier.validate(leaf: certificate, intermediates: CertificateStore())
        guard case .validCertificate = result else {
            Issue.record("server certificate did not verify: \(result)")
            return
        }
    }

    @Test("an RSA server key gets keyEncipherment as well")
    func rsaServerKey() throws {
        let credentials = try root.issueServerCertificate(
            hosts: ["broker.local"],
            privateKey: Certificate.PrivateKey(Fixtures.rsaKey)
        )
        let certificate = credentials.certificate.certificate
        #expect(_RSA.Signing.PublicKey(certificate.publicKey) != nil)
        #expect(try certificate.extensions.keyUsage == KeyUsage(digitalSignature: true, keyEncipherment: true))
        #expect(credentials.privateKeyPEM.hasPrefix("-----BEGIN PRIVATE KEY-----\n"))
        #expect(CertificateCoding.privateKey(pem: credentials.privateKeyPEM, matches: certificate))
    }

    @Test(
        "invalid hosts are rejected",
        arguments: [
            "", "bad host", "-leading.example", "trailing-.example", "a..b", "1.2.3.256", "ünïcode.example", "*",
        ]
    )
    func invalidHost(host: String) throws {
        let error = #expect(throws: CertificateAuthorityError.self) {
            try root.issueServerCertificate(hosts: [host])
        }
        #expect(error?.code == .invalidHost)
    }

    @Test("a stored server certificate is reused while it covers the hosts and is far from expiry")
    func reuse() throws {
        let now = Date()
        let credentials = try root.issueServerCertificate(hosts: ["iot.example.com", "192.0.2.7"], now: now)
        let certificate = credentials.certificate.certificate

        #expect(try root.canReuseServerCertificate(certificate, hosts: ["iot.example.com"], now: now))
        #expect(try root.canReuseServerCertificate(certificate, hosts: ["IOT.example.com.", "192.0.2.7"], now: now))
        #expect(try root.canReuseServerCertificate(certificate, hosts: [], now: now + 300 * 86_400))
        // A new public host, a new address, or close to the end: issue again.
        #expect(try !root.canReuseServerCertificate(certificate, hosts: ["other.example.com"], now: now))
        #expect(try !root.canReuseServerCertificate(certificate, hosts: ["192.0.2.8"], now: now))
        #expect(try !root.canReuseServerCertificate(certificate, hosts: [], now: now + 340 * 86_400))
        #expect(try !root.canReuseServerCertificate(certificate, hosts: [], now: now - 86_400))
        // Issued by another CA (for example after the root was replaced).
        let other = try Fixtures.customerCA()
        #expect(try !other.canReuseServerCertificate(certificate, hosts: [], now: now))
        // An invalid host in the list is an error, not a silent "no".
        #expect(throws: CertificateAuthorityError.self) {
            try root.canReuseServerCertificate(certificate, hosts: ["bad host"], now: now)
        }
    }

    @Test("a wildcard name covers one label")
    func wildcard() throws {
        let credentials = try root.issueServerCertificate(hosts: ["*.iot.example.com"])
        let certificate = credentials.certificate.certificate
        #expect(try root.canReuseServerCertificate(certificate, hosts: ["a.iot.example.com"]))
        #expect(try !root.canReuseServerCertificate(certificate, hosts: ["iot.example.com"]))
        #expect(try !root.canReuseServerCertificate(certificate, hosts: ["a.b.iot.example.com"]))
    }

    @Test("stored credentials are reused only when the key matches the certificate")
    func reuseCredentials() throws {
        let first = try root.issueServerCertificate(hosts: ["iot.example.com"])
        let second = try root.issueServerCertificate(hosts: ["iot.example.com"])
        #expect(
            try root.canReuseServerCredentials(
                certificatePEM: first.certificate.certificatePEM,
                privateKeyPEM: first.privateKeyPEM,
                hosts: ["iot.example.com"]
            )
        )
        #expect(
            try !root.canReuseServerCredentials(
                certificatePEM: first.certificate.certificatePEM,
                privateKeyPEM: second.privateKeyPEM,
                hosts: ["iot.example.com"]
            )
        )
        #expect(
            try !root.canReuseServerCredentials(
                certificatePEM: "not a certificate",
                privateKeyPEM: first.privateKeyPEM,
                hosts: ["iot.example.com"]
            )
        )
    }
}
