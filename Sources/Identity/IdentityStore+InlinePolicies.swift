import SQLKit

extension IdentityStore {
    /// `PutRolePolicy`: adds or replaces a policy embedded in a role (names are unique within
    /// the role regardless of case; a replacement takes the new spelling).
    ///
    /// - Throws: `NoSuchEntity` for the role; `MalformedPolicyDocument`; `LimitExceeded`
    ///   when the role's inline policies together exceed 10240 characters besides whitespace.
    public func putRolePolicy(roleName: String, policyName: String, policyDocument: String) async throws {
        try Validation.roleName(roleName)
        try Validation.policyName(policyName)
        try Validation.permissionsPolicy(policyDocument)
        try await write { db in
            let roleKey = Self.key(roleName)
            let policyKey = Self.key(policyName)
            guard let role = try await fetchRole(roleKey, db) else { throw Self.roleNotFound(roleName) }
            let others = try await db.raw(
                """
                SELECT document FROM iam_role_inline_policies
                WHERE role_key = \(bind: roleKey) AND policy_key <> \(bind: policyKey)
                """
            ).all()
            let size = try others.reduce(Validation.quotaSize(policyDocument)) {
                $0 + Validation.quotaSize(try $1.string("document"))
            }
            if size > Validation.inlinePoliciesSizeQuota {
                throw IdentityError.limitExceeded(
                    "Maximum policy size of \(Validation.inlinePoliciesSizeQuota) bytes exceeded for role "
                        + role.roleName)
            }
            try await db.raw(
                "DELETE FROM iam_role_inline_policies WHERE role_key = \(bind: roleKey) AND policy_key = \(bind: policyKey)"
            ).run()
            try await db.raw(
                """
                INSERT INTO iam_role_inline_policies (role_key, policy_key, policy_name, document)
                VALUES (\(bind: roleKey), \(bind: policyKey), \(bind: policyName), \(bind: policyDocument))
                """
            ).run()
        }
        logger.debug("Inline policy put", metadata: ["iam.role": "\(roleName)", "iam.policy": "\(policyName)"])
    }

    /// `GetRolePolicy`.
    ///
    /// - Throws: `NoSuchEntity` for the role or the policy.
    public func getRolePolicy(roleName: String, policyName: String) async throws -> InlinePolicy {
        try Validation.roleName(roleName)
        try Validation.policyName(policyName)
        return try await read { db in
            guard let role = try await fetchRole(Self.key(roleName), db) else { throw Self.roleNotFound(roleName) }
            guard
                let row = try await db.raw(
                    """
                    SELECT policy_name, document FROM iam_role_inline_policies
                    WHERE role_key = \(bind: Self.key(roleName)) AND policy_key = \(bind: Self.key(policyName))
                    """
                ).first()
            else { throw Self.rolePolicyNotFound(policyName) }
            return InlinePolicy(
                roleName: role.roleName, policyName: try row.string("policy_name"),
                policyDocument: try row.string("document"))
        }
    }

    /// `DeleteRolePolicy`.
    ///
    /// - Throws: `NoSuchEntity` for the role or the policy.
    public func deleteRolePolicy(roleName: String, policyName: String) async throws {
        try Validation.roleName(roleName)
        try Validation.policyName(policyName)
        try await write { db in
            let roleKey = Self.key(roleName)
            let policyKey = Self.key(policyName)
            guard try await fetchRole(roleKey, db) != nil else { throw Self.roleNotFound(roleName) }
            guard
                try await db.raw(
                    """
                    SELECT policy_key FROM iam_role_inline_policies
                    WHERE role_key = \(bind: roleKey) AND policy_key = \(bind: policyKey)
                    """
                ).first() != nil
            else { throw Self.rolePolicyNotFound(policyName) }
            try await db.raw(
                "DELETE FROM iam_role_inline_policies WHERE role_key = \(bind: roleKey) AND policy_key = \(bind: policyKey)"
            ).run()
        }
        logger.debug("Inline policy deleted", metadata: ["iam.role": "\(roleName)", "iam.policy": "\(policyName)"])
    }

    /// `ListRolePolicies`: the names of the role's inline policies, in name order.
    ///
    /// - Throws: `NoSuchEntity` for the role.
    public func listRolePolicies(roleName: String, marker: String? = nil, maxItems: Int? = nil) async throws
        -> Page<String>
    {
        try Validation.roleName(roleName)
        let size = try Marker.size(maxItems)
        let after = try Marker.decode(marker)
        return try await read { db in
            let roleKey = Self.key(roleName)
            guard try await fetchRole(roleKey, db) != nil else { throw Self.roleNotFound(roleName) }
            var query: SQLQueryString = """
                SELECT policy_key, policy_name FROM iam_role_inline_policies WHERE role_key = \(bind: roleKey)
                """
            if let after { query += " AND policy_key > \(bind: after)" }
            query += " ORDER BY policy_key LIMIT \(literal: size + 1)"
            let rows = try await db.raw(query).all()
            return try Marker.page(rows, size: size, key: { try $0.string("policy_key") }) {
                try $0.string("policy_name")
            }
        }
    }

    static func rolePolicyNotFound(_ policyName: String) -> IdentityError {
        .noSuchEntity("The role policy with name \(policyName) cannot be found.")
    }
}
