import SQLKit

extension IdentityStore {
    /// The most versions a managed policy may have: 5, as on AWS.
    public static let maximumPolicyVersions = 5

    /// `CreatePolicyVersion`: adds a version (numbers keep growing: a deleted number is never
    /// reused), made the default when `setAsDefault`.
    ///
    /// - Throws: `NoSuchEntity`; `LimitExceeded` when the policy already has 5 versions or
    ///   the document is too large; `MalformedPolicyDocument`.
    @discardableResult
    public func createPolicyVersion(policyArn: String, policyDocument: String, setAsDefault: Bool = false)
        async throws -> ManagedPolicyVersion
    {
        let location = try policyLocation(policyArn)
        try Validation.managedPolicy(policyDocument)
        return try await write { db in
            guard let location, try await fetchPolicy(location, db) != nil else {
                throw IdentityError.noSuchEntity("Policy \(policyArn) was not found.")
            }
            let key = location.key
            if try await versionCount(key, db) >= Self.maximumPolicyVersions {
                throw IdentityError.limitExceeded(
                    "A managed policy can have up to \(Self.maximumPolicyVersions) versions. Before you create a "
                        + "new version, you must delete an existing version.")
            }
            let last = try await db.raw("SELECT last_version FROM iam_policies WHERE policy_key = \(bind: key)")
                .first()!.int64("last_version")
            let version = last + 1
            let created = now()
            try await db.raw(
                """
                INSERT INTO iam_policy_versions (policy_key, version, document, create_date)
                VALUES (\(bind: key), \(bind: version), \(bind: policyDocument), \(bind: created))
                """
            ).run()
            var update: SQLQueryString = """
                UPDATE iam_policies SET last_version = \(bind: version), update_date = \(bind: created)
                """
            if setAsDefault { update += ", default_version = \(bind: version)" }
            update += " WHERE policy_key = \(bind: key)"
            try await db.raw(update).run()
            return try await fetchVersion(key, version, db)!
        }
    }

    /// `GetPolicyVersion`.
    ///
    /// - Throws: `NoSuchEntity` for the policy or the version; `ValidationError` for a
    ///   version id that is not `v` and a number.
    public func getPolicyVersion(policyArn: String, versionId: String) async throws -> ManagedPolicyVersion {
        let location = try policyLocation(policyArn)
        let number = try Validation.versionNumber(versionId)
        return try await read { db in
            guard let location, try await fetchPolicy(location, db) != nil,
                let version = try await fetchVersion(location.key, number, db)
            else {
                throw IdentityError.noSuchEntity(
                    "Policy \(policyArn) version \(versionId) does not exist or is not attachable.")
            }
            return version
        }
    }

    /// `ListPolicyVersions`, newest first.
    ///
    /// - Throws: `NoSuchEntity`.
    public func listPolicyVersions(policyArn: String, marker: String? = nil, maxItems: Int? = nil) async throws
        -> Page<ManagedPolicyVersion>
    {
        let location = try policyLocation(policyArn)
        let size = try Marker.size(maxItems)
        let after = try Marker.decode(marker).map { Int64($0) ?? 0 }
        return try await read { db in
            guard let location, let policy = try await fetchPolicy(location, db) else {
                throw IdentityError.noSuchEntity("Policy \(policyArn) was not found.")
            }
            var query: SQLQueryString = """
                SELECT version, document, create_date FROM iam_policy_versions WHERE policy_key = \(bind: location.key)
                """
            if let after { query += " AND version < \(bind: after)" }
            query += " ORDER BY version DESC LIMIT \(literal: size + 1)"
            let rows = try await db.raw(query).all()
            return try Marker.page(rows, size: size, key: { String(try $0.int64("version")) }) { row in
                try Self.version(from: row, defaultVersionId: policy.defaultVersionId)
            }
        }
    }

    /// `SetDefaultPolicyVersion`.
    ///
    /// - Throws: `NoSuchEntity` for the policy or the version.
    public func setDefaultPolicyVersion(policyArn: String, versionId: String) async throws {
        let location = try policyLocation(policyArn)
        let number = try Validation.versionNumber(versionId)
        try await write { db in
            guard let location, try await fetchPolicy(location, db) != nil,
                try await fetchVersion(location.key, number, db) != nil
            else {
                throw IdentityError.noSuchEntity(
                    "Policy \(policyArn) version \(versionId) does not exist or is not attachable.")
            }
            try await db.raw(
                """
                UPDATE iam_policies SET default_version = \(bind: number), update_date = \(bind: now())
                WHERE policy_key = \(bind: location.key)
                """
            ).run()
        }
    }

    /// `DeletePolicyVersion`: deletes a version that is not the default.
    ///
    /// - Throws: `NoSuchEntity` for the policy or the version; `DeleteConflict` for the
    ///   default version (delete the policy instead).
    public func deletePolicyVersion(policyArn: String, versionId: String) async throws {
        let location = try policyLocation(policyArn)
        let number = try Validation.versionNumber(versionId)
        try await write { db in
            guard let location, try await fetchPolicy(location, db) != nil,
                let version = try await fetchVersion(location.key, number, db)
            else {
                throw IdentityError.noSuchEntity(
                    "Policy \(policyArn) version \(versionId) does not exist or is not attachable.")
            }
            if version.isDefaultVersion {
                throw IdentityError.deleteConflict("Cannot delete the default version of a policy.")
            }
            try await db.raw(
                "DELETE FROM iam_policy_versions WHERE policy_key = \(bind: location.key) AND version = \(bind: number)"
            ).run()
        }
    }

    // MARK: Helpers

    func versionCount(_ key: String, _ db: any SQLDatabase) async throws -> Int64 {
        try await db.raw("SELECT COUNT(*) AS n FROM iam_policy_versions WHERE policy_key = \(bind: key)")
            .first()!.int64("n")
    }

    func fetchVersion(_ key: String, _ number: Int64, _ db: any SQLDatabase) async throws -> ManagedPolicyVersion? {
        guard
            let row = try await db.raw(
                """
                SELECT v.version, v.document, v.create_date, p.default_version
                FROM iam_policy_versions v JOIN iam_policies p ON p.policy_key = v.policy_key
                WHERE v.policy_key = \(bind: key) AND v.version = \(bind: number)
                """
            ).first()
        else { return nil }
        return try Self.version(from: row, defaultVersionId: "v\(try row.int64("default_version"))")
    }

    static func version(from row: any SQLRow, defaultVersionId: String) throws -> ManagedPolicyVersion {
        let versionId = "v\(try row.int64("version"))"
        return ManagedPolicyVersion(
            document: try row.string("document"), versionId: versionId, isDefaultVersion: versionId == defaultVersionId,
            createDate: try row.date("create_date"))
    }
}
