import AWSWire
import CertificateAuthority
import Foundation
import Registry
import X509

/// Device certificates: `CreateKeysAndCertificate`, `CreateCertificateFromCsr`,
/// `RegisterCertificate`, `RegisterCertificateWithoutCA`, `DescribeCertificate`,
/// `ListCertificates`, `ListCertificatesByCA`, `UpdateCertificate`, `DeleteCertificate`.
extension IoTHandlers {
    var certificateOperations: [Operation] {
        [
            ("CreateKeysAndCertificate", createKeysAndCertificate),
            ("CreateCertificateFromCsr", createCertificateFromCsr), ("RegisterCertificate", registerCertificate),
            ("RegisterCertificateWithoutCA", registerCertificateWithoutCA),
            ("DescribeCertificate", describeCertificate), ("ListCertificates", listCertificates),
            ("ListCertificatesByCA", listCertificatesByCA), ("UpdateCertificate", updateCertificate),
            ("DeleteCertificate", deleteCertificate),
        ]
    }

    /// A new RSA-2048 key pair and a root-signed certificate for it. The private key is in
    /// this response only: it is never stored.
    func createKeysAndCertificate(_ input: OperationInput) async throws -> OperationOutput {
        let created = try services.authority.createKeysAndCertificate(now: services.clock())
        let issued = created.certificate
        let certificate = try await registry.registerCertificate(
            CertificateRegistration(
                certificateId: issued.certificateId, certificatePem: issued.certificatePEM,
                status: input.bool("setAsActive") == true ? .active : .inactive,
                validity: Self.validity(of: issued.certificate)))
        return [
            "certificateArn": .string(certificate.certificateArn), "certificateId": .string(certificate.certificateId),
            "certificatePem": .string(certificate.certificatePem),
            "keyPair": ["PublicKey": .string(created.publicKeyPEM), "PrivateKey": .string(created.privateKeyPEM)],
        ]
    }

    /// A root-signed certificate for the key and subject of a PKCS#10 request.
    func createCertificateFromCsr(_ input: OperationInput) async throws -> OperationOutput {
        let request = try input.required("certificateSigningRequest")
        let issued: IssuedCertificate
        do {
            issued = try services.authority.issueCertificate(csrPEM: request, now: services.clock())
        } catch let error as CertificateAuthorityError {
            throw ServiceModel.iot.error(
                "InvalidRequestException", "The certificate signing request is not valid: \(error.reason)")
        }
        let certificate = try await registry.registerCertificate(
            CertificateRegistration(
                certificateId: issued.certificateId, certificatePem: issued.certificatePEM,
                status: input.bool("setAsActive") == true ? .active : .inactive,
                validity: Self.validity(of: issued.certificate)))
        return [
            "certificateArn": .string(certificate.certificateArn), "certificateId": .string(certificate.certificateId),
            "certificatePem": .string(certificate.certificatePem),
        ]
    }

    /// Registers a device certificate signed by a registered CA certificate (the one given
    /// as `caCertificatePem`, or the registered CA that signed it), in the CA's certificate
    /// mode.
    func registerCertificate(_ input: OperationInput) async throws -> OperationOutput {
        let pem = try input.required("certificatePem")
        let certificate = try Self.parseCertificate(pem, member: "certificatePem")
        let status = try Self.registrationStatus(input, setAsActive: input.bool("setAsActive"))
        try Self.requireNotExpired(certificate, now: services.clock())
        let ca = try await signingCACertificate(of: certificate, caCertificatePem: input.string("caCertificatePem"))
        guard ca.status == .active else {
            throw ServiceModel.iot.error(
                "CertificateStateException",
                "The CA certificate \(ca.certificateId) is not ACTIVE; certificates it signed cannot be registered")
        }
        let registered = try await registry.registerCertificate(
            CertificateRegistration(
                certificateId: CertificateID.make(for: certificate), certificatePem: pem, status: status,
                caCertificateId: ca.certificateId, validity: Self.validity(of: certificate),
                certificateMode: ca.certificateMode))
        return [
            "certificateArn": .string(registered.certificateArn), "certificateId": .string(registered.certificateId),
        ]
    }

    /// Registers a device certificate whatever signed it (AWS's SNI-only mode).
    func registerCertificateWithoutCA(_ input: OperationInput) async throws -> OperationOutput {
        let pem = try input.required("certificatePem")
        let certificate = try Self.parseCertificate(pem, member: "certificatePem")
        let status = try Self.registrationStatus(input, setAsActive: nil)
        try Self.requireNotExpired(certificate, now: services.clock())
        let registered = try await registry.registerCertificate(
            CertificateRegistration(
                certificateId: CertificateID.make(for: certificate), certificatePem: pem, status: status,
                validity: Self.validity(of: certificate), certificateMode: .sniOnly))
        return [
            "certificateArn": .string(registered.certificateArn), "certificateId": .string(registered.certificateId),
        ]
    }

    func describeCertificate(_ input: OperationInput) async throws -> OperationOutput {
        let certificate = try await registry.describeCertificate(certificateId: try input.required("certificateId"))
        var description: [String: AWSValue] = [
            "certificateArn": .string(certificate.certificateArn), "certificateId": .string(certificate.certificateId),
            "status": .string(certificate.status.rawValue), "certificatePem": .string(certificate.certificatePem),
            "ownedBy": .string(certificate.ownedBy), "creationDate": .timestamp(certificate.creationDate),
            "lastModifiedDate": .timestamp(certificate.lastModifiedDate),
            "customerVersion": .int(certificate.customerVersion), "generationId": .string(certificate.generationId),
            "certificateMode": .string(certificate.certificateMode.rawValue),
        ]
        description.set("caCertificateId", certificate.caCertificateId.map(AWSValue.string))
        description.set("previousOwnedBy", certificate.previousOwnedBy.map(AWSValue.string))
        description.set("validity", certificate.validity.map(AWSValue.validity))
        return ["certificateDescription": .map(description)]
    }

