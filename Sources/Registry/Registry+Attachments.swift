import SQLKit

extension Registry {
    /// The most policies one target may have attached: 10, as on AWS.
    public static let maximumPoliciesPerTarget = 10

    /// `AttachPolicy` (and the legacy `AttachPrincipalPolicy`): attaches a policy to a
    /// certificate ARN or a thing group ARN of this account. Attaching twice succeeds.
    ///
    /// - Throws: `ResourceNotFoundException` for the policy or the target;
    ///   `InvalidRequestException` for another kind of target; `LimitExceededException` beyond
    ///   10 policies on the target.
    public func attachPolicy(policyName: String, target: String) async throws {
        try Validation.policyName(policyName)
        try await write { db, changes in
            guard try await fetchPolicy(policyName, db) != nil else { throw Self.policyNotFound(policyName) }
            try await requireTarget(target, db)
            let attached = try await db.raw(
                "SELECT policy_name FROM policy_attachments WHERE target = \(bind: target)"
            ).all().map { try $0.string("policy_name") }
            if attached.contains(policyName) { return }
            if attached.count >= Self.maximumPoliciesPerTarget {
                throw RegistryError(
                    code: .limitExceeded,
                    message:
                        "The target \(target) cannot have more than \(Self.maximumPoliciesPerTarget) policies attached")
            }
            try await db.raw(
                """
                INSERT INTO policy_attachments (policy_name, target, creation_date)
                VALUES (\(bind: policyName), \(bind: target), \(bind: now()))
                """
            ).run()
            changes.record(.attachmentsChanged(target: target))
        }
    }

    /// `DetachPolicy`: detaches a policy from a target; detaching what is not attached
    /// succeeds (the model lists no `ResourceNotFoundException` for it).
    public func detachPolicy(policyName: String, target: String) async throws {
        try Validation.policyName(policyName)
        try await write { db, changes in
            let removed = try await db.raw(
                """
                DELETE FROM policy_attachments WHERE policy_name = \(bind: policyName) AND target = \(bind: target)
                RETURNING target
                """
            ).all()
            if !removed.isEmpty { changes.record(.attachmentsChanged(target: target)) }
        }
    }

    /// `AttachPrincipalPolicy` (deprecated by AWS): ``attachPolicy(policyName:target:)``.
    public func attachPrincipalPolicy(policyName: String, principal: String) async throws {
        try await attachPolicy(policyName: policyName, target: principal)
    }

    /// `DetachPrincipalPolicy` (deprecated by AWS).
    ///
    /// - Throws: `ResourceNotFoundException` for an unknown policy or principal.
    public func detachPrincipalPolicy(policyName: String, principal: String) async throws {
        try Validation.policyName(policyName)
        try await write { db, changes in
            guard try await fetchPolicy(policyName, db) != nil else { throw Self.policyNotFound(policyName) }
            try await requireTarget(principal, db)
            try await db.raw(
                "DELETE FROM policy_attachments WHERE policy_name = \(bind: policyName) AND target = \(bind: principal)"
            ).run()
            changes.record(.attachmentsChanged(target: principal))
        }
    }

    /// `ListAttachedPolicies`, by policy name: the policies attached to a target; with
    /// `recursive` and a thing group target, also those of its ancestors.
    ///
    /// - Throws: `ResourceNotFoundException` for an unknown target.
    public func listAttachedPolicies(
        target: String, recursive: Bool = false, marker: String? = nil, pageSize: Int? = nil
    ) async throws -> Page<PolicySummary> {
        let size = try PageToken.size(pageSize, maximum: 250, member: "pageSize")
        let after = try PageToken.decode(marker, parts: 1, member: "marker")?[0]
        return try await read { db in
            try await requireTarget(target, db)
            var targets = [target]
            if recursive, case .thingGroup(let name)? = scope.resource(ofARN: target),
                let group = try await fetchThingGroup(name, db)
            {
                targets += group.thingGroupMetadata.rootToParentThingGroups.map(\.groupArn)
            }
            var query: SQLQueryString =
                "SELECT DISTINCT policy_name FROM policy_attachments WHERE target IN (\(binds: targets))"
            if let after { query += " AND policy_name > \(bind: after)" }
            query += " ORDER BY policy_name LIMIT \(literal: size + 1)"
            let rows = try await db.raw(query).all()
            return try PageToken.page(rows, size: size, key: { [(try? $0.string("policy_name")) ?? ""] }) {
                policySummary(try $0.string("policy_name"))
            }
        }
    }

    /// `ListPrincipalPolicies` (deprecated by AWS), by policy name.
    ///
    /// - Throws: `ResourceNotFoundException` for an unknown principal.
    public func listPrincipalPolicies(
        principal: String, marker: String? = nil, pageSize: Int? = nil, ascendingOrder: Bool = true
    ) async throws -> Page<PolicySummary> {
        let size = try PageToken.size(pageSize, maximum: 250, member: "pageSize")
        let after = try PageToken.decode(marker, parts: 1, member: "marker")?[0]
        return try await read { db in
            try await requireTarget(principal, db)
            var query: SQLQueryString = "SELECT policy_name FROM policy_attachments WHERE target = \(bind: principal)"
            if let after { query += " AND policy_name \(unsafeRaw: ascendingOrder ? ">" : "<") \(bind: after)" }
            query += " ORDER BY policy_name \(unsafeRaw: ascendingOrder ? "ASC" : "DESC") LIMIT \(literal: size + 1)"
            let rows = try await db.raw(query).all()
            return try PageToken.page(rows, size: size, key: { [(try? $0.string("policy_name")) ?? ""] }) {
                policySummary(try $0.string("policy_name"))
            }
        }
    }

