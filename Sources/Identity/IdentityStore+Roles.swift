import AWSWire
import SQLKit

extension IdentityStore {
    /// `CreateRole`.
    ///
    /// - Parameters:
    ///   - roleName: 1–64 characters of `[\w+=,.@-]`; unique in the account regardless of case.
    ///   - path: `/` (the default) or `/…/`.
    ///   - assumeRolePolicyDocument: The trust policy: who may assume the role.
    ///   - description: Up to 1000 characters.
    ///   - maxSessionDuration: 3600–43200 seconds; 3600 when nil.
    ///   - tags: Up to 50, keys unique regardless of case.
    /// - Throws: `EntityAlreadyExists`; `MalformedPolicyDocument` for the trust policy;
    ///   `LimitExceeded` (trust policy size, tags); `InvalidInput` (tags); `ValidationError`.
    @discardableResult
    public func createRole(
        roleName: String, path: String? = nil, assumeRolePolicyDocument: String, description: String? = nil,
        maxSessionDuration: Int? = nil, tags: [IAMTag] = []
    ) async throws -> Role {
        let path = path ?? "/"
        try Validation.roleName(roleName)
        try Validation.rolePath(path)
        try Validation.description(description)
        try Validation.maxSessionDuration(maxSessionDuration)
        try Validation.tags(tags)
        try Validation.trustPolicy(assumeRolePolicyDocument)
        let key = Self.key(roleName)
        let tagText = try TagsColumn.encode(tags)
        let role = try await write { db in
            if try await db.raw("SELECT role_key FROM iam_roles WHERE role_key = \(bind: key)").first() != nil {
                throw IdentityError(
                    code: .entityAlreadyExists, message: "Role with name \(roleName) already exists.")
            }
            try await db.raw(
                """
                INSERT INTO iam_roles (role_key, role_name, role_id, path, assume_role_policy_document, description,
                    max_session_duration, tags, create_date)
                VALUES (\(bind: key), \(bind: roleName), \(bind: Self.uniqueId(prefix: "AROA")), \(bind: path),
                    \(bind: assumeRolePolicyDocument), \(bind: description), \(bind: maxSessionDuration ?? 3600),
                    \(bind: tagText), \(bind: now()))
                """
            ).run()
            return try await fetchRole(key, db)!
        }
        logger.debug("Role created", metadata: ["iam.role": "\(role.roleName)", "iam.role_id": "\(role.roleId)"])
        return role
    }

    /// `GetRole` (the name matches regardless of case).
    ///
    /// - Throws: `NoSuchEntity`.
    public func getRole(roleName: String) async throws -> Role {
        try Validation.roleName(roleName)
        guard let role = try await read({ try await fetchRole(Self.key(roleName), $0) }) else {
            throw Self.roleNotFound(roleName)
        }
        return role
    }

    /// `ListRoles`, by name, optionally only those whose path starts with `pathPrefix`.
    ///
    /// - Throws: `ValidationError` for a bad marker, prefix or page size.
    public func listRoles(pathPrefix: String? = nil, marker: String? = nil, maxItems: Int? = nil) async throws
        -> Page<Role>
    {
        try Validation.pathPrefix(pathPrefix)
        let size = try Marker.size(maxItems)
        let after = try Marker.decode(marker)
        return try await read { db in
            var query: SQLQueryString = "SELECT \(unsafeRaw: Self.roleColumns) FROM iam_roles WHERE 1 = 1"
            if let pathPrefix { query += " AND \(Self.hasPrefix("path", pathPrefix))" }
            if let after { query += " AND role_key > \(bind: after)" }
            query += " ORDER BY role_key LIMIT \(literal: size + 1)"
            let rows = try await db.raw(query).all()
            return try Marker.page(rows, size: size, key: { try $0.string("role_key") }, item: role(from:))
        }
    }

