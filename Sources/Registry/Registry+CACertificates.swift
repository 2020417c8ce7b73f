import SQLKit

extension Registry {
    /// Stores a CA certificate (`RegisterCACertificate`, after the certificate authority has
    /// checked it and its verification certificate).
    ///
    /// - Throws: `ResourceAlreadyExistsException` when a CA certificate with this id exists;
    ///   `InvalidRequestException` for an invalid id, PEM or tags.
    @discardableResult
    public func registerCACertificate(_ registration: CACertificateRegistration, tags: [Tag] = []) async throws
        -> CACertificate
    {
        try Validation.certificateId(registration.certificateId)
        try Validation.check(
            registration.certificatePem, member: "caCertificate", pattern: nil, minLength: 1, maxLength: 65536)
        try Self.validate(tags: tags)
        let id = registration.certificateId
        return try await write { db, changes in
            if try await fetchCACertificate(id, db) != nil {
                throw RegistryError(
                    code: .resourceAlreadyExists, message: "The CA certificate is already registered",
                    resourceId: id, resourceArn: scope.arn(.caCertificate(id)))
            }
            let created = now()
            let config = try registration.registrationConfig.map { try JSONText.encode($0) }
            try await db.raw(
                """
                INSERT INTO ca_certificates (certificate_id, certificate_pem, status, auto_registration_status,
                    owned_by, certificate_mode, registration_config, creation_date, last_modified_date,
                    customer_version, generation_id, not_before, not_after)
                VALUES (\(bind: id), \(bind: registration.certificatePem), \(bind: registration.status.rawValue),
                    \(bind: registration.autoRegistrationStatus.rawValue), \(bind: scope.accountId),
                    \(bind: registration.certificateMode.rawValue), \(bind: config), \(bind: created), \(bind: created),
                    1, \(bind: Self.generationId()), \(bind: registration.validity?.notBefore.millisecondsSince1970),
                    \(bind: registration.validity?.notAfter.millisecondsSince1970))
                """
            ).run()
            try await insertTags(tags, resourceArn: scope.arn(.caCertificate(id)), db)
            changes.record(.caCertificateChanged(certificateId: id))
            return try await fetchCACertificate(id, db)!
        }
    }

    /// `DescribeCACertificate`.
    ///
    /// - Throws: `ResourceNotFoundException`.
    public func describeCACertificate(certificateId: String) async throws -> CACertificate {
        try Validation.certificateId(certificateId)
        guard let certificate = try await read({ try await fetchCACertificate(certificateId, $0) }) else {
            throw RegistryError.notFound("The CA certificate \(certificateId) cannot be found")
        }
        return certificate
    }

    /// `ListCACertificates`, by creation date, newest first unless `ascendingOrder`;
    /// `templateName` keeps those whose provisioning template has this name.
    public func listCACertificates(
        pageSize: Int? = nil, marker: String? = nil, ascendingOrder: Bool = false, templateName: String? = nil
    ) async throws -> Page<CACertificateSummary> {
        let size = try PageToken.size(pageSize, maximum: 250, member: "pageSize")
        let position = try PageToken.decode(marker, parts: 2, member: "marker")
        let positionDate = try position.map { position throws(RegistryError) -> Int64 in
            guard let date = Int64(position[0]) else {
                throw RegistryError.invalidRequest("The marker is not valid: \(marker ?? "")")
            }
            return date
        }
        return try await read { db in
            var query: SQLQueryString =
                "SELECT certificate_id, status, creation_date, registration_config FROM ca_certificates WHERE 1 = 1"
            if let positionDate, let position {
                let comparison = ascendingOrder ? ">" : "<"
                query += """
                     AND (creation_date \(unsafeRaw: comparison) \(bind: positionDate) OR (creation_date = \(bind: positionDate) \
                    AND certificate_id \(unsafeRaw: comparison) \(bind: position[1])))
                    """
            }
            let direction = ascendingOrder ? "ASC" : "DESC"
            query += " ORDER BY creation_date \(unsafeRaw: direction), certificate_id \(unsafeRaw: direction)"
            var rows = try await db.raw(query).all()
            if let templateName {
                // Few CA certificates exist: filter the JSON here rather than in SQL.
                rows = try rows.filter { row in
                    guard let text = try row.optionalString("registration_config") else { return false }
                    return try JSONText.decode(RegistrationConfig.self, from: text).templateName == templateName
                }
            }
            return try PageToken.page(
                rows, size: size,
                key: { [String((try? $0.int64("creation_date")) ?? 0), (try? $0.string("certificate_id")) ?? ""] }
            ) { row in
                let id = try row.string("certificate_id")
                return CACertificateSummary(
                    certificateArn: scope.arn(.caCertificate(id)), certificateId: id,
                    status: CACertificateStatus(rawValue: try row.string("status")) ?? .inactive,
                    creationDate: try row.date("creation_date"))
            }
        }
    }

