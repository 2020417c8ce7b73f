import AWSWire
import PolicyEngine
import SQLKit

extension IdentityStore {
    /// The service principal AWS IoT assumes roles as.
    public static let iotServicePrincipal = "iot.amazonaws.com"

    /// Decides whether `service`, acting with the role `roleArn`, may do `action` on
    /// `resource`: the role's trust policy must let the service assume it (`sts:AssumeRole`),
    /// and its permission policies must allow the action (explicit Deny wins).
    ///
    /// This is what the rules engine asks before running an action with a rule's `roleArn`.
    /// It answers from compiled permissions cached for a few seconds (see
    /// ``Configuration/permissionsCacheLifetime``).
    ///
    /// - Parameters:
    ///   - roleArn: `arn:aws:iam::ACCOUNT:role/PATH/NAME`; path and account must match.
    ///   - action: Such as `sns:Publish` or `iot:Publish`.
    ///   - resource: The resource's ARN.
    ///   - service: The service principal assuming the role.
    ///   - context: Condition keys for both the trust and permission policies (for example
    ///     `aws:SourceArn`, `aws:SourceAccount`).
    /// - Throws: Database errors, or `MalformedPolicyDocument` when a stored document no
    ///   longer parses.
    public func authorize(
        roleArn: String, action: String, resource: String, service: String = IdentityStore.iotServicePrincipal,
        context: PolicyContext = PolicyContext()
    ) async throws -> RoleAuthorization {
        guard let permissions = try await permissions(ofRole: roleArn) else {
            return RoleAuthorization(outcome: .roleNotFound)
        }
        guard permissions.canBeAssumed(by: .service(service), context: context) else {
            return RoleAuthorization(outcome: .notTrusted)
        }
        let decision = permissions.decide(action: action, resource: resource, context: context)
        let outcome: RoleAuthorization.Outcome =
            switch decision.outcome {
            case .allowed: .allowed
            case .explicitDeny: .explicitDeny
            case .implicitDeny: .implicitDeny
            }
        return RoleAuthorization(
            outcome: outcome, allowingPolicies: decision.allowingPolicies, denyingPolicies: decision.denyingPolicies)
    }

    /// Whether AWS IoT (`iot.amazonaws.com`), acting with the role `roleArn`, may do `action`
    /// on `resource`; see ``authorize(roleArn:action:resource:service:context:)``.
    public func isAllowed(roleArn: String, action: String, resource: String) async throws -> Bool {
        try await authorize(roleArn: roleArn, action: action, resource: resource).isAllowed
    }

    /// The compiled permissions of the role `roleArn`, or nil when this account has no role
    /// with that ARN (path included).
    public func permissions(ofRole roleArn: String) async throws -> RolePermissions? {
        let (cached, generation) = cache.lookup(roleArn)
        if let cached { return cached }
        let permissions = try await loadPermissions(roleArn)
        cache.store(
            permissions, for: roleArn, generation: generation, lifetime: configuration.permissionsCacheLifetime)
        return permissions
    }

    private func loadPermissions(_ roleArn: String) async throws -> RolePermissions? {
        guard let arn = ARN(roleArn), arn.service == "iam", arn.region.isEmpty, arn.partition == partition,
            arn.accountId == accountId, let path = arn.iamPath, path.type == "role"
        else { return nil }
        let loaded: (Role, [(name: String, document: String)])? = try await read { db in
            let roleKey = Self.key(path.name)
            guard let role = try await fetchRole(roleKey, db), role.path == path.path else { return nil }
            var policies: [(name: String, document: String)] = []
            let managed = try await db.raw(
                """
                SELECT p.policy_name, p.path, v.document FROM iam_role_attached_policies a
                JOIN iam_policies p ON p.policy_key = a.policy_key
                JOIN iam_policy_versions v ON v.policy_key = p.policy_key AND v.version = p.default_version
                WHERE a.role_key = \(bind: roleKey) ORDER BY p.policy_key
                """
            ).all()
            for row in managed {
                let name = policyArn(name: try row.string("policy_name"), path: try row.string("path"))
                policies.append((name, try row.string("document")))
            }
            let inline = try await db.raw(
                """
                SELECT policy_name, document FROM iam_role_inline_policies
                WHERE role_key = \(bind: roleKey) ORDER BY policy_key
                """
            ).all()
            for row in inline {
                policies.append((try row.string("policy_name"), try row.string("document")))
            }
            return (role, policies)
        }
        guard let (role, policies) = loaded else { return nil }
        return try RolePermissions(role: role, policies: policies)
    }
}
