import AWSWire
import SQLKit

extension IdentityStore {
    /// `CreatePolicy`: a customer managed policy whose document becomes version `v1`, the default.
    ///
    /// - Parameters:
    ///   - policyName: 1–128 characters of `[\w+=,.@-]`; unique in the account regardless of case.
    ///   - path: `/` (the default) or `/…/`.
    ///   - policyDocument: A permissions policy (at most 6144 characters besides whitespace).
    ///   - description: Up to 1000 characters; it cannot be changed later.
    ///   - tags: Up to 50, keys unique regardless of case.
    /// - Throws: `EntityAlreadyExists`; `MalformedPolicyDocument`; `LimitExceeded`;
    ///   `InvalidInput`; `ValidationError`.
    @discardableResult
    public func createPolicy(
        policyName: String, path: String? = nil, policyDocument: String, description: String? = nil,
        tags: [IAMTag] = []
    ) async throws -> ManagedPolicy {
        let path = path ?? "/"
        try Validation.policyName(policyName)
        try Validation.policyPath(path)
        try Validation.description(description)
        try Validation.tags(tags)
        try Validation.managedPolicy(policyDocument)
        let key = Self.key(policyName)
        let tagText = try TagsColumn.encode(tags)
        let policy = try await write { db in
            if try await db.raw("SELECT policy_key FROM iam_policies WHERE policy_key = \(bind: key)").first() != nil {
                throw IdentityError(
                    code: .entityAlreadyExists,
                    message: "A policy called \(policyName) already exists. Duplicate names are not allowed.")
            }
            let created = now()
            try await db.raw(
                """
                INSERT INTO iam_policies (policy_key, policy_name, policy_id, path, description, default_version,
                    last_version, tags, create_date, update_date)
                VALUES (\(bind: key), \(bind: policyName), \(bind: Self.uniqueId(prefix: "ANPA")), \(bind: path),
                    \(bind: description), 1, 1, \(bind: tagText), \(bind: created), \(bind: created))
                """
            ).run()
            try await db.raw(
                """
                INSERT INTO iam_policy_versions (policy_key, version, document, create_date)
                VALUES (\(bind: key), 1, \(bind: policyDocument), \(bind: created))
                """
            ).run()
            return try await fetchPolicy(key, db)!
        }
        logger.debug(
            "Policy created", metadata: ["iam.policy": "\(policy.policyName)", "iam.policy_id": "\(policy.policyId)"])
        return policy
    }

    /// `GetPolicy`.
    ///
    /// - Throws: `NoSuchEntity` (also for AWS managed policies, which Thingport does not
    ///   have); `InvalidInput` for a text that is not a policy ARN.
    public func getPolicy(policyArn: String) async throws -> ManagedPolicy {
        let location = try policyLocation(policyArn)
        guard let location, let policy = try await read({ try await fetchPolicy(location, $0) }) else {
            throw IdentityError.noSuchEntity("Policy \(policyArn) was not found.")
        }
        return policy
    }

    /// `ListPolicies`, by name.
    ///
    /// - Parameters:
    ///   - scope: `Local` and `All` list the account's policies; `AWS` lists none (Thingport
    ///     has no AWS managed policies).
    ///   - onlyAttached: Only policies attached to a role.
    ///   - pathPrefix: Only policies whose path starts with it.
    ///   - policyUsageFilter: `PermissionsBoundary` lists none (Thingport has no boundaries).
    public func listPolicies(
        scope: PolicyScope = .all, onlyAttached: Bool = false, pathPrefix: String? = nil,
        policyUsageFilter: PolicyUsage? = nil, marker: String? = nil, maxItems: Int? = nil
    ) async throws -> Page<ManagedPolicy> {
        if let pathPrefix { try Validation.policyPath(pathPrefix, member: "pathPrefix") }
        let size = try Marker.size(maxItems)
        let after = try Marker.decode(marker)
        if scope == .aws || policyUsageFilter == .permissionsBoundary {
            return Page(items: [], marker: nil)
        }
        return try await read { db in
            var query: SQLQueryString = "SELECT \(unsafeRaw: Self.policyColumns) FROM iam_policies p WHERE 1 = 1"
            if onlyAttached {
                query += " AND EXISTS (SELECT 1 FROM iam_role_attached_policies a WHERE a.policy_key = p.policy_key)"
            }
            if let pathPrefix { query += " AND \(Self.hasPrefix("path", pathPrefix))" }
            if let after { query += " AND p.policy_key > \(bind: after)" }
            query += " ORDER BY p.policy_key LIMIT \(literal: size + 1)"
            let rows = try await db.raw(query).all()
            return try Marker.page(rows, size: size, key: { try $0.string("policy_key") }, item: policy(from:))
        }
    }

