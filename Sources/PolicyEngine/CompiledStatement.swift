/// One statement with its variables substituted and its actions, resources and condition
/// values compiled into matchers.
final class CompiledStatement: Sendable {
    /// Index of the owning policy in the compiled set.
    let policyIndex: Int
    let effect: PolicyStatement.Effect
    let actions: [GlobPattern]
    let actionsNegated: Bool
    /// Bit `IoTAction.bit` set for every MQTT action the statement's actions cover.
    let iotActionMask: UInt8
    /// `nil` when the statement has no resource element (trust policies).
    let resources: [GlobPattern]?
    let resourcesNegated: Bool
    let principals: PrincipalElement?
    let conditions: [CompiledCondition]

    /// Compiles `statement`; `nil` when it can never apply (every `Resource` entry has a
    /// variable without a value).
    init?(
        _ statement: PolicyStatement,
        policyIndex: Int,
        substitutesVariables: Bool,
        lookup: (String) -> PolicyContext.Value?
    ) {
        self.policyIndex = policyIndex
        self.effect = statement.effect
        self.actions = statement.actions.values.map { GlobPattern($0, caseInsensitive: true) }
        self.actionsNegated = statement.actions.isNegated
        if let resourceList = statement.resources {
            let compiled = resourceList.values.compactMap { value -> GlobPattern? in
                guard
                    let tokens = PolicyTemplate(value, substitutesVariables: substitutesVariables)
                        .resolve(lookup)
                else { return nil }
                return GlobPattern(tokens: tokens)
            }
            if compiled.isEmpty && !resourceList.isNegated { return nil }
            self.resources = compiled
            self.resourcesNegated = resourceList.isNegated
        } else {
            self.resources = nil
            self.resourcesNegated = false
        }
        self.principals = statement.principals
        self.conditions = statement.conditions.map {
            CompiledCondition($0, substitutesVariables: substitutesVariables, lookup: lookup)
        }
        var mask: UInt8 = 0
        let actions = self.actions
        let negated = self.actionsNegated
        for action in IoTAction.allCases where actions.contains(where: { $0.matches(action.rawValue) }) != negated {
            mask |= action.bit
        }
        self.iotActionMask = mask
    }

    @inline(__always)
    func matchesAction(_ action: String) -> Bool {
        actions.contains { $0.matches(action) } != actionsNegated
    }

    @inline(__always)
    func matchesResource(_ resource: String?) -> Bool {
        guard let resources else { return true }
        guard let resource else { return false }
        return resources.contains { $0.matches(resource) } != resourcesNegated
    }

    @inline(__always)
    func matchesResource(prefix: String, name: String) -> Bool {
        guard let resources else { return true }
        return resources.contains { $0.matches(prefix: prefix, suffix: name) } != resourcesNegated
    }

    @inline(__always)
    func matchesPrincipal(_ principal: PolicyPrincipal?) -> Bool {
        guard let principals else { return true }
        guard let principal else { return false }
        return principals.applies(to: principal)
    }

    /// Whether every condition holds; keys are looked up in the request context first,
    /// then in the set's fixed context.
    @inline(__always)
    func conditionsHold(request: PolicyContext, fixed: PolicyContext) -> Bool {
        for condition in conditions {
            let value = request.value(normalizedKey: condition.key) ?? fixed.value(normalizedKey: condition.key)
            if !condition.evaluate(value) { return false }
        }
        return true
    }
}
