import NIOConcurrencyHelpers
import PolicyEngine

/// The compiled policy statements that connections share (see `CompiledStatementPool`), behind
/// one lock: thousands of devices with the same policies hold one copy of every statement
/// whose variables have the same values for them.
final class SharedStatementPool: Sendable {
    private let pool: NIOLockedValueBox<CompiledStatementPool>

    init(capacity: Int = 20_000) {
        pool = NIOLockedValueBox(CompiledStatementPool(capacity: capacity))
    }

    /// Compiles `policies` with `variables`, reusing the statements compiled before.
    func compile(_ policies: [(name: String, document: PolicyDocument)], variables: PolicyContext) -> CompiledPolicySet
    {
        pool.withLockedValue { CompiledPolicySet(policies: policies, variables: variables, pool: &$0) }
    }

    /// How many compiled statements are shared.
    var count: Int { pool.withLockedValue { $0.count } }
}
