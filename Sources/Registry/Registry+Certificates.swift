import SQLKit

extension Registry {
    /// Stores a device certificate (`RegisterCertificate`, `RegisterCertificateWithoutCA`,
    /// `CreateKeysAndCertificate`, `CreateCertificateFromCsr` after the certificate authority
    /// has made or checked it).
    ///
    /// - Throws: `ResourceAlreadyExistsException` when a certificate with this id exists;
    ///   `ResourceNotFoundException` for an unknown `caCertificateId`;
    ///   `InvalidRequestException` for an invalid id or an empty PEM.
    @discardableResult
    public func registerCertificate(_ registration: CertificateRegistration) async throws -> Certificate {
        try Validation.certificateId(registration.certificateId)
        if let ca = registration.caCertificateId { try Validation.certificateId(ca, member: "caCertificateId") }
        try Validation.check(
            registration.certificatePem, member: "certificatePem", pattern: nil, minLength: 1, maxLength: 65536)
        let id = registration.certificateId
        return try await write { db, changes in
            if try await fetchCertificate(id, db) != nil {
                throw RegistryError(
                    code: .resourceAlreadyExists, message: "The certificate is already provisioned or registered",
                    resourceId: id, resourceArn: scope.arn(.certificate(id)))
            }
            if let ca = registration.caCertificateId, try await fetchCACertificate(ca, db) == nil {
                throw RegistryError.notFound("CA certificate \(ca) cannot be found")
            }
            let created = now()
            try await db.raw(
                """
                INSERT INTO certificates (certificate_id, certificate_pem, status, ca_certificate_id, owned_by,
                    certificate_mode, creation_date, last_modified_date, customer_version, generation_id,
                    not_before, not_after)
                VALUES (\(bind: id), \(bind: registration.certificatePem), \(bind: registration.status.rawValue),
                    \(bind: registration.caCertificateId), \(bind: scope.accountId),
                    \(bind: registration.certificateMode.rawValue), \(bind: created), \(bind: created), 1,
                    \(bind: Self.generationId()), \(bind: registration.validity?.notBefore.millisecondsSince1970),
                    \(bind: registration.validity?.notAfter.millisecondsSince1970))
                """
            ).run()
            changes.record(.certificateStatusChanged(certificateId: id))
            logger.debug("Registered certificate", metadata: ["registry.certificate": "\(id)"])
            return try await fetchCertificate(id, db)!
        }
    }

    /// `DescribeCertificate`.
    ///
    /// - Throws: `ResourceNotFoundException`.
    public func describeCertificate(certificateId: String) async throws -> Certificate {
        try Validation.certificateId(certificateId)
        guard let certificate = try await read({ try await fetchCertificate(certificateId, $0) }) else {
            throw RegistryError.notFound("The certificate \(certificateId) cannot be found")
        }
        return certificate
    }

    /// The status of a certificate, or nil when it does not exist: the broker's check at
    /// connection time.
    public func certificateStatus(certificateId: String) async throws -> CertificateStatus? {
        try await read { db in
            try await db.raw("SELECT status FROM certificates WHERE certificate_id = \(bind: certificateId)").first()
                .map { CertificateStatus(rawValue: try $0.string("status")) ?? .inactive }
        }
    }

    /// `ListCertificates`, by creation date, newest first unless `ascendingOrder`.
    public func listCertificates(
        pageSize: Int? = nil, marker: String? = nil, ascendingOrder: Bool = false
    ) async throws -> Page<CertificateSummary> {
        try await listCertificates(
            caCertificateId: nil, pageSize: pageSize, marker: marker, ascendingOrder: ascendingOrder)
    }

    /// `ListCertificatesByCA`: the certificates registered with a CA certificate.
    public func listCertificatesByCA(
        caCertificateId: String, pageSize: Int? = nil, marker: String? = nil, ascendingOrder: Bool = false
    ) async throws -> Page<CertificateSummary> {
        try Validation.certificateId(caCertificateId, member: "caCertificateId")
        return try await listCertificates(
            caCertificateId: caCertificateId, pageSize: pageSize, marker: marker, ascendingOrder: ascendingOrder)
    }

    /// `UpdateCertificate`: sets the status to `ACTIVE`, `INACTIVE` or `REVOKED`.
    ///
    /// - Throws: `ResourceNotFoundException`; `CertificateStateException` for a revoked
    ///   certificate (revocation is final), one pending transfer, or a target status that
    ///   cannot be set (`PENDING_TRANSFER`, `PENDING_ACTIVATION`, `REGISTER_INACTIVE`).
    public func updateCertificate(certificateId: String, newStatus: CertificateStatus) async throws {
        try Validation.certificateId(certificateId)
        switch newStatus {
        case .active, .inactive, .revoked: break
        case .pendingTransfer, .pendingActivation, .registerInactive:
            throw RegistryError(
                code: .certificateState,
                message: "The certificate status cannot be set to \(newStatus.rawValue). Id: \(certificateId)")
        }
        try await write { db, changes in
            guard let certificate = try await fetchCertificate(certificateId, db) else {
                throw RegistryError.notFound("The certificate \(certificateId) cannot be found")
            }
            if certificate.status == newStatus { return }
            switch certificate.status {
            case .revoked:
                throw RegistryError(
                    code: .certificateState,
                    message: "The certificate is revoked and its status cannot be changed. Id: \(certificateId)")
            case .pendingTransfer:
                throw RegistryError(
                    code: .certificateState,
                    message:
                        "The certificate is pending transfer and its status cannot be changed. Id: \(certificateId)")
            default: break
            }
            try await db.raw(
                """
                UPDATE certificates SET status = \(bind: newStatus.rawValue), last_modified_date = \(bind: now()),
                    customer_version = customer_version + 1, generation_id = \(bind: Self.generationId())
                WHERE certificate_id = \(bind: certificateId)
                """
            ).run()
            changes.record(.certificateStatusChanged(certificateId: certificateId))
        }
    }

