import AWSWire
import PolicyEngine

/// What a role may do, compiled once: who may assume it (its trust policy) and what its
/// attached managed policies (default versions) and inline policies allow.
///
/// Get one from ``IdentityStore/permissions(ofRole:)``; it answers from memory.
public struct RolePermissions: Sendable {
    /// The role.
    public let role: Role
    let trust: CompiledPolicySet
    let permissions: CompiledPolicySet

    /// Compiles a role's policies.
    ///
    /// Permission policies are compiled with the variables of a session of the role:
    /// `aws:PrincipalArn` (the role's ARN), `aws:PrincipalAccount` and `aws:PrincipalType`
    /// (`AssumedRole`).
    ///
    /// - Parameters:
    ///   - role: The role, with its trust policy.
    ///   - policies: The permission policies, each with the name decisions report (the ARN of
    ///     a managed policy, the name of an inline one).
    /// - Throws: ``IdentityError`` (`MalformedPolicyDocument`) when a stored document no
    ///   longer parses.
    public init(role: Role, policies: [(name: String, document: String)]) throws(IdentityError) {
        self.role = role
        let trust = try Self.parse(role.assumeRolePolicyDocument, kind: .trust, name: "the trust policy")
        self.trust = CompiledPolicySet(policies: [(name: role.arn, document: trust)])
        var parsed: [(name: String, document: PolicyDocument)] = []
        for policy in policies {
            parsed.append((policy.name, try Self.parse(policy.document, kind: .identity, name: policy.name)))
        }
        let accountId = ARN(role.arn)?.accountId ?? ""
        self.permissions = CompiledPolicySet(
            policies: parsed,
            variables: [
                "aws:PrincipalArn": .single(role.arn), "aws:PrincipalAccount": .single(accountId),
                "aws:PrincipalType": "AssumedRole",
            ])
    }

    /// Whether the trust policy lets `principal` assume the role (`sts:AssumeRole`).
    ///
    /// - Parameter context: Condition keys of the request (`aws:SourceArn`, `aws:SourceAccount`…).
    public func canBeAssumed(by principal: PolicyPrincipal, context: PolicyContext = PolicyContext()) -> Bool {
        trust.isAllowed(action: "sts:AssumeRole", resource: nil, principal: principal, context: context)
    }

    /// What the role's permission policies decide for `action` on `resource` (explicit Deny
    /// wins; nothing matching is an implicit deny).
    public func decide(action: String, resource: String, context: PolicyContext = PolicyContext())
        -> PolicyDecision
    {
        permissions.evaluate(action: action, resource: resource, context: context)
    }

    private static func parse(_ text: String, kind: PolicyDocument.Kind, name: String) throws(IdentityError)
        -> PolicyDocument
    {
        do {
            return try PolicyDocument(json: text, kind: kind)
        } catch {
            throw IdentityError(code: .malformedPolicyDocument, message: "\(name): \(error.message)")
        }
    }
}

/// The answer to "may this role, assumed by this service, do this action on this resource?".
public struct RoleAuthorization: Sendable, Hashable {
    /// Why the request is allowed or denied.
    public enum Outcome: Sendable, Hashable {
        /// The trust policy lets the service assume the role and a permission policy allows
        /// the action.
        case allowed
        /// No role has that ARN in this account.
        case roleNotFound
        /// The trust policy does not let the service assume the role.
        case notTrusted
        /// A permission policy denies the action explicitly.
        case explicitDeny
        /// No permission policy allows the action.
        case implicitDeny
    }

    /// The outcome.
    public var outcome: Outcome
    /// The policies that allowed (managed policy ARNs, inline policy names).
    public var allowingPolicies: [String]
    /// The policies that denied explicitly.
    public var denyingPolicies: [String]

    /// Creates a value.
    public init(outcome: Outcome, allowingPolicies: [String] = [], denyingPolicies: [String] = []) {
        self.outcome = outcome
        self.allowingPolicies = allowingPolicies
        self.denyingPolicies = denyingPolicies
    }

    /// Whether the action may proceed.
    public var isAllowed: Bool { outcome == .allowed }
}
