import SQLKit

extension Registry {
    /// The most versions a policy may have: 5, as on AWS.
    public static let maximumPolicyVersions = 5

    /// `CreatePolicy`: the document becomes version 1, the default. The document is stored as
    /// given; the control plane checks it with the policy engine first
    /// (`MalformedPolicyException`).
    ///
    /// - Throws: `ResourceAlreadyExistsException` when the name is taken;
    ///   `InvalidRequestException` for an invalid name or tags.
    @discardableResult
    public func createPolicy(policyName: String, policyDocument: String, tags: [Tag] = []) async throws -> Policy {
        try Validation.policyName(policyName)
        try Validation.check(policyDocument, member: "policyDocument", pattern: nil, maxLength: 404_600)
        try Self.validate(tags: tags)
        return try await write { db, changes in
            let arn = scope.arn(.policy(policyName))
            if try await db.raw("SELECT policy_name FROM policies WHERE policy_name = \(bind: policyName)").first()
                != nil
            {
                throw RegistryError(
                    code: .resourceAlreadyExists,
                    message: "Policy cannot be created - name already exists (name=\(policyName))",
                    resourceId: policyName, resourceArn: arn)
            }
            let created = now()
            try await db.raw(
                """
                INSERT INTO policies (policy_name, default_version_id, last_version_id, creation_date,
                    last_modified_date, generation_id)
                VALUES (\(bind: policyName), 1, 1, \(bind: created), \(bind: created), \(bind: Self.generationId()))
                """
            ).run()
            try await db.raw(
                """
                INSERT INTO policy_versions (policy_name, version_id, document, creation_date)
                VALUES (\(bind: policyName), 1, \(bind: policyDocument), \(bind: created))
                """
            ).run()
            try await insertTags(tags, resourceArn: arn, db)
            changes.record(.policyChanged(policyName: policyName))
            return try await fetchPolicy(policyName, db)!
        }
    }

    /// `GetPolicy`: the policy with its default version's document.
    ///
    /// - Throws: `ResourceNotFoundException`.
    public func getPolicy(policyName: String) async throws -> Policy {
        try Validation.policyName(policyName)
        guard let policy = try await read({ try await fetchPolicy(policyName, $0) }) else {
            throw Self.policyNotFound(policyName)
        }
        return policy
    }

    /// `ListPolicies`, by name (descending unless `ascendingOrder`).
    public func listPolicies(
        marker: String? = nil, pageSize: Int? = nil, ascendingOrder: Bool = true
    ) async throws -> Page<PolicySummary> {
        let size = try PageToken.size(pageSize, maximum: 250, member: "pageSize")
        let after = try PageToken.decode(marker, parts: 1, member: "marker")?[0]
        return try await read { db in
            var query: SQLQueryString = "SELECT policy_name FROM policies WHERE 1 = 1"
            if let after { query += " AND policy_name \(unsafeRaw: ascendingOrder ? ">" : "<") \(bind: after)" }
            query += " ORDER BY policy_name \(unsafeRaw: ascendingOrder ? "ASC" : "DESC") LIMIT \(literal: size + 1)"
            let rows = try await db.raw(query).all()
            return try PageToken.page(rows, size: size, key: { [(try? $0.string("policy_name")) ?? ""] }) {
                policySummary(try $0.string("policy_name"))
            }
        }
    }

    /// `DeletePolicy`, with its versions and tags.
    ///
    /// - Throws: `ResourceNotFoundException`; `DeleteConflictException` while the policy is
    ///   attached to a target, or has versions besides the default.
    public func deletePolicy(policyName: String) async throws {
        try Validation.policyName(policyName)
        try await write { db, changes in
            guard try await fetchPolicy(policyName, db) != nil else { throw Self.policyNotFound(policyName) }
            if try await db.raw("SELECT target FROM policy_attachments WHERE policy_name = \(bind: policyName) LIMIT 1")
                .first() != nil
            {
                throw RegistryError(
                    code: .deleteConflict,
                    message:
                        "The policy cannot be deleted as the policy is attached to one or more principals (name=\(policyName))"
                )
            }
            let count = try await versionCount(policyName, db)
            if count > 1 {
                throw RegistryError(
                    code: .deleteConflict,
                    message:
                        "Cannot delete the policy because it has one or more policy versions attached to it (name=\(policyName))"
                )
            }
            try await db.raw("DELETE FROM policies WHERE policy_name = \(bind: policyName)").run()
            try await deleteTags(of: scope.arn(.policy(policyName)), db)
            changes.record(.policyChanged(policyName: policyName))
        }
    }