    /// `ListTargetsForPolicy`, by target.
    ///
    /// - Throws: `ResourceNotFoundException` for an unknown policy.
    public func listTargetsForPolicy(
        policyName: String, marker: String? = nil, pageSize: Int? = nil
    ) async throws -> Page<String> {
        try await listPolicyTargets(policyName: policyName, marker: marker, pageSize: pageSize, ascendingOrder: true)
    }

    /// `ListPolicyPrincipals` (deprecated by AWS), by principal.
    ///
    /// - Throws: `ResourceNotFoundException` for an unknown policy.
    public func listPolicyPrincipals(
        policyName: String, marker: String? = nil, pageSize: Int? = nil, ascendingOrder: Bool = true
    ) async throws -> Page<String> {
        try await listPolicyTargets(
            policyName: policyName, marker: marker, pageSize: pageSize, ascendingOrder: ascendingOrder)
    }

    /// The policies that apply to a principal: attached to it, and attached to the thing
    /// groups (and their ancestors) of the things it is attached to — or, with `thingName`,
    /// of that thing only. This is `GetEffectivePolicies`, and what the broker caches per
    /// connection.
    ///
    /// - Throws: `ResourceNotFoundException` for an unknown principal or thing.
    public func effectivePolicies(principal: String, thingName: String? = nil) async throws -> [EffectivePolicy] {
        if let thingName { try Validation.registryName(thingName, member: "thingName") }
        return try await read { db in
            try await requireTarget(principal, db)
            var things: [String]
            if let thingName {
                guard try await fetchThingRow(thingName, db) else {
                    throw RegistryError.notFound("Thing \(thingName) cannot be found")
                }
                things = [thingName]
            } else {
                things = try await db.raw(
                    "SELECT thing_name FROM thing_principals WHERE principal = \(bind: principal)"
                ).all().map { try $0.string("thing_name") }
            }
            var targets = [principal]
            if !things.isEmpty {
                let rows = try await db.raw(
                    """
                    WITH RECURSIVE lineage (thing_group_name) AS (
                        SELECT thing_group_name FROM thing_group_members WHERE thing_name IN (\(binds: things))
                        UNION
                        SELECT g.parent_group_name FROM thing_groups g
                        JOIN lineage l ON g.thing_group_name = l.thing_group_name
                        WHERE g.parent_group_name IS NOT NULL
                    )
                    SELECT thing_group_name FROM lineage
                    """
                ).all()
                targets += try rows.map { scope.arn(.thingGroup(try $0.string("thing_group_name"))) }
            }
            return try await db.raw(
                """
                SELECT DISTINCT a.policy_name, v.document FROM policy_attachments a
                JOIN policies p ON p.policy_name = a.policy_name
                JOIN policy_versions v ON v.policy_name = p.policy_name AND v.version_id = p.default_version_id
                WHERE a.target IN (\(binds: targets))
                ORDER BY a.policy_name
                """
            ).all().map { row in
                let name = try row.string("policy_name")
                return EffectivePolicy(
                    policyName: name, policyArn: scope.arn(.policy(name)), policyDocument: try row.string("document"))
            }
        }
    }

    // MARK: Helpers

    private func listPolicyTargets(
        policyName: String, marker: String?, pageSize: Int?, ascendingOrder: Bool
    ) async throws -> Page<String> {
        try Validation.policyName(policyName)
        let size = try PageToken.size(pageSize, maximum: 250, member: "pageSize")
        let after = try PageToken.decode(marker, parts: 1, member: "marker")?[0]
        return try await read { db in
            guard try await fetchPolicy(policyName, db) != nil else { throw Self.policyNotFound(policyName) }
            var query: SQLQueryString = "SELECT target FROM policy_attachments WHERE policy_name = \(bind: policyName)"
            if let after { query += " AND target \(unsafeRaw: ascendingOrder ? ">" : "<") \(bind: after)" }
            query += " ORDER BY target \(unsafeRaw: ascendingOrder ? "ASC" : "DESC") LIMIT \(literal: size + 1)"
            let rows = try await db.raw(query).all()
            return try PageToken.page(rows, size: size, key: { [(try? $0.string("target")) ?? ""] }) {
                try $0.string("target")
            }
        }
    }

    /// Checks that a policy target or principal exists: a certificate or a thing group of
    /// this account, by ARN.
    func requireTarget(_ target: String, _ db: any SQLDatabase) async throws {
        switch scope.resource(ofARN: target) {
        case .certificate(let id)?:
            guard try await fetchCertificate(id, db) != nil else {
                throw RegistryError.notFound("The certificate \(id) cannot be found")
            }
        case .thingGroup(let name)?:
            guard try await fetchThingGroup(name, db) != nil else {
                throw RegistryError.notFound("No thing group with ARN \(target) exists")
            }
        default:
            throw RegistryError.invalidRequest(
                "Invalid target \(target): a target must be the ARN of a certificate or a thing group")
        }
    }
}
