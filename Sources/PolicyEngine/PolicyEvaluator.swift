/// One-off policy decisions for the control plane (`TestAuthorization`, IAM checks), where
/// compiling a set for one question is the simplest correct thing.
public enum PolicyEvaluator {
    /// Evaluates one request against `policies`.
    ///
    /// `context` serves both as the source of policy variables and as the condition keys.
    ///
    /// - Parameters:
    ///   - action: The action, such as `iot:Publish` or `sts:AssumeRole`.
    ///   - resource: The resource ARN, or `nil` (trust policies).
    ///   - principal: The requester, for statements with `Principal`/`NotPrincipal`.
    ///   - context: Every key the request carries.
    ///   - policies: The policies, with the names the decision reports.
    /// - Returns: The outcome and the policies that allowed or explicitly denied.
    public static func evaluate(
        action: String,
        resource: String?,
        principal: PolicyPrincipal? = nil,
        context: PolicyContext = PolicyContext(),
        policies: [(name: String, document: PolicyDocument)]
    ) -> PolicyDecision {
        CompiledPolicySet(policies: policies, variables: context)
            .evaluate(action: action, resource: resource, principal: principal)
    }

    /// Evaluates one request against a single document.
    public static func evaluate(
        action: String,
        resource: String?,
        principal: PolicyPrincipal? = nil,
        context: PolicyContext = PolicyContext(),
        document: PolicyDocument
    ) -> PolicyOutcome {
        CompiledPolicySet(policies: [(name: "", document: document)], variables: context)
            .outcome(action: action, resource: resource, principal: principal)
    }
}