    func listCertificates(_ input: OperationInput) async throws -> OperationOutput {
        let page = try await registry.listCertificates(
            pageSize: input.int("pageSize"), marker: input.string("marker"),
            ascendingOrder: input.bool("ascendingOrder") ?? false)
        return Self.certificatePage(page)
    }

    func listCertificatesByCA(_ input: OperationInput) async throws -> OperationOutput {
        let page = try await registry.listCertificatesByCA(
            caCertificateId: try input.required("caCertificateId"), pageSize: input.int("pageSize"),
            marker: input.string("marker"), ascendingOrder: input.bool("ascendingOrder") ?? false)
        return Self.certificatePage(page)
    }

    func updateCertificate(_ input: OperationInput) async throws -> OperationOutput {
        let status = try input.required("newStatus")
        guard let newStatus = CertificateStatus(rawValue: status) else {
            throw ServiceModel.iot.error("InvalidRequestException", "Invalid certificate status: \(status)")
        }
        try await registry.updateCertificate(certificateId: try input.required("certificateId"), newStatus: newStatus)
        return .empty
    }

    func deleteCertificate(_ input: OperationInput) async throws -> OperationOutput {
        try await registry.deleteCertificate(
            certificateId: try input.required("certificateId"), forceDelete: input.bool("forceDelete") ?? false)
        return .empty
    }

    // MARK: Helpers

    /// The registered CA certificate that signed `certificate`: the one in `caCertificatePem`
    /// when given, otherwise the first registered CA whose subject is the certificate's issuer
    /// and whose key verifies its signature.
    ///
    /// - Throws: `CertificateValidationException` when no registered CA signed it.
    func signingCACertificate(
        of certificate: X509.Certificate, caCertificatePem: String?
    ) async throws -> CACertificate {
        if let caCertificatePem {
            let caCertificate = try Self.parseCertificate(caCertificatePem, member: "caCertificatePem")
            let id = CertificateID.make(for: caCertificate)
            let registered: CACertificate
            do {
                registered = try await registry.describeCACertificate(certificateId: id)
            } catch let error as RegistryError where error.code == .resourceNotFound {
                throw ServiceModel.iot.error(
                    "CertificateValidationException", "The CA certificate \(id) is not registered")
            }
            guard CACertificateRegistration.isIssued(certificate, by: caCertificate) else {
                throw ServiceModel.iot.error(
                    "CertificateValidationException", "The certificate is not signed by the given CA certificate")
            }
            return registered
        }
        var marker: String?
        repeat {
            let page = try await registry.listCACertificates(marker: marker, ascendingOrder: true)
            for summary in page.items {
                let candidate = try await registry.describeCACertificate(certificateId: summary.certificateId)
                guard let caCertificate = try? CertificateCoding.certificate(pem: candidate.certificatePem),
                    CACertificateRegistration.isIssued(certificate, by: caCertificate)
                else { continue }
                return candidate
            }
            marker = page.nextToken
        } while marker != nil
        throw ServiceModel.iot.error(
            "CertificateValidationException", "The certificate is not signed by a registered CA certificate")
    }

    /// The certificate in `pem`.
    ///
    /// - Throws: `CertificateValidationException` when it is not one PEM certificate.
    static func parseCertificate(_ pem: String, member: String) throws(AWSError) -> X509.Certificate {
        do {
            return try CertificateCoding.certificate(pem: pem)
        } catch {
            let reason = (error as? CertificateAuthorityError)?.reason ?? "\(error)"
            throw ServiceModel.iot.error("CertificateValidationException", "The \(member) is not valid: \(reason)")
        }
    }

    /// Throws `CertificateValidationException` for a certificate past its validity.
    static func requireNotExpired(_ certificate: X509.Certificate, now: Date) throws(AWSError) {
        if certificate.notValidAfter < now {
            throw ServiceModel.iot.error(
                "CertificateValidationException", "The certificate expired on \(certificate.notValidAfter)")
        }
    }

    /// The status to register a certificate with: `status` (`ACTIVE`, `INACTIVE` or
    /// `REVOKED`), else the deprecated `setAsActive`, else `INACTIVE`.
    static func registrationStatus(_ input: OperationInput, setAsActive: Bool?) throws(AWSError) -> CertificateStatus {
        if let text = input.string("status") {
            guard let status = CertificateStatus(rawValue: text), [.active, .inactive, .revoked].contains(status)
            else {
                throw ServiceModel.iot.error(
                    "InvalidRequestException",
                    "A certificate cannot be registered with status \(text); use ACTIVE, INACTIVE or REVOKED")
            }
            return status
        }
        return setAsActive == true ? .active : .inactive
    }

    static func validity(of certificate: X509.Certificate) -> CertificateValidity {
        CertificateValidity(notBefore: certificate.notValidBefore, notAfter: certificate.notValidAfter)
    }

    /// A page of certificates as `certificates` and `nextMarker`.
    static func certificatePage(_ page: Page<CertificateSummary>) -> OperationOutput {
        let certificates: [AWSValue] = page.items.map {
            [
                "certificateArn": .string($0.certificateArn), "certificateId": .string($0.certificateId),
                "status": .string($0.status.rawValue), "certificateMode": .string($0.certificateMode.rawValue),
                "creationDate": .timestamp($0.creationDate),
            ]
        }
        var output: [String: AWSValue] = ["certificates": .list(certificates)]
        output.set("nextMarker", page.nextToken.map(AWSValue.string))
        return OperationOutput(output)
    }
}
