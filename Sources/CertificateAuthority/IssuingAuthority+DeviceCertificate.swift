import Foundation
import X509
import _CryptoExtras

extension IssuingAuthority {
    /// `CN=AWS IoT Certificate`, the subject AWS IoT gives the certificates it creates.
    public static let deviceCertificateSubject = DistinguishedName([
        RelativeDistinguishedName(.init(type: .RDNAttributeType.commonName, utf8String: "AWS IoT Certificate"))
    ])

    /// 2049-12-31T23:59:59Z, the end of every AWS IoT-issued device certificate.
    public static let deviceCertificateNotValidAfter = Date(timeIntervalSince1970: 2_524_607_999)

    /// Creates an RSA-2048 key pair and a certificate for it, as AWS IoT's
    /// `CreateKeysAndCertificate` does.
    ///
    /// The certificate has subject `CN=AWS IoT Certificate`, a random 20-byte serial number,
    /// basicConstraints CA:FALSE and keyUsage digitalSignature (both critical), extendedKeyUsage
    /// clientAuth, subject and authority key identifiers, and is valid until
    /// ``deviceCertificateNotValidAfter``.
    public func createKeysAndCertificate(now: Date = Date()) throws -> DeviceKeysAndCertificate {
        try createKeysAndCertificate(privateKey: _RSA.Signing.PrivateKey(keySize: .bits2048), now: now)
    }

    /// ``createKeysAndCertificate(now:)`` with another subject: for Thingport's own signing
    /// credentials, such as the certificate SNS message signatures are checked with.
    public func createKeysAndCertificate(subject: DistinguishedName, now: Date = Date()) throws
        -> DeviceKeysAndCertificate
    {
        try createKeysAndCertificate(privateKey: _RSA.Signing.PrivateKey(keySize: .bits2048), subject: subject, now: now)
    }

    /// ``createKeysAndCertificate(now:)`` for an existing key.
    package func createKeysAndCertificate(
        privateKey: _RSA.Signing.PrivateKey,
        subject: DistinguishedName = IssuingAuthority.deviceCertificateSubject,
        now: Date = Date()
    ) throws -> DeviceKeysAndCertificate {
        let certificate = try issueDeviceCertificate(
            publicKey: Certificate.PublicKey(privateKey.publicKey),
            subject: subject,
            now: now
        )
        return DeviceKeysAndCertificate(
            certificate: certificate,
            publicKeyPEM: try KeyEncoding.normalized(privateKey.publicKey.pemRepresentation),
            privateKeyPEM: try KeyEncoding.normalized(privateKey.pemRepresentation)
        )
    }

    /// Issues a device certificate for a PEM certificate signing request, as AWS IoT's
    /// `CreateCertificateFromCsr` does: the request's subject and public key, and the extensions
    /// and validity of ``createKeysAndCertificate(now:)``.
    ///
    /// - Throws: ``CertificateAuthorityError`` with code
    ///   ``CertificateAuthorityError/Code-swift.struct/malformedCertificateSigningRequest``,
    ///   ``CertificateAuthorityError/Code-swift.struct/invalidCertificateSigningRequestSignature`` or
    ///   ``CertificateAuthorityError/Code-swift.struct/unsupportedKey``.
    public func issueCertificate(csrPEM: String, now: Date = Date()) throws -> IssuedCertificate {
        try issueCertificate(for: CertificateSigningRequestValidation.parse(pem: csrPEM), now: now)
    }

    /// Issues a device certificate for a parsed certificate signing request (see
    /// ``issueCertificate(csrPEM:now:)``). A request with an empty subject gets
    /// ``deviceCertificateSubject``.
    public func issueCertificate(for request: CertificateSigningRequest, now: Date = Date()) throws -> IssuedCertificate
    {
        try CertificateSigningRequestValidation.validate(request)
        let subject = request.subject.isEmpty ? Self.deviceCertificateSubject : request.subject
        return try issueDeviceCertificate(publicKey: request.publicKey, subject: subject, now: now)
    }

    private func issueDeviceCertificate(
        publicKey: Certificate.PublicKey,
        subject: DistinguishedName,
        now: Date
    ) throws -> IssuedCertificate {
        let certificate = try issue(
            publicKey: publicKey,
            subject: subject,
            notValidBefore: now - Self.clockSkewAllowance,
            notValidAfter: Self.deviceCertificateNotValidAfter,
            profile: .device
        )
        return IssuedCertificate(certificate)
    }
}
