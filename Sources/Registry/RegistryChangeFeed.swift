import NIOConcurrencyHelpers

/// Delivers ``RegistryChange``s to observers in process.
///
/// Observers are called synchronously, in commit order, on the task that committed, after
/// the commit: keep them short (drop a cache entry). Changes made by other processes sharing
/// a PostgreSQL database are not seen.
final class RegistryChangeFeed: Sendable {
    private struct State {
        var nextId = 0
        var observers: [Int: @Sendable (RegistryChange) -> Void] = [:]
    }

    private let state = NIOLockedValueBox(State())
    /// Serializes deliveries so that every observer sees changes in commit order.
    private let delivery = NIOLock()

    func add(_ observer: @escaping @Sendable (RegistryChange) -> Void) -> Int {
        state.withLockedValue {
            $0.nextId += 1
            $0.observers[$0.nextId] = observer
            return $0.nextId
        }
    }

    func remove(_ id: Int) {
        _ = state.withLockedValue { $0.observers.removeValue(forKey: id) }
    }

    func publish(_ changes: [RegistryChange]) {
        guard !changes.isEmpty else { return }
        delivery.withLock {
            let observers = state.withLockedValue { $0.observers.sorted { $0.key < $1.key }.map(\.value) }
            var seen = Set<RegistryChange>()
            for change in changes where seen.insert(change).inserted {
                for observer in observers { observer(change) }
            }
        }
    }
}

/// A registration made with ``Registry/observe(_:)``; ``cancel()`` ends it.
public final class RegistryObservation: Sendable {
    private let cancellation: NIOLockedValueBox<(@Sendable () -> Void)?>

    init(cancel: @escaping @Sendable () -> Void) {
        cancellation = NIOLockedValueBox(cancel)
    }

    /// Stops delivering changes to the observer. Calling it again does nothing.
    public func cancel() {
        let cancel = cancellation.withLockedValue {
            let cancel = $0
            $0 = nil
            return cancel
        }
        cancel?()
    }

    deinit { cancel() }
}
