/// Policies compiled for fast, repeated evaluation: the broker builds one per connection
/// from the device's attached policies and the connection's variables (client id, thing
/// name, certificate fields…), then asks it on every publish, subscribe and delivery.
///
/// Compiling substitutes every policy variable from the fixed context and turns actions,
/// resources and condition values into matchers; evaluating does no parsing and, on the
/// ``outcome(_:resourceName:scope:context:)`` path, no allocation.
///
/// Variables are resolved only from the fixed context: a variable whose key it lacks makes
/// its `Resource` entry or condition value match nothing. Condition keys are looked up in
/// the per-request context first, then in the fixed context.
public struct CompiledPolicySet: Sendable {
    /// The names of the compiled policies, in order.
    public let policyNames: [String]
    /// The context variables were substituted from; also consulted for condition keys.
    public let fixedContext: PolicyContext
    /// Every statement, the `Deny` ones first, each group in policy order. One array rather
    /// than a table per action: a set lives as long as its connection, and the MQTT paths skip
    /// statements by their action mask (`CompiledStatement.iotActionMask`) as cheaply.
    private let statements: [CompiledStatement]
    /// How many of `statements` are `Deny` statements.
    private let denyCount: Int

    /// Compiles `policies` with the variables of `variables`.
    ///
    /// - Parameters:
    ///   - policies: The policies, each with the name that explanations report.
    ///   - variables: The per-connection values (`iot:ClientId`,
    ///     `iot:Connection.Thing.ThingName`, `aws:SourceIp`…).
    public init(policies: [(name: String, document: PolicyDocument)], variables: PolicyContext = PolicyContext()) {
        self.init(policies: policies, variables: variables) { statement, policyIndex, substitutes, lookup in
            CompiledStatement(statement, policyIndex: policyIndex, substitutesVariables: substitutes, lookup: lookup)
        }
    }

    /// Compiles `policies` with the variables of `variables`, taking the statements that
    /// compile the same as before from `pool` (and adding the others to it), so that many
    /// connections' policy sets share them.
    ///
    /// - Parameters:
    ///   - policies: The policies, each with the name that explanations report.
    ///   - variables: The per-connection values.
    ///   - pool: The statements compiled so far; guard it with a lock when shared.
    public init(
        policies: [(name: String, document: PolicyDocument)],
        variables: PolicyContext = PolicyContext(),
        pool: inout CompiledStatementPool
    ) {
        self.init(policies: policies, variables: variables) { statement, policyIndex, substitutes, lookup in
            pool.statement(statement, policyIndex: policyIndex, substitutesVariables: substitutes, lookup: lookup)
        }
    }

    private init(
        policies: [(name: String, document: PolicyDocument)],
        variables: PolicyContext,
        compile: (PolicyStatement, Int, Bool, (String) -> PolicyContext.Value?) -> CompiledStatement?
    ) {
        self.policyNames = policies.map(\.name)
        self.fixedContext = variables
        let lookup: (String) -> PolicyContext.Value? = { variables.value(normalizedKey: $0) }
        var denies: [CompiledStatement] = []
        var allows: [CompiledStatement] = []
        for (policyIndex, policy) in policies.enumerated() {
            let substitutes = policy.document.substitutesVariables
            for statement in policy.document.statements {
                guard let compiled = compile(statement, policyIndex, substitutes, lookup) else { continue }
                switch compiled.effect {
                case .deny: denies.append(compiled)
                case .allow: allows.append(compiled)
                }
            }
        }
        var statements: [CompiledStatement] = []
        statements.reserveCapacity(denies.count + allows.count)
        statements += denies
        statements += allows
        self.statements = statements
        self.denyCount = denies.count
    }

    private var denies: ArraySlice<CompiledStatement> { statements[..<denyCount] }
    private var allows: ArraySlice<CompiledStatement> { statements[denyCount...] }

    // MARK: Any action

    /// Decides a request, stopping at the first deciding statement.
    ///
    /// - Parameters:
    ///   - action: The action, such as `iot:UpdateThingShadow` or `sts:AssumeRole`; matched
    ///     without regard to case.
    ///   - resource: The resource ARN; `nil` when the request has none, in which case only
    ///     statements without a resource element (trust policies) can apply.
    ///   - principal: The requester, for statements with `Principal`/`NotPrincipal`; such
    ///     statements never apply when it is `nil`.
    ///   - context: Per-request condition keys.
    public func outcome(
        action: String,
        resource: String?,
        principal: PolicyPrincipal? = nil,
        context: PolicyContext = PolicyContext()
    ) -> PolicyOutcome {
        for statement in denies
        where applies(statement, action: action, resource: resource, principal: principal, context: context) {
            return .explicitDeny
        }
        for statement in allows
        where applies(statement, action: action, resource: resource, principal: principal, context: context) {
            return .allowed
        }
        return .implicitDeny
    }