    /// `UpdateRole`: sets the description and the maximum session duration (members left nil
    /// keep their value).
    ///
    /// - Throws: `NoSuchEntity`; `ValidationError`.
    public func updateRole(roleName: String, description: String? = nil, maxSessionDuration: Int? = nil)
        async throws
    {
        try Validation.roleName(roleName)
        try Validation.description(description)
        try Validation.maxSessionDuration(maxSessionDuration)
        try await write { db in
            let key = Self.key(roleName)
            guard try await fetchRole(key, db) != nil else { throw Self.roleNotFound(roleName) }
            if let description {
                try await db.raw(
                    "UPDATE iam_roles SET description = \(bind: description) WHERE role_key = \(bind: key)"
                ).run()
            }
            if let maxSessionDuration {
                try await db.raw(
                    """
                    UPDATE iam_roles SET max_session_duration = \(bind: maxSessionDuration)
                    WHERE role_key = \(bind: key)
                    """
                ).run()
            }
        }
    }

    /// `UpdateAssumeRolePolicy`: replaces the trust policy.
    ///
    /// - Throws: `NoSuchEntity`; `MalformedPolicyDocument`; `LimitExceeded` for its size.
    public func updateAssumeRolePolicy(roleName: String, policyDocument: String) async throws {
        try Validation.roleName(roleName)
        try Validation.trustPolicy(policyDocument)
        try await write { db in
            let key = Self.key(roleName)
            guard try await fetchRole(key, db) != nil else { throw Self.roleNotFound(roleName) }
            try await db.raw(
                """
                UPDATE iam_roles SET assume_role_policy_document = \(bind: policyDocument)
                WHERE role_key = \(bind: key)
                """
            ).run()
        }
    }

    /// `DeleteRole`.
    ///
    /// - Throws: `NoSuchEntity`; `DeleteConflict` while managed policies are attached or
    ///   inline policies remain.
    public func deleteRole(roleName: String) async throws {
        try Validation.roleName(roleName)
        try await write { db in
            let key = Self.key(roleName)
            guard try await fetchRole(key, db) != nil else { throw Self.roleNotFound(roleName) }
            if try await db.raw(
                "SELECT policy_key FROM iam_role_attached_policies WHERE role_key = \(bind: key) LIMIT 1"
            )
            .first() != nil {
                throw IdentityError.deleteConflict("Cannot delete entity, must detach all policies first.")
            }
            if try await db.raw("SELECT policy_key FROM iam_role_inline_policies WHERE role_key = \(bind: key) LIMIT 1")
                .first() != nil
            {
                throw IdentityError.deleteConflict("Cannot delete entity, must delete policies first.")
            }
            try await db.raw("DELETE FROM iam_roles WHERE role_key = \(bind: key)").run()
        }
        logger.debug("Role deleted", metadata: ["iam.role": "\(roleName)"])
    }

    // MARK: Helpers

    static let roleColumns =
        "role_key, role_name, role_id, path, assume_role_policy_document, description, max_session_duration, tags, create_date"

    static func roleNotFound(_ name: String) -> IdentityError {
        .noSuchEntity("The role with name \(name) cannot be found.")
    }

    /// `column` starts with `prefix` (plain SQL both engines run; no `LIKE` wildcards).
    static func hasPrefix(_ column: String, _ prefix: String) -> SQLQueryString {
        "substr(\(ident: column), 1, \(literal: prefix.count)) = \(bind: prefix)"
    }

    /// The ARN of a role of this account.
    func roleArn(name: String, path: String) -> String {
        ARN.iamRole(name, path: path, accountId: accountId, partition: partition).description
    }

    func fetchRole(_ key: String, _ db: any SQLDatabase) async throws -> Role? {
        try await db.raw("SELECT \(unsafeRaw: Self.roleColumns) FROM iam_roles WHERE role_key = \(bind: key)")
            .first().map(role(from:))
    }

    func role(from row: any SQLRow) throws -> Role {
        let name = try row.string("role_name")
        let path = try row.string("path")
        return Role(
            path: path, roleName: name, roleId: try row.string("role_id"), arn: roleArn(name: name, path: path),
            createDate: try row.date("create_date"),
            assumeRolePolicyDocument: try row.string("assume_role_policy_document"),
            description: try row.optionalString("description"),
            maxSessionDuration: Int(try row.int64("max_session_duration")),
            tags: try TagsColumn.decode(try row.string("tags")))
    }
}
