import Foundation

/// `CertificateStatus` of the `iot` model.
public enum CertificateStatus: String, Sendable, Hashable, CaseIterable {
    case active = "ACTIVE"
    case inactive = "INACTIVE"
    case revoked = "REVOKED"
    case pendingTransfer = "PENDING_TRANSFER"
    case registerInactive = "REGISTER_INACTIVE"
    case pendingActivation = "PENDING_ACTIVATION"
}

/// `CertificateMode`: whether devices must send SNI to use the certificate.
public enum CertificateMode: String, Sendable, Hashable, CaseIterable {
    case `default` = "DEFAULT"
    case sniOnly = "SNI_ONLY"
}

/// `CertificateValidity`: the certificate's validity period.
public struct CertificateValidity: Sendable, Hashable {
    /// Not valid before this date.
    public var notBefore: Date
    /// Not valid after this date.
    public var notAfter: Date

    /// Creates a validity period.
    public init(notBefore: Date, notAfter: Date) {
        self.notBefore = notBefore
        self.notAfter = notAfter
    }
}

/// A device certificate as `DescribeCertificate` returns it (`CertificateDescription`).
public struct Certificate: Sendable, Hashable {
    /// `arn:aws:iot:REGION:ACCOUNT:cert/ID`.
    public var certificateArn: String
    /// Lowercase hex SHA-256 of the DER.
    public var certificateId: String
    /// The CA certificate that signed it, when registered with one.
    public var caCertificateId: String?
    /// The status.
    public var status: CertificateStatus
    /// The PEM text.
    public var certificatePem: String
    /// The owning account.
    public var ownedBy: String
    /// The account it was transferred from.
    public var previousOwnedBy: String?
    /// When it was registered.
    public var creationDate: Date
    /// When its status last changed.
    public var lastModifiedDate: Date
    /// Grows by one with every change.
    public var customerVersion: Int
    /// Changes with every change.
    public var generationId: String
    /// The validity period, when known.
    public var validity: CertificateValidity?
    /// `DEFAULT` or `SNI_ONLY`.
    public var certificateMode: CertificateMode
}

/// A device certificate to store: what the certificate authority computed from the PEM.
public struct CertificateRegistration: Sendable, Hashable {
    /// Lowercase hex SHA-256 of the DER (64 characters).
    public var certificateId: String
    /// The PEM text, stored as given.
    public var certificatePem: String
    /// The initial status.
    public var status: CertificateStatus
    /// The registered CA certificate that signed it, if any (it must exist).
    public var caCertificateId: String?
    /// The validity period read from the certificate.
    public var validity: CertificateValidity?
    /// `DEFAULT` unless the certificate was registered without a CA for SNI.
    public var certificateMode: CertificateMode

    /// Creates a registration.
    public init(
        certificateId: String, certificatePem: String, status: CertificateStatus, caCertificateId: String? = nil,
        validity: CertificateValidity? = nil, certificateMode: CertificateMode = .default
    ) {
        self.certificateId = certificateId
        self.certificatePem = certificatePem
        self.status = status
        self.caCertificateId = caCertificateId
        self.validity = validity
        self.certificateMode = certificateMode
    }
}

/// A certificate in listings (`Certificate` shape of `ListCertificates`).
public struct CertificateSummary: Sendable, Hashable {
    /// The ARN.
    public var certificateArn: String
    /// The id.
    public var certificateId: String
    /// The status.
    public var status: CertificateStatus
    /// `DEFAULT` or `SNI_ONLY`.
    public var certificateMode: CertificateMode
    /// When it was registered.
    public var creationDate: Date
}