    /// `CreatePolicyVersion`: adds a version (ids keep growing: a deleted id is never reused),
    /// made the default when `setAsDefault`.
    ///
    /// - Throws: `ResourceNotFoundException`; `VersionsLimitExceededException` when the policy
    ///   already has 5 versions.
    @discardableResult
    public func createPolicyVersion(
        policyName: String, policyDocument: String, setAsDefault: Bool = false
    ) async throws -> PolicyVersion {
        try Validation.policyName(policyName)
        try Validation.check(policyDocument, member: "policyDocument", pattern: nil, maxLength: 404_600)
        return try await write { db, changes in
            guard
                let row = try await db.raw(
                    "SELECT last_version_id FROM policies WHERE policy_name = \(bind: policyName)"
                ).first()
            else { throw Self.policyNotFound(policyName) }
            if try await versionCount(policyName, db) >= Self.maximumPolicyVersions {
                throw RegistryError(
                    code: .versionsLimitExceeded,
                    message: "The policy \(policyName) already has the maximum number of versions "
                        + "(\(Self.maximumPolicyVersions))")
            }
            let version = try row.int64("last_version_id") + 1
            let created = now()
            try await db.raw(
                """
                INSERT INTO policy_versions (policy_name, version_id, document, creation_date)
                VALUES (\(bind: policyName), \(bind: version), \(bind: policyDocument), \(bind: created))
                """
            ).run()
            var update: SQLQueryString = """
                UPDATE policies SET last_version_id = \(bind: version), last_modified_date = \(bind: created),
                    generation_id = \(bind: Self.generationId())
                """
            if setAsDefault { update += ", default_version_id = \(bind: version)" }
            update += " WHERE policy_name = \(bind: policyName)"
            try await db.raw(update).run()
            if setAsDefault { changes.record(.policyChanged(policyName: policyName)) }
            return try await fetchPolicyVersion(policyName, version, db)!
        }
    }

    /// `GetPolicyVersion`.
    ///
    /// - Throws: `ResourceNotFoundException` for the policy or the version.
    public func getPolicyVersion(policyName: String, policyVersionId: String) async throws -> PolicyVersion {
        try Validation.policyName(policyName)
        let version = try Validation.policyVersionId(policyVersionId)
        guard let found = try await read({ try await fetchPolicyVersion(policyName, version, $0) }) else {
            throw Self.policyVersionNotFound(policyName, policyVersionId)
        }
        return found
    }

    /// `ListPolicyVersions`, newest first.
    ///
    /// - Throws: `ResourceNotFoundException`.
    public func listPolicyVersions(policyName: String) async throws -> [PolicyVersionSummary] {
        try Validation.policyName(policyName)
        return try await read { db in
            guard
                let policy = try await db.raw(
                    "SELECT default_version_id FROM policies WHERE policy_name = \(bind: policyName)"
                ).first()
            else { throw Self.policyNotFound(policyName) }
            let defaultVersion = try policy.int64("default_version_id")
            return try await db.raw(
                """
                SELECT version_id, creation_date FROM policy_versions WHERE policy_name = \(bind: policyName)
                ORDER BY version_id DESC
                """
            ).all().map { row in
                let id = try row.int64("version_id")
                return PolicyVersionSummary(
                    versionId: String(id), isDefaultVersion: id == defaultVersion,
                    createDate: try row.date("creation_date"))
            }
        }
    }

