/// The result of evaluating a request against a set of policies.
public enum PolicyOutcome: Sendable, Hashable {
    /// A statement allowed the request and none denied it.
    case allowed
    /// A `Deny` statement matched; it overrides every allow.
    case explicitDeny
    /// No statement matched: denied by default.
    case implicitDeny

    /// Whether the request may proceed.
    public var isAllowed: Bool { self == .allowed }
}

/// An explained decision: the outcome and which policies caused it, as the
/// `TestAuthorization` API reports.
public struct PolicyDecision: Sendable, Hashable {
    /// The outcome.
    public var outcome: PolicyOutcome
    /// Names of the policies with an `Allow` statement that matched, in set order.
    public var allowingPolicies: [String]
    /// Names of the policies with a `Deny` statement that matched, in set order.
    public var denyingPolicies: [String]

    /// Creates a decision.
    public init(outcome: PolicyOutcome, allowingPolicies: [String] = [], denyingPolicies: [String] = []) {
        self.outcome = outcome
        self.allowingPolicies = allowingPolicies
        self.denyingPolicies = denyingPolicies
    }

    /// Whether the request may proceed.
    public var isAllowed: Bool { outcome == .allowed }
}
