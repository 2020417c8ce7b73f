import SQLKit

extension IdentityStore {
    /// `AttachRolePolicy`: attaches a customer managed policy to a role (attaching it again
    /// does nothing).
    ///
    /// - Throws: `NoSuchEntity` for the role or the policy (AWS managed policies included);
    ///   `LimitExceeded` beyond 10 policies per role; `InvalidInput` for a bad ARN.
    public func attachRolePolicy(roleName: String, policyArn: String) async throws {
        try Validation.roleName(roleName)
        let location = try policyLocation(policyArn)
        try await write { db in
            let roleKey = Self.key(roleName)
            guard try await fetchRole(roleKey, db) != nil else { throw Self.roleNotFound(roleName) }
            guard let location, try await fetchPolicy(location, db) != nil else {
                throw IdentityError.noSuchEntity("Policy \(policyArn) does not exist or is not attachable.")
            }
            if try await db.raw(
                """
                SELECT role_key FROM iam_role_attached_policies
                WHERE role_key = \(bind: roleKey) AND policy_key = \(bind: location.key)
                """
            ).first() != nil {
                return
            }
            let count = try await db.raw(
                "SELECT COUNT(*) AS n FROM iam_role_attached_policies WHERE role_key = \(bind: roleKey)"
            ).first()!.int64("n")
            if count >= Validation.attachedPoliciesQuota {
                throw IdentityError.limitExceeded(
                    "Cannot exceed quota for PoliciesPerRole: \(Validation.attachedPoliciesQuota)")
            }
            try await db.raw(
                """
                INSERT INTO iam_role_attached_policies (role_key, policy_key, attach_date)
                VALUES (\(bind: roleKey), \(bind: location.key), \(bind: now()))
                """
            ).run()
        }
        logger.debug("Policy attached", metadata: ["iam.role": "\(roleName)", "iam.policy_arn": "\(policyArn)"])
    }

    /// `DetachRolePolicy`.
    ///
    /// - Throws: `NoSuchEntity` for the role, or when the policy is not attached to it.
    public func detachRolePolicy(roleName: String, policyArn: String) async throws {
        try Validation.roleName(roleName)
        let location = try policyLocation(policyArn)
        try await write { db in
            let roleKey = Self.key(roleName)
            guard try await fetchRole(roleKey, db) != nil else { throw Self.roleNotFound(roleName) }
            let attached: Bool
            if let location, try await fetchPolicy(location, db) != nil {
                attached =
                    try await db.raw(
                        """
                        SELECT role_key FROM iam_role_attached_policies
                        WHERE role_key = \(bind: roleKey) AND policy_key = \(bind: location.key)
                        """
                    ).first() != nil
            } else {
                attached = false
            }
            guard let location, attached else {
                throw IdentityError.noSuchEntity("Policy \(policyArn) was not found.")
            }
            try await db.raw(
                """
                DELETE FROM iam_role_attached_policies
                WHERE role_key = \(bind: roleKey) AND policy_key = \(bind: location.key)
                """
            ).run()
        }
        logger.debug("Policy detached", metadata: ["iam.role": "\(roleName)", "iam.policy_arn": "\(policyArn)"])
    }

    /// `ListAttachedRolePolicies`, by policy name, optionally only policies whose path starts
    /// with `pathPrefix`.
    ///
    /// - Throws: `NoSuchEntity` for the role.
    public func listAttachedRolePolicies(
        roleName: String, pathPrefix: String? = nil, marker: String? = nil, maxItems: Int? = nil
    ) async throws -> Page<AttachedPolicy> {
        try Validation.roleName(roleName)
        if let pathPrefix { try Validation.policyPath(pathPrefix, member: "pathPrefix") }
        let size = try Marker.size(maxItems)
        let after = try Marker.decode(marker)
        return try await read { db in
            let roleKey = Self.key(roleName)
            guard try await fetchRole(roleKey, db) != nil else { throw Self.roleNotFound(roleName) }
            var query: SQLQueryString = """
                SELECT p.policy_key, p.policy_name, p.path FROM iam_role_attached_policies a
                JOIN iam_policies p ON p.policy_key = a.policy_key
                WHERE a.role_key = \(bind: roleKey)
                """
            if let pathPrefix { query += " AND \(Self.hasPrefix("path", pathPrefix))" }
            if let after { query += " AND p.policy_key > \(bind: after)" }
            query += " ORDER BY p.policy_key LIMIT \(literal: size + 1)"
            let rows = try await db.raw(query).all()
            return try Marker.page(rows, size: size, key: { try $0.string("policy_key") }) { row in
                let name = try row.string("policy_name")
                return AttachedPolicy(policyName: name, policyArn: policyArn(name: name, path: try row.string("path")))
            }
        }
    }

    /// `ListEntitiesForPolicy`: the roles a managed policy is attached to, by name (Thingport
    /// has no users or groups).
    ///
    /// - Parameters:
    ///   - entityFilter: Only roles are listed for `Role` or nil; nothing for other types.
    ///   - pathPrefix: Only roles whose path starts with it.
    ///   - policyUsageFilter: `PermissionsBoundary` lists nothing (Thingport has no boundaries).
    /// - Throws: `NoSuchEntity` for the policy.
    public func listEntitiesForPolicy(
        policyArn: String, entityFilter: PolicyEntityType? = nil, pathPrefix: String? = nil,
        policyUsageFilter: PolicyUsage? = nil, marker: String? = nil, maxItems: Int? = nil
    ) async throws -> Page<PolicyRole> {
        let location = try policyLocation(policyArn)
        if let pathPrefix { try Validation.rolePath(pathPrefix, member: "pathPrefix") }
        let size = try Marker.size(maxItems)
        let after = try Marker.decode(marker)
        return try await read { db in
            guard let location, try await fetchPolicy(location, db) != nil else {
                throw IdentityError.noSuchEntity("Policy \(policyArn) was not found.")
            }
            guard entityFilter == nil || entityFilter == .role, policyUsageFilter != .permissionsBoundary else {
                return Page(items: [], marker: nil)
            }
            var query: SQLQueryString = """
                SELECT r.role_key, r.role_name, r.role_id FROM iam_role_attached_policies a
                JOIN iam_roles r ON r.role_key = a.role_key
                WHERE a.policy_key = \(bind: location.key)
                """
            if let pathPrefix { query += " AND \(Self.hasPrefix("path", pathPrefix))" }
            if let after { query += " AND r.role_key > \(bind: after)" }
            query += " ORDER BY r.role_key LIMIT \(literal: size + 1)"
            let rows = try await db.raw(query).all()
            return try Marker.page(rows, size: size, key: { try $0.string("role_key") }) { row in
                PolicyRole(roleName: try row.string("role_name"), roleId: try row.string("role_id"))
            }
        }
    }
}
