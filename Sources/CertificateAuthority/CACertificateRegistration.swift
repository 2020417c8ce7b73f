import Foundation
import X509

/// The checks behind AWS IoT's `RegisterCACertificate` and `RegisterCertificate`.
///
/// Registering a customer CA takes the CA certificate and a *verification certificate*: a
/// certificate signed with the CA's private key whose subject common name is the
/// registration code from `GetRegistrationCode`, proving the registrant holds that key.
public enum CACertificateRegistration {
    /// Whether `certificate` may issue certificates: basicConstraints CA:TRUE and, when the
    /// keyUsage extension is present, keyCertSign.
    public static func isCertificateAuthority(_ certificate: Certificate) -> Bool {
        (try? requireCertificateAuthority(certificate)) != nil
    }

    /// Throws unless `certificate` is a CA certificate (see ``isCertificateAuthority(_:)``).
    ///
    /// - Throws: ``CertificateAuthorityError/Code-swift.struct/notACertificateAuthority``, saying why.
    public static func requireCertificateAuthority(_ certificate: Certificate) throws {
        let basicConstraints: BasicConstraints?
        let keyUsage: KeyUsage?
        do {
            basicConstraints = try certificate.extensions.basicConstraints
            keyUsage = try certificate.extensions.keyUsage
        } catch {
            throw CertificateAuthorityError(.notACertificateAuthority, "malformed CA extensions: \(error)")
        }
        guard case .isCertificateAuthority = basicConstraints else {
            throw CertificateAuthorityError(
                .notACertificateAuthority,
                "\(certificate.subject) does not have basicConstraints CA:TRUE"
            )
        }
        if let keyUsage, !keyUsage.keyCertSign {
            throw CertificateAuthorityError(
                .notACertificateAuthority,
                "\(certificate.subject) has a keyUsage without keyCertSign"
            )
        }
    }

    /// Whether `caCertificate` issued `certificate`: the issuer name is the CA's subject and
    /// the CA's key verifies the signature.
    public static func isIssued(_ certificate: Certificate, by caCertificate: Certificate) -> Bool {
        (try? requireIssued(certificate, by: caCertificate)) != nil
    }

    /// Throws unless `caCertificate` issued `certificate` (see ``isIssued(_:by:)``); the check
    /// `RegisterCertificate` makes against the registered CA.
    ///
    /// - Throws: ``CertificateAuthorityError/Code-swift.struct/notIssuedByCertificateAuthority``.
    public static func requireIssued(_ certificate: Certificate, by caCertificate: Certificate) throws {
        guard certificate.issuer == caCertificate.subject else {
            throw CertificateAuthorityError(
                .notIssuedByCertificateAuthority,
                "the certificate's issuer \(certificate.issuer) is not the CA \(caCertificate.subject)"
            )
        }
        guard caCertificate.publicKey.isValidSignature(certificate.signature, for: certificate) else {
            throw CertificateAuthorityError(
                .notIssuedByCertificateAuthority,
                "the certificate's signature does not verify with the CA's public key"
            )
        }
    }

    /// Checks the verification certificate of a `RegisterCACertificate` request.
    ///
    /// - Parameters:
    ///   - verificationCertificate: The certificate the registrant signed with the CA's key.
    ///   - caCertificate: The CA certificate being registered.
    ///   - registrationCode: The account's registration code.
    ///   - now: The time at which the verification certificate must be valid.
    /// - Throws: ``CertificateAuthorityError`` with code
    ///   ``CertificateAuthorityError/Code-swift.struct/notACertificateAuthority``,
    ///   ``CertificateAuthorityError/Code-swift.struct/notIssuedByCertificateAuthority``,
    ///   ``CertificateAuthorityError/Code-swift.struct/registrationCodeMismatch``,
    ///   ``CertificateAuthorityError/Code-swift.struct/certificateExpired`` or
    ///   ``CertificateAuthorityError/Code-swift.struct/certificateNotYetValid``.
    public static func verifyVerificationCertificate(
        _ verificationCertificate: Certificate,
        caCertificate: Certificate,
        registrationCode: String,
        now: Date = Date()
    ) throws {
        try requireCertificateAuthority(caCertificate)
        try requireIssued(verificationCertificate, by: caCertificate)
        let commonNames = verificationCertificate.subject.commonNames
        guard commonNames == [registrationCode] else {
            throw CertificateAuthorityError(
                .registrationCodeMismatch,
                "the verification certificate's common name \(commonNames) is not the registration code"
            )
        }
        try requireValid(verificationCertificate, at: now)
    }

    /// Throws unless `now` is within `certificate`'s validity period.
    static func requireValid(_ certificate: Certificate, at now: Date) throws {
        if now < certificate.notValidBefore {
            throw CertificateAuthorityError(
                .certificateNotYetValid,
                "\(certificate.subject) is not valid before \(certificate.notValidBefore)"
            )
        }
        if now > certificate.notValidAfter {
            throw CertificateAuthorityError(
                .certificateExpired,
                "\(certificate.subject) expired at \(certificate.notValidAfter)"
            )
        }
    }
}
