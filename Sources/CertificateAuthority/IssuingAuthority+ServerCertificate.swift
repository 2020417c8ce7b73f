import Crypto
import Foundation
import X509
import _CryptoExtras

extension IssuingAuthority {
    /// The names every server certificate carries besides the public hosts.
    public static let defaultServerHosts = ["localhost", "127.0.0.1", "::1"]

    /// One year: within the 825-day limit Apple platforms put on TLS server certificates.
    public static let defaultServerValidity: TimeInterval = 365 * 86_400

    /// A server certificate closer than this to its end is replaced at start-up.
    public static let defaultServerRenewalWindow: TimeInterval = 30 * 86_400

    /// Issues a TLS server certificate with a new key for `hosts` plus
    /// ``defaultServerHosts``.
    ///
    /// Hosts that parse as IP addresses (IPv4, or IPv6 with or without brackets) become IP
    /// subjectAltNames, the others DNS names. The subject is `CN=<first DNS name>, O=Thingport`.
    /// The certificate has extendedKeyUsage serverAuth and an authorityKeyIdentifier.
    ///
    /// - Parameters:
    ///   - hosts: The public host names and addresses clients connect to.
    ///   - keyAlgorithm: The server key type; P-256 unless clients need RSA.
    ///   - now: The issuing time.
    ///   - validity: How long the certificate is valid.
    /// - Throws: ``CertificateAuthorityError/Code-swift.struct/invalidHost`` for a host that is
    ///   neither an IP address nor a valid DNS name.
    public func issueServerCertificate(
        hosts: [String],
        keyAlgorithm: ServerKeyAlgorithm = .p256,
        now: Date = Date(),
        validity: TimeInterval = defaultServerValidity
    ) throws -> ServerCredentials {
        let privateKey: Certificate.PrivateKey
        switch keyAlgorithm {
        case .p256:
            privateKey = Certificate.PrivateKey(P256.Signing.PrivateKey())
        case .rsa2048:
            privateKey = Certificate.PrivateKey(try _RSA.Signing.PrivateKey(keySize: .bits2048))
        }
        return try issueServerCertificate(hosts: hosts, privateKey: privateKey, now: now, validity: validity)
    }

    /// Issues a TLS server certificate for an existing key (see
    /// ``issueServerCertificate(hosts:keyAlgorithm:now:validity:)``).
    package func issueServerCertificate(
        hosts: [String],
        privateKey: Certificate.PrivateKey,
        now: Date = Date(),
        validity: TimeInterval = defaultServerValidity
    ) throws -> ServerCredentials {
        let names = try Self.serverHosts(hosts)
        let commonName: String =
            names.lazy.compactMap { host -> String? in
                guard case .dnsName(let name) = host else { return nil }
                return name
            }.first ?? "localhost"
        let subject = DistinguishedName([
            RelativeDistinguishedName(.init(type: .RDNAttributeType.organizationName, utf8String: "Thingport")),
            RelativeDistinguishedName(.init(type: .RDNAttributeType.commonName, utf8String: commonName)),
        ])
        let isRSA = _RSA.Signing.PublicKey(privateKey.publicKey) != nil
        let certificate = try issue(
            publicKey: privateKey.publicKey,
            subject: subject,
            notValidBefore: now - Self.clockSkewAllowance,
            notValidAfter: now + validity,
            profile: .server(SubjectAlternativeNames(names.map(\.generalName)), keyEncipherment: isRSA)
        )
        return ServerCredentials(
            certificate: IssuedCertificate(certificate),
            privateKey: privateKey,
            privateKeyPEM: try KeyEncoding.pkcs8PEM(of: privateKey)
        )
    }

    /// Whether a stored server certificate can be used again at start-up: this CA issued it,
    /// it names every host in `hosts` and ``defaultServerHosts``, it is already valid and it
    /// stays valid for more than `renewalWindow` after `now`.
    ///
    /// - Throws: ``CertificateAuthorityError/Code-swift.struct/invalidHost`` for an invalid host.
    public func canReuseServerCertificate(
        _ certificate: Certificate,
        hosts: [String],
        now: Date = Date(),
        renewalWindow: TimeInterval = defaultServerRenewalWindow
    ) throws -> Bool {
        let required = try Self.serverHosts(hosts)
        guard CACertificateRegistration.isIssued(certificate, by: self.certificate),
            certificate.notValidBefore <= now,
            certificate.notValidAfter.timeIntervalSince(now) > renewalWindow,
            let names = try? certificate.extensions.subjectAlternativeNames
        else {
            return false
        }
        return required.allSatisfy { host in names.contains { host.isCovered(by: $0) } }
    }

    /// Whether stored server credentials can be used again: both PEMs parse, the key is the
    /// certificate's, and ``canReuseServerCertificate(_:hosts:now:renewalWindow:)`` holds.
    ///
    /// - Throws: ``CertificateAuthorityError/Code-swift.struct/invalidHost`` for an invalid host.
    public func canReuseServerCredentials(
        certificatePEM: String,
        privateKeyPEM: String,
        hosts: [String],
        now: Date = Date(),
        renewalWindow: TimeInterval = defaultServerRenewalWindow
    ) throws -> Bool {
        guard let certificate = try? CertificateCoding.certificate(pem: certificatePEM),
            CertificateCoding.privateKey(pem: privateKeyPEM, matches: certificate)
        else {
            _ = try Self.serverHosts(hosts)
            return false
        }
        return try canReuseServerCertificate(certificate, hosts: hosts, now: now, renewalWindow: renewalWindow)
    }

    /// `hosts` then the defaults, parsed, without duplicates, in order.
    private static func serverHosts(_ hosts: [String]) throws -> [ServerHost] {
        var seen: Set<ServerHost> = []
        var result: [ServerHost] = []
        for text in hosts + defaultServerHosts {
            let host = try ServerHost(parsing: text)
            if seen.insert(host).inserted {
                result.append(host)
            }
        }
        return result
    }
}
