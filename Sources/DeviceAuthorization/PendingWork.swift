import NIOConcurrencyHelpers

/// Counts work in flight (registry changes not yet applied, policy recompiles) so that a caller
/// can wait until everything seen so far has taken effect.
final class PendingWork: Sendable {
    private struct State {
        var count = 0
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state = NIOLockedValueBox(State())

    func begin() {
        state.withLockedValue { $0.count += 1 }
    }

    func end() {
        let waiters: [CheckedContinuation<Void, Never>] = state.withLockedValue { state in
            state.count -= 1
            guard state.count == 0 else { return [] }
            defer { state.waiters.removeAll() }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Returns once no work is in flight.
    func waitUntilIdle() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let idle = state.withLockedValue { state in
                if state.count == 0 { return true }
                state.waiters.append(continuation)
                return false
            }
            if idle { continuation.resume() }
        }
    }
}