    /// `DeleteCertificate`. With `forceDelete`, the policies attached to it are detached in
    /// the same transaction.
    ///
    /// - Throws: `ResourceNotFoundException`; `CertificateStateException` unless the status is
    ///   `INACTIVE` or `REVOKED`; `DeleteConflictException` while attached to a thing, or to a
    ///   policy without `forceDelete`.
    public func deleteCertificate(certificateId: String, forceDelete: Bool = false) async throws {
        try Validation.certificateId(certificateId)
        try await write { db, changes in
            guard let certificate = try await fetchCertificate(certificateId, db) else {
                throw RegistryError.notFound("The certificate \(certificateId) cannot be found")
            }
            guard certificate.status == .inactive || certificate.status == .revoked else {
                throw RegistryError(
                    code: .certificateState,
                    message: certificate.status == .active
                        ? "Certificate must be deactivated (not ACTIVE) before deletion. Id: \(certificateId)"
                        : "Certificate must be INACTIVE or REVOKED before deletion. Id: \(certificateId)")
            }
            let arn = certificate.certificateArn
            if try await db.raw("SELECT thing_name FROM thing_principals WHERE principal = \(bind: arn) LIMIT 1")
                .first() != nil
            {
                throw RegistryError(
                    code: .deleteConflict, message: "Things must be detached before deletion (arn: \(arn))")
            }
            let attached = try await db.raw(
                "SELECT policy_name FROM policy_attachments WHERE target = \(bind: arn) LIMIT 1"
            ).first()
            if attached != nil {
                guard forceDelete else {
                    throw RegistryError(
                        code: .deleteConflict,
                        message: "Certificate policies must be detached before deletion (arn: \(arn))")
                }
                try await db.raw("DELETE FROM policy_attachments WHERE target = \(bind: arn)").run()
                changes.record(.attachmentsChanged(target: arn))
            }
            try await db.raw("DELETE FROM certificates WHERE certificate_id = \(bind: certificateId)").run()
            changes.record(.certificateStatusChanged(certificateId: certificateId))
            logger.debug("Deleted certificate", metadata: ["registry.certificate": "\(certificateId)"])
        }
    }

    // MARK: Helpers

    private func listCertificates(
        caCertificateId: String?, pageSize: Int?, marker: String?, ascendingOrder: Bool
    ) async throws -> Page<CertificateSummary> {
        let size = try PageToken.size(pageSize, maximum: 250, member: "pageSize")
        let position = try PageToken.decode(marker, parts: 2, member: "marker")
        let positionDate: Int64?
        if let position {
            guard let date = Int64(position[0]) else {
                throw RegistryError.invalidRequest("The marker is not valid: \(marker ?? "")")
            }
            positionDate = date
        } else {
            positionDate = nil
        }
        return try await read { db in
            var query: SQLQueryString =
                "SELECT certificate_id, status, certificate_mode, creation_date FROM certificates WHERE 1 = 1"
            if let caCertificateId { query += " AND ca_certificate_id = \(bind: caCertificateId)" }
            if let positionDate, let position {
                let comparison = ascendingOrder ? ">" : "<"
                query += """
                     AND (creation_date \(unsafeRaw: comparison) \(bind: positionDate) OR (creation_date = \(bind: positionDate) \
                    AND certificate_id \(unsafeRaw: comparison) \(bind: position[1])))
                    """
            }
            let direction = ascendingOrder ? "ASC" : "DESC"
            query += " ORDER BY creation_date \(unsafeRaw: direction), certificate_id \(unsafeRaw: direction)"
            query += " LIMIT \(literal: size + 1)"
            let rows = try await db.raw(query).all()
            return try PageToken.page(
                rows, size: size,
                key: { [String((try? $0.int64("creation_date")) ?? 0), (try? $0.string("certificate_id")) ?? ""] }
            ) { row in
                let id = try row.string("certificate_id")
                return CertificateSummary(
                    certificateArn: scope.arn(.certificate(id)), certificateId: id,
                    status: CertificateStatus(rawValue: try row.string("status")) ?? .inactive,
                    certificateMode: CertificateMode(rawValue: try row.string("certificate_mode")) ?? .default,
                    creationDate: try row.date("creation_date"))
            }
        }
    }

    func fetchCertificate(_ id: String, _ db: any SQLDatabase) async throws -> Certificate? {
        guard let row = try await db.raw("SELECT * FROM certificates WHERE certificate_id = \(bind: id)").first() else {
            return nil
        }
        let validity: CertificateValidity?
        if let notBefore = try row.optionalDate("not_before"), let notAfter = try row.optionalDate("not_after") {
            validity = CertificateValidity(notBefore: notBefore, notAfter: notAfter)
        } else {
            validity = nil
        }
        return Certificate(
            certificateArn: scope.arn(.certificate(id)), certificateId: id,
            caCertificateId: try row.optionalString("ca_certificate_id"),
            status: CertificateStatus(rawValue: try row.string("status")) ?? .inactive,
            certificatePem: try row.string("certificate_pem"), ownedBy: try row.string("owned_by"),
            previousOwnedBy: try row.optionalString("previous_owned_by"), creationDate: try row.date("creation_date"),
            lastModifiedDate: try row.date("last_modified_date"),
            customerVersion: Int(try row.int64("customer_version")), generationId: try row.string("generation_id"),
            validity: validity,
            certificateMode: CertificateMode(rawValue: try row.string("certificate_mode")) ?? .default)
    }
}