    /// Decides a request and names every policy with a matching statement.
    ///
    /// Parameters as in ``outcome(action:resource:principal:context:)``.
    public func evaluate(
        action: String,
        resource: String?,
        principal: PolicyPrincipal? = nil,
        context: PolicyContext = PolicyContext()
    ) -> PolicyDecision {
        explain { applies($0, action: action, resource: resource, principal: principal, context: context) }
    }

    /// Whether the request is allowed; see ``outcome(action:resource:principal:context:)``.
    public func isAllowed(
        action: String,
        resource: String?,
        principal: PolicyPrincipal? = nil,
        context: PolicyContext = PolicyContext()
    ) -> Bool {
        outcome(action: action, resource: resource, principal: principal, context: context) == .allowed
    }

    // MARK: MQTT actions (hot path)

    /// Decides an MQTT action without building the resource ARN and without allocating.
    ///
    /// - Parameters:
    ///   - action: The MQTT action.
    ///   - resourceName: The client id (`iot:Connect`), topic (`iot:Publish`, `iot:Receive`,
    ///     `iot:RetainPublish`) or topic filter (`iot:Subscribe`).
    ///   - scope: The region and account the ARNs are in.
    ///   - context: Per-request condition keys.
    public func outcome(
        _ action: IoTAction,
        resourceName: String,
        scope: IoTResourceScope,
        context: PolicyContext = PolicyContext()
    ) -> PolicyOutcome {
        let bit = action.bit
        let prefix = scope.prefix(for: action.resourceType)
        for statement in denies
        where statement.iotActionMask & bit != 0
            && applies(statement, prefix: prefix, name: resourceName, context: context)
        {
            return .explicitDeny
        }
        for statement in allows
        where statement.iotActionMask & bit != 0
            && applies(statement, prefix: prefix, name: resourceName, context: context)
        {
            return .allowed
        }
        return .implicitDeny
    }

    /// Decides an MQTT action and names every policy with a matching statement.
    public func evaluate(
        _ action: IoTAction,
        resourceName: String,
        scope: IoTResourceScope,
        context: PolicyContext = PolicyContext()
    ) -> PolicyDecision {
        let prefix = scope.prefix(for: action.resourceType)
        let bit = action.bit
        return explain {
            $0.iotActionMask & bit != 0 && applies($0, prefix: prefix, name: resourceName, context: context)
        }
    }

    /// Whether an MQTT action is allowed; see ``outcome(_:resourceName:scope:context:)``.
    public func isAllowed(
        _ action: IoTAction,
        resourceName: String,
        scope: IoTResourceScope,
        context: PolicyContext = PolicyContext()
    ) -> Bool {
        outcome(action, resourceName: resourceName, scope: scope, context: context) == .allowed
    }

    // MARK: Evaluation

    @inline(__always)
    private func applies(
        _ statement: CompiledStatement,
        action: String,
        resource: String?,
        principal: PolicyPrincipal?,
        context: PolicyContext
    ) -> Bool {
        statement.matchesAction(action) && statement.matchesResource(resource)
            && statement.matchesPrincipal(principal)
            && statement.conditionsHold(request: context, fixed: fixedContext)
    }

    /// An MQTT statement: its action already matches; identity policies have no principal.
    @inline(__always)
    private func applies(
        _ statement: CompiledStatement,
        prefix: String,
        name: String,
        context: PolicyContext
    ) -> Bool {
        statement.principals == nil && statement.matchesResource(prefix: prefix, name: name)
            && statement.conditionsHold(request: context, fixed: fixedContext)
    }

    private func explain(_ applies: (CompiledStatement) -> Bool) -> PolicyDecision {
        var denying: [Int] = []
        var allowing: [Int] = []
        for statement in denies where applies(statement) && denying.last != statement.policyIndex {
            denying.append(statement.policyIndex)
        }
        for statement in allows where applies(statement) && allowing.last != statement.policyIndex {
            allowing.append(statement.policyIndex)
        }
        let outcome: PolicyOutcome =
            !denying.isEmpty ? .explicitDeny : !allowing.isEmpty ? .allowed : .implicitDeny
        return PolicyDecision(
            outcome: outcome,
            allowingPolicies: names(allowing),
            denyingPolicies: names(denying)
        )
    }

    /// Names for policy indices, in set order, without repeats.
    private func names(_ indices: [Int]) -> [String] {
        var seen = Set<Int>()
        return indices.sorted().filter { seen.insert($0).inserted }.map { policyNames[$0] }
    }
}
