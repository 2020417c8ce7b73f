import Foundation
import X509
import _CryptoExtras

/// A CA certificate together with its private key: Thingport's root, which issues the
/// broker's server certificate and devices' certificates.
///
/// Create a root once with ``generateRoot(subject:now:validity:)``, store
/// ``certificatePEM`` and ``privateKeyPEM()``, and load it again on later starts with
/// ``init(certificatePEM:privateKeyPEM:)``.
public struct IssuingAuthority: Sendable {
    /// The CA certificate.
    public let certificate: Certificate
    /// The CA's private key.
    public let privateKey: Certificate.PrivateKey
    /// The CA certificate's id (lowercase hex SHA-256 of its DER).
    public let certificateId: String

    /// `CN=Thingport Root CA, O=Thingport` (RFC 4514 order; O is the first RDN in the DER).
    public static let defaultRootSubject = DistinguishedName([
        RelativeDistinguishedName(.init(type: .RDNAttributeType.organizationName, utf8String: "Thingport")),
        RelativeDistinguishedName(.init(type: .RDNAttributeType.commonName, utf8String: "Thingport Root CA")),
    ])

    /// 25 years (9,131 days, counting the leap days), as long-lived as the roots devices ship with.
    public static let defaultRootValidity: TimeInterval = 9_131 * 86_400

    /// How far before "now" issued certificates start, to tolerate clocks that run behind.
    static let clockSkewAllowance: TimeInterval = 5 * 60

    /// Wraps an existing CA certificate and its key.
    ///
    /// - Throws: ``CertificateAuthorityError/Code-swift.struct/notACertificateAuthority`` when the
    ///   certificate is not a CA, ``CertificateAuthorityError/Code-swift.struct/keyMismatch`` when
    ///   the key is not the certificate's.
    public init(certificate: Certificate, privateKey: Certificate.PrivateKey) throws {
        try CACertificateRegistration.requireCertificateAuthority(certificate)
        guard privateKey.publicKey == certificate.publicKey else {
            throw CertificateAuthorityError(.keyMismatch, "the private key does not belong to the CA certificate")
        }
        self.certificate = certificate
        self.privateKey = privateKey
        self.certificateId = CertificateID.make(for: certificate)
    }

    /// Loads a CA from its certificate PEM and private key PEM (PKCS#1, SEC1 or PKCS#8).
    ///
    /// - Throws: as ``CertificateCoding/certificate(pem:)``,
    ///   ``CertificateCoding/privateKey(pem:)`` and ``init(certificate:privateKey:)``.
    public init(certificatePEM: String, privateKeyPEM: String) throws {
        try self.init(
            certificate: CertificateCoding.certificate(pem: certificatePEM),
            privateKey: CertificateCoding.privateKey(pem: privateKeyPEM)
        )
    }

    /// Creates a new self-signed root with a fresh RSA-2048 key, signed with SHA-256 (the
    /// shape of Amazon Root CA 1).
    ///
    /// - Parameters:
    ///   - subject: The root's name (also its issuer).
    ///   - now: The issuing time; the root is valid from a few minutes before it.
    ///   - validity: How long the root is valid.
    public static func generateRoot(
        subject: DistinguishedName = defaultRootSubject,
        now: Date = Date(),
        validity: TimeInterval = defaultRootValidity
    ) throws -> IssuingAuthority {
        let key = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        return try makeRoot(privateKey: Certificate.PrivateKey(key), subject: subject, now: now, validity: validity)
    }

    /// Creates a self-signed root around an existing key of any supported type.
    public static func makeRoot(
        privateKey: Certificate.PrivateKey,
        subject: DistinguishedName = defaultRootSubject,
        now: Date = Date(),
        validity: TimeInterval = defaultRootValidity
    ) throws -> IssuingAuthority {
        let certificate = try sign(
            publicKey: privateKey.publicKey,
            subject: subject,
            issuer: subject,
            notValidBefore: now - clockSkewAllowance,
            notValidAfter: now + validity,
            profile: .root,
            authorityKeyIdentifier: nil,
            serialNumber: .random(byteCount: 16),
            signingKey: privateKey
        )
        return try IssuingAuthority(certificate: certificate, privateKey: privateKey)
    }

    /// The CA certificate as PEM.
    public var certificatePEM: String {
        CertificateCoding.pem(of: self.certificate)
    }

    /// The CA's private key as unencrypted PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`).
    public func privateKeyPEM() throws -> String {
        try KeyEncoding.pkcs8PEM(of: self.privateKey)
    }

    /// Issues a subordinate CA (path length 0) for `privateKey`'s public key.
    ///
    /// Thingport itself issues from the root; customers' CA hierarchies have intermediates,
    /// which tests build with this.
    package func issueIntermediate(
        privateKey: Certificate.PrivateKey,
        subject: DistinguishedName,
        now: Date = Date(),
        validity: TimeInterval = 3_652 * 86_400
    ) throws -> IssuingAuthority {
        let certificate = try issue(
            publicKey: privateKey.publicKey,
            subject: subject,
            notValidBefore: now - Self.clockSkewAllowance,
            notValidAfter: now + validity,
            profile: .intermediate
        )
        return try IssuingAuthority(certificate: certificate, privateKey: privateKey)
    }

    /// Signs a certificate for `publicKey` with this CA's key.
    func issue(
        publicKey: Certificate.PublicKey,
        subject: DistinguishedName,
        notValidBefore: Date,
        notValidAfter: Date,
        profile: CertificateProfile
    ) throws -> Certificate {
        try Self.sign(
            publicKey: publicKey,
            subject: subject,
            issuer: self.certificate.subject,
            notValidBefore: notValidBefore,
            notValidAfter: notValidAfter,
            profile: profile,
            authorityKeyIdentifier: self.keyIdentifier,
            serialNumber: .random(byteCount: 20),
            signingKey: self.privateKey
        )
    }

    /// The key identifier for the authorityKeyIdentifier of certificates this CA issues:
    /// its subjectKeyIdentifier, or the RFC 5280 SHA-1 key hash when it has none.
    private var keyIdentifier: ArraySlice<UInt8> {
        if let identifier = try? self.certificate.extensions.subjectKeyIdentifier {
            return identifier.keyIdentifier
        }
        return SubjectKeyIdentifier(hash: self.certificate.publicKey).keyIdentifier
    }

    private static func sign(
        publicKey: Certificate.PublicKey,
        subject: DistinguishedName,
        issuer: DistinguishedName,
        notValidBefore: Date,
        notValidAfter: Date,
        profile: CertificateProfile,
        authorityKeyIdentifier: ArraySlice<UInt8>?,
        serialNumber: Certificate.SerialNumber,
        signingKey: Certificate.PrivateKey
    ) throws -> Certificate {
        do {
            return try Certificate(
                version: .v3,
                serialNumber: serialNumber,
                publicKey: publicKey,
                notValidBefore: notValidBefore,
                notValidAfter: notValidAfter,
                issuer: issuer,
                subject: subject,
                extensions: profile.extensions(subjectKey: publicKey, authorityKeyIdentifier: authorityKeyIdentifier),
                issuerPrivateKey: signingKey
            )
        } catch {
            throw CertificateAuthorityError(.issuingFailed, "cannot build or sign the certificate: \(error)")
        }
    }
}
