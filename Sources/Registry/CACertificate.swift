import Foundation

/// `CACertificateStatus`.
public enum CACertificateStatus: String, Sendable, Hashable, CaseIterable {
    case active = "ACTIVE"
    case inactive = "INACTIVE"
}

/// `AutoRegistrationStatus`.
public enum AutoRegistrationStatus: String, Sendable, Hashable, CaseIterable {
    case enable = "ENABLE"
    case disable = "DISABLE"
}

/// `RegistrationConfig`: the provisioning template of just-in-time registration.
public struct RegistrationConfig: Sendable, Hashable, Codable {
    /// The template body (JSON).
    public var templateBody: String?
    /// The role the template runs with.
    public var roleArn: String?
    /// A named provisioning template.
    public var templateName: String?

    /// Creates a configuration.
    public init(templateBody: String? = nil, roleArn: String? = nil, templateName: String? = nil) {
        self.templateBody = templateBody
        self.roleArn = roleArn
        self.templateName = templateName
    }
}

/// A CA certificate as `DescribeCACertificate` returns it (`CACertificateDescription` plus
/// the registration configuration).
public struct CACertificate: Sendable, Hashable {
    /// `arn:aws:iot:REGION:ACCOUNT:cacert/ID`.
    public var certificateArn: String
    /// Lowercase hex SHA-256 of the DER.
    public var certificateId: String
    /// `ACTIVE` or `INACTIVE`.
    public var status: CACertificateStatus
    /// The PEM text.
    public var certificatePem: String
    /// The owning account.
    public var ownedBy: String
    /// When it was registered.
    public var creationDate: Date
    /// Whether devices' certificates signed by it register on first connection.
    public var autoRegistrationStatus: AutoRegistrationStatus
    /// When it last changed.
    public var lastModifiedDate: Date
    /// Grows by one with every change.
    public var customerVersion: Int
    /// Changes with every change.
    public var generationId: String
    /// The validity period, when known.
    public var validity: CertificateValidity?
    /// `DEFAULT` or `SNI_ONLY`.
    public var certificateMode: CertificateMode
    /// The just-in-time provisioning template, if any.
    public var registrationConfig: RegistrationConfig?
}

/// A CA certificate to store.
public struct CACertificateRegistration: Sendable, Hashable {
    /// Lowercase hex SHA-256 of the DER.
    public var certificateId: String
    /// The PEM text.
    public var certificatePem: String
    /// The initial status.
    public var status: CACertificateStatus
    /// The initial auto-registration status.
    public var autoRegistrationStatus: AutoRegistrationStatus
    /// The validity period read from the certificate.
    public var validity: CertificateValidity?
    /// `DEFAULT` or `SNI_ONLY`.
    public var certificateMode: CertificateMode
    /// The just-in-time provisioning template, if any.
    public var registrationConfig: RegistrationConfig?

    /// Creates a registration.
    public init(
        certificateId: String, certificatePem: String, status: CACertificateStatus,
        autoRegistrationStatus: AutoRegistrationStatus = .disable, validity: CertificateValidity? = nil,
        certificateMode: CertificateMode = .default, registrationConfig: RegistrationConfig? = nil
    ) {
        self.certificateId = certificateId
        self.certificatePem = certificatePem
        self.status = status
        self.autoRegistrationStatus = autoRegistrationStatus
        self.validity = validity
        self.certificateMode = certificateMode
        self.registrationConfig = registrationConfig
    }
}

/// A CA certificate in listings (`CACertificate` shape of `ListCACertificates`).
public struct CACertificateSummary: Sendable, Hashable {
    /// The ARN.
    public var certificateArn: String
    /// The id.
    public var certificateId: String
    /// The status.
    public var status: CACertificateStatus
    /// When it was registered.
    public var creationDate: Date
}