    /// `UpdateCACertificate`: any of the status, the auto-registration status and the
    /// registration configuration (`removeAutoRegistration` clears the latter).
    ///
    /// - Throws: `ResourceNotFoundException`; `InvalidRequestException` for both
    ///   `registrationConfig` and `removeAutoRegistration`.
    public func updateCACertificate(
        certificateId: String, newStatus: CACertificateStatus? = nil,
        newAutoRegistrationStatus: AutoRegistrationStatus? = nil, registrationConfig: RegistrationConfig? = nil,
        removeAutoRegistration: Bool = false
    ) async throws {
        try Validation.certificateId(certificateId)
        if registrationConfig != nil && removeAutoRegistration {
            throw RegistryError.invalidRequest(
                "The registrationConfig and removeAutoRegistration parameters cannot be used together")
        }
        try await write { db, changes in
            guard let current = try await fetchCACertificate(certificateId, db) else {
                throw RegistryError.notFound("The CA certificate \(certificateId) cannot be found")
            }
            let status = newStatus ?? current.status
            let autoRegistration = newAutoRegistrationStatus ?? current.autoRegistrationStatus
            let config = removeAutoRegistration ? nil : (registrationConfig ?? current.registrationConfig)
            try await db.raw(
                """
                UPDATE ca_certificates SET status = \(bind: status.rawValue),
                    auto_registration_status = \(bind: autoRegistration.rawValue),
                    registration_config = \(bind: try config.map { try JSONText.encode($0) }),
                    last_modified_date = \(bind: now()), customer_version = customer_version + 1,
                    generation_id = \(bind: Self.generationId())
                WHERE certificate_id = \(bind: certificateId)
                """
            ).run()
            changes.record(.caCertificateChanged(certificateId: certificateId))
        }
    }

    /// `DeleteCACertificate`, with its tags. The device certificates registered with it stay
    /// (their `caCertificateId` keeps naming it).
    ///
    /// - Throws: `ResourceNotFoundException`; `CertificateStateException` while `ACTIVE`.
    public func deleteCACertificate(certificateId: String) async throws {
        try Validation.certificateId(certificateId)
        try await write { db, changes in
            guard let current = try await fetchCACertificate(certificateId, db) else {
                throw RegistryError.notFound("The CA certificate \(certificateId) cannot be found")
            }
            if current.status == .active {
                throw RegistryError(
                    code: .certificateState,
                    message: "Certificate must be deactivated (not ACTIVE) before deletion. Id: \(certificateId)")
            }
            try await db.raw("DELETE FROM ca_certificates WHERE certificate_id = \(bind: certificateId)").run()
            try await deleteTags(of: current.certificateArn, db)
            changes.record(.caCertificateChanged(certificateId: certificateId))
        }
    }

    // MARK: Helpers

    func fetchCACertificate(_ id: String, _ db: any SQLDatabase) async throws -> CACertificate? {
        guard let row = try await db.raw("SELECT * FROM ca_certificates WHERE certificate_id = \(bind: id)").first()
        else { return nil }
        let validity: CertificateValidity?
        if let notBefore = try row.optionalDate("not_before"), let notAfter = try row.optionalDate("not_after") {
            validity = CertificateValidity(notBefore: notBefore, notAfter: notAfter)
        } else {
            validity = nil
        }
        return CACertificate(
            certificateArn: scope.arn(.caCertificate(id)), certificateId: id,
            status: CACertificateStatus(rawValue: try row.string("status")) ?? .inactive,
            certificatePem: try row.string("certificate_pem"), ownedBy: try row.string("owned_by"),
            creationDate: try row.date("creation_date"),
            autoRegistrationStatus: AutoRegistrationStatus(rawValue: try row.string("auto_registration_status"))
                ?? .disable,
            lastModifiedDate: try row.date("last_modified_date"),
            customerVersion: Int(try row.int64("customer_version")), generationId: try row.string("generation_id"),
            validity: validity,
            certificateMode: CertificateMode(rawValue: try row.string("certificate_mode")) ?? .default,
            registrationConfig: try row.optionalString("registration_config").map {
                try JSONText.decode(RegistrationConfig.self, from: $0)
            })
    }
}
