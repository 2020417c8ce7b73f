import AWSWire
import CertificateAuthority
import Foundation
import Registry
import X509

/// CA certificates: `GetRegistrationCode`, `RegisterCACertificate`, `DescribeCACertificate`,
/// `ListCACertificates`, `UpdateCACertificate`, `DeleteCACertificate`.
extension IoTHandlers {
    var caCertificateOperations: [Operation] {
        [
            ("GetRegistrationCode", getRegistrationCode), ("RegisterCACertificate", registerCACertificate),
            ("DescribeCACertificate", describeCACertificate), ("ListCACertificates", listCACertificates),
            ("UpdateCACertificate", updateCACertificate), ("DeleteCACertificate", deleteCACertificate),
        ]
    }

    /// The account's registration code, derived rather than stored: the hex SHA-256 of the
    /// account id and the root CA's certificate id. It is stable for an account and data
    /// directory (across restarts and resets), differs between installations, and has AWS's
    /// form (64 hex digits). It need not be secret: the verification certificate proves the
    /// registrant holds the CA's key, and the code binds that proof to this account.
    static func registrationCode(authority: IssuingAuthority, accountId: String) -> String {
        let material = "thingport registration code\u{0}\(accountId)\u{0}\(authority.certificateId)"
        return CertificateID.make(derBytes: Array(material.utf8))
    }

    func getRegistrationCode(_ input: OperationInput) async throws -> OperationOutput {
        ["registrationCode": .string(registrationCode)]
    }

    /// Registers a customer CA. In `DEFAULT` mode the verification certificate must be signed
    /// by the CA's key and have the registration code as its common name; in `SNI_ONLY` mode
    /// there is none.
    func registerCACertificate(_ input: OperationInput) async throws -> OperationOutput {
        let pem = try input.required("caCertificate")
        let caCertificate = try Self.parseCertificate(pem, member: "caCertificate")
        do {
            try CACertificateRegistration.requireCertificateAuthority(caCertificate)
        } catch let error as CertificateAuthorityError {
            throw ServiceModel.iot.error(
                "CertificateValidationException", "The CA certificate is not valid: \(error.reason)")
        }
        let now = services.clock()
        try Self.requireNotExpired(caCertificate, now: now)
        let modeText = input.string("certificateMode") ?? CertificateMode.default.rawValue
        guard let mode = CertificateMode(rawValue: modeText) else {
            throw ServiceModel.iot.error("InvalidRequestException", "Invalid certificate mode: \(modeText)")
        }
        let verificationPEM = input.string("verificationCertificate")
        switch (mode, verificationPEM) {
        case (.default, nil):
            throw ServiceModel.iot.error(
                "InvalidRequestException", "The verificationCertificate is required when certificateMode is DEFAULT")
        case (.default, let verificationPEM?):
            let verification = try Self.parseCertificate(verificationPEM, member: "verificationCertificate")
            try verify(verification, caCertificate: caCertificate, now: now)
        case (.sniOnly, nil):
            break
        case (.sniOnly, _?):
            throw ServiceModel.iot.error(
                "InvalidRequestException", "The verificationCertificate must be empty when certificateMode is SNI_ONLY")
        }
        let ca = try await registry.registerCACertificate(
            CACertificateRegistration(
                certificateId: CertificateID.make(for: caCertificate), certificatePem: pem,
                status: input.bool("setAsActive") == true ? .active : .inactive,
                autoRegistrationStatus: input.bool("allowAutoRegistration") == true ? .enable : .disable,
                validity: Self.validity(of: caCertificate), certificateMode: mode,
                registrationConfig: Self.registrationConfig(input["registrationConfig"])),
            tags: input.tags())
        return ["certificateArn": .string(ca.certificateArn), "certificateId": .string(ca.certificateId)]
    }