    /// `SetDefaultPolicyVersion`.
    ///
    /// - Throws: `ResourceNotFoundException` for the policy or the version.
    public func setDefaultPolicyVersion(policyName: String, policyVersionId: String) async throws {
        try Validation.policyName(policyName)
        let version = try Validation.policyVersionId(policyVersionId)
        try await write { db, changes in
            guard try await fetchPolicyVersion(policyName, version, db) != nil else {
                throw Self.policyVersionNotFound(policyName, policyVersionId)
            }
            try await db.raw(
                """
                UPDATE policies SET default_version_id = \(bind: version), last_modified_date = \(bind: now()),
                    generation_id = \(bind: Self.generationId())
                WHERE policy_name = \(bind: policyName)
                """
            ).run()
            changes.record(.policyChanged(policyName: policyName))
        }
    }

    /// `DeletePolicyVersion`: deletes a version that is not the default.
    ///
    /// - Throws: `ResourceNotFoundException` for the policy or the version;
    ///   `DeleteConflictException` for the default version (delete the policy instead).
    public func deletePolicyVersion(policyName: String, policyVersionId: String) async throws {
        try Validation.policyName(policyName)
        let version = try Validation.policyVersionId(policyVersionId)
        try await write { db, _ in
            guard let found = try await fetchPolicyVersion(policyName, version, db) else {
                throw Self.policyVersionNotFound(policyName, policyVersionId)
            }
            if found.isDefaultVersion {
                throw RegistryError(code: .deleteConflict, message: "Cannot delete the default version of a policy")
            }
            try await db.raw(
                "DELETE FROM policy_versions WHERE policy_name = \(bind: policyName) AND version_id = \(bind: version)"
            ).run()
            try await db.raw(
                "UPDATE policies SET last_modified_date = \(bind: now()) WHERE policy_name = \(bind: policyName)"
            ).run()
        }
    }

    // MARK: Helpers

    static func policyNotFound(_ name: String) -> RegistryError {
        RegistryError.notFound("Policy not found (name=\(name))")
    }

    static func policyVersionNotFound(_ name: String, _ version: String) -> RegistryError {
        RegistryError.notFound("Policy version not found (name=\(name), versionId=\(version))")
    }

    func policySummary(_ name: String) -> PolicySummary {
        PolicySummary(policyName: name, policyArn: scope.arn(.policy(name)))
    }

    func versionCount(_ policyName: String, _ db: any SQLDatabase) async throws -> Int {
        Int(
            try await db.raw("SELECT COUNT(*) AS n FROM policy_versions WHERE policy_name = \(bind: policyName)")
                .first()!.int64("n"))
    }

    func fetchPolicy(_ name: String, _ db: any SQLDatabase) async throws -> Policy? {
        guard
            let row = try await db.raw(
                """
                SELECT p.default_version_id, p.creation_date, p.last_modified_date, p.generation_id, v.document
                FROM policies p JOIN policy_versions v
                    ON v.policy_name = p.policy_name AND v.version_id = p.default_version_id
                WHERE p.policy_name = \(bind: name)
                """
            ).first()
        else { return nil }
        return Policy(
            policyName: name, policyArn: scope.arn(.policy(name)), policyDocument: try row.string("document"),
            defaultVersionId: String(try row.int64("default_version_id")), creationDate: try row.date("creation_date"),
            lastModifiedDate: try row.date("last_modified_date"), generationId: try row.string("generation_id"))
    }

    func fetchPolicyVersion(_ name: String, _ version: Int64, _ db: any SQLDatabase) async throws -> PolicyVersion? {
        guard
            let row = try await db.raw(
                """
                SELECT p.default_version_id, p.last_modified_date, p.generation_id, v.document, v.creation_date
                FROM policies p JOIN policy_versions v ON v.policy_name = p.policy_name
                WHERE p.policy_name = \(bind: name) AND v.version_id = \(bind: version)
                """
            ).first()
        else { return nil }
        return PolicyVersion(
            policyName: name, policyArn: scope.arn(.policy(name)), policyDocument: try row.string("document"),
            policyVersionId: String(version), isDefaultVersion: try row.int64("default_version_id") == version,
            creationDate: try row.date("creation_date"), lastModifiedDate: try row.date("last_modified_date"),
            generationId: try row.string("generation_id"))
    }
}