    /// `DeletePolicy`, with its default version.
    ///
    /// - Throws: `NoSuchEntity`; `DeleteConflict` while it is attached to a role or has
    ///   versions besides the default.
    public func deletePolicy(policyArn: String) async throws {
        let location = try policyLocation(policyArn)
        try await write { db in
            guard let location, let policy = try await fetchPolicy(location, db) else {
                throw IdentityError.noSuchEntity("Policy \(policyArn) was not found.")
            }
            let key = location.key
            if policy.attachmentCount > 0 {
                throw IdentityError.deleteConflict("Cannot delete a policy attached to entities.")
            }
            let versions = try await db.raw(
                "SELECT COUNT(*) AS n FROM iam_policy_versions WHERE policy_key = \(bind: key)"
            ).first()!.int64("n")
            if versions > 1 {
                throw IdentityError.deleteConflict(
                    "This policy has more than one version. Before you delete a policy, you must delete the "
                        + "policy's versions. The default version is deleted with the policy.")
            }
            try await db.raw("DELETE FROM iam_policies WHERE policy_key = \(bind: key)").run()
        }
        logger.debug("Policy deleted", metadata: ["iam.policy_arn": "\(policyArn)"])
    }

    // MARK: Helpers

    static let policyColumns = """
        p.policy_key, p.policy_name, p.policy_id, p.path, p.description, p.default_version, p.tags,
        p.create_date, p.update_date,
        (SELECT COUNT(*) FROM iam_role_attached_policies a WHERE a.policy_key = p.policy_key) AS attachment_count
        """

    /// The ARN of a managed policy of this account.
    func policyArn(name: String, path: String) -> String {
        ARN.iamPolicy(name, path: path, accountId: accountId, partition: partition).description
    }

    /// Where a policy ARN points: the policy's key and path, when the ARN belongs to this
    /// account (nil otherwise: an AWS managed policy, another account).
    ///
    /// - Throws: `InvalidInput` when the text is not an IAM policy ARN.
    func policyLocation(_ policyArn: String) throws(IdentityError) -> PolicyLocation? {
        guard let arn = ARN(policyArn), arn.service == "iam", arn.region.isEmpty, let path = arn.iamPath,
            path.type == "policy"
        else {
            throw IdentityError.invalidInput("ARN \(policyArn) is not valid.")
        }
        guard arn.partition == partition, arn.accountId == accountId else { return nil }
        return PolicyLocation(key: Self.key(path.name), path: path.path)
    }

    /// The policy at `location` (its name, regardless of case, and its exact path).
    func fetchPolicy(_ location: PolicyLocation, _ db: any SQLDatabase) async throws -> ManagedPolicy? {
        let row = try await db.raw(
            "SELECT \(unsafeRaw: Self.policyColumns) FROM iam_policies p WHERE p.policy_key = \(bind: location.key)"
        ).first()
        guard let row, try row.string("path") == location.path else { return nil }
        return try policy(from: row)
    }

    func fetchPolicy(_ key: String, _ db: any SQLDatabase) async throws -> ManagedPolicy? {
        try await db.raw(
            "SELECT \(unsafeRaw: Self.policyColumns) FROM iam_policies p WHERE p.policy_key = \(bind: key)"
        ).first().map(policy(from:))
    }

    func policy(from row: any SQLRow) throws -> ManagedPolicy {
        let name = try row.string("policy_name")
        let path = try row.string("path")
        return ManagedPolicy(
            policyName: name, policyId: try row.string("policy_id"), arn: policyArn(name: name, path: path),
            path: path, defaultVersionId: "v\(try row.int64("default_version"))",
            attachmentCount: Int(try row.int64("attachment_count")), description: try row.optionalString("description"),
            createDate: try row.date("create_date"), updateDate: try row.date("update_date"),
            tags: try TagsColumn.decode(try row.string("tags")))
    }
}

/// A managed policy as a policy ARN names it.
struct PolicyLocation: Sendable, Hashable {
    /// The lower-cased name.
    var key: String
    /// The path, `/` or `/…/`.
    var path: String
}