    func describeCACertificate(_ input: OperationInput) async throws -> OperationOutput {
        let ca = try await registry.describeCACertificate(certificateId: try input.required("certificateId"))
        var description: [String: AWSValue] = [
            "certificateArn": .string(ca.certificateArn), "certificateId": .string(ca.certificateId),
            "status": .string(ca.status.rawValue), "certificatePem": .string(ca.certificatePem),
            "ownedBy": .string(ca.ownedBy), "creationDate": .timestamp(ca.creationDate),
            "autoRegistrationStatus": .string(ca.autoRegistrationStatus.rawValue),
            "lastModifiedDate": .timestamp(ca.lastModifiedDate), "customerVersion": .int(ca.customerVersion),
            "generationId": .string(ca.generationId), "certificateMode": .string(ca.certificateMode.rawValue),
        ]
        description.set("validity", ca.validity.map(AWSValue.validity))
        var output: [String: AWSValue] = ["certificateDescription": .map(description)]
        if let config = ca.registrationConfig {
            var members: [String: AWSValue] = [:]
            members.set("templateBody", config.templateBody.map(AWSValue.string))
            members.set("roleArn", config.roleArn.map(AWSValue.string))
            members.set("templateName", config.templateName.map(AWSValue.string))
            output["registrationConfig"] = .map(members)
        }
        return OperationOutput(output)
    }

    func listCACertificates(_ input: OperationInput) async throws -> OperationOutput {
        let page = try await registry.listCACertificates(
            pageSize: input.int("pageSize"), marker: input.string("marker"),
            ascendingOrder: input.bool("ascendingOrder") ?? false, templateName: input.string("templateName"))
        let certificates: [AWSValue] = page.items.map {
            [
                "certificateArn": .string($0.certificateArn), "certificateId": .string($0.certificateId),
                "status": .string($0.status.rawValue), "creationDate": .timestamp($0.creationDate),
            ]
        }
        var output: [String: AWSValue] = ["certificates": .list(certificates)]
        output.set("nextMarker", page.nextToken.map(AWSValue.string))
        return OperationOutput(output)
    }

    func updateCACertificate(_ input: OperationInput) async throws -> OperationOutput {
        let newStatus = try input.string("newStatus").map { text throws(AWSError) in
            guard let status = CACertificateStatus(rawValue: text) else {
                throw ServiceModel.iot.error("InvalidRequestException", "Invalid CA certificate status: \(text)")
            }
            return status
        }
        let newAutoRegistration = try input.string("newAutoRegistrationStatus").map { text throws(AWSError) in
            guard let status = AutoRegistrationStatus(rawValue: text) else {
                throw ServiceModel.iot.error("InvalidRequestException", "Invalid auto registration status: \(text)")
            }
            return status
        }
        try await registry.updateCACertificate(
            certificateId: try input.required("certificateId"), newStatus: newStatus,
            newAutoRegistrationStatus: newAutoRegistration,
            registrationConfig: Self.registrationConfig(input["registrationConfig"]),
            removeAutoRegistration: input.bool("removeAutoRegistration") ?? false)
        return .empty
    }

    func deleteCACertificate(_ input: OperationInput) async throws -> OperationOutput {
        try await registry.deleteCACertificate(certificateId: try input.required("certificateId"))
        return .empty
    }

    // MARK: Helpers

    /// Checks a verification certificate against the CA and the registration code.
    ///
    /// - Throws: `RegistrationCodeValidationException` when its common name is not the code;
    ///   `CertificateValidationException` when the CA's key did not sign it or it is not valid now.
    func verify(_ verification: X509.Certificate, caCertificate: X509.Certificate, now: Date) throws(AWSError) {
        do {
            try CACertificateRegistration.verifyVerificationCertificate(
                verification, caCertificate: caCertificate, registrationCode: registrationCode, now: now)
        } catch let error as CertificateAuthorityError where error.code == .registrationCodeMismatch {
            throw ServiceModel.iot.error(
                "RegistrationCodeValidationException",
                "The verification certificate's common name is not the registration code of this account")
        } catch let error as CertificateAuthorityError {
            throw ServiceModel.iot.error(
                "CertificateValidationException", "The verification certificate is not valid: \(error.reason)")
        } catch {
            throw ServiceModel.iot.error("CertificateValidationException", "The verification certificate is not valid")
        }
    }

    /// A `RegistrationConfig` member.
    static func registrationConfig(_ value: AWSValue?) -> RegistrationConfig? {
        guard let value else { return nil }
        return RegistrationConfig(
            templateBody: value["templateBody"]?.stringValue, roleArn: value["roleArn"]?.stringValue,
            templateName: value["templateName"]?.stringValue)
    }
}
