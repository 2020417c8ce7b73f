import NIOConcurrencyHelpers

/// Whether the broker's listeners are open yet, for those who wait for it.
final class ListeningState: Sendable {
    private enum State {
        case waiting([CheckedContinuation<[Broker.BoundListener], any Error>])
        case done(Result<[Broker.BoundListener], any Error>)
    }

    private let state = NIOLockedValueBox(State.waiting([]))

    /// Records the outcome and wakes every waiter; later outcomes are ignored.
    func complete(_ result: Result<[Broker.BoundListener], any Error>) {
        let waiters: [CheckedContinuation<[Broker.BoundListener], any Error>] = state.withLockedValue { state in
            guard case .waiting(let waiters) = state else { return [] }
            state = .done(result)
            return waiters
        }
        for waiter in waiters { waiter.resume(with: result) }
    }

    /// Waits for the outcome.
    func wait() async throws -> [Broker.BoundListener] {
        try await withCheckedThrowingContinuation { continuation in
            let result: Result<[Broker.BoundListener], any Error>? = state.withLockedValue { state in
                switch state {
                case .waiting(var waiters):
                    waiters.append(continuation)
                    state = .waiting(waiters)
                    return nil
                case .done(let result):
                    return result
                }
            }
            if let result { continuation.resume(with: result) }
        }
    }
}
