import NIOConcurrencyHelpers

/// Compiled filter policies by document and scope, so that `Publish` does not parse every
/// subscription's policy for every message. Bounded: when full it starts over.
final class FilterPolicyCache: Sendable {
    private struct Key: Hashable {
        var json: String
        var scope: FilterPolicy.Scope
    }

    private let capacity: Int
    private let policies = NIOLockedValueBox<[Key: FilterPolicy]>([:])

    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    /// The compiled `json` for `scope`.
    func policy(_ json: String, scope: FilterPolicy.Scope) throws(FilterPolicy.ValidationError) -> FilterPolicy {
        let key = Key(json: json, scope: scope)
        if let cached = policies.withLockedValue({ $0[key] }) { return cached }
        let policy = try FilterPolicy(json: json, scope: scope)
        policies.withLockedValue { policies in
            if policies.count >= capacity { policies.removeAll(keepingCapacity: true) }
            policies[key] = policy
        }
        return policy
    }
}
