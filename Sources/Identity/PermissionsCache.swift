import NIOConcurrencyHelpers

/// Compiled role permissions by role ARN, each kept for a lifetime, all dropped when the
/// store changes.
///
/// A generation number guards against a stale read: a lookup that read the database before
/// a change committed does not store its result after the change dropped the cache.
final class PermissionsCache: Sendable {
    private struct Entry {
        var permissions: RolePermissions?
        var expires: ContinuousClock.Instant
    }

    private struct State {
        var generation: UInt64 = 0
        var entries: [String: Entry] = [:]
    }

    private let state = NIOLockedValueBox(State())
    private let maximumCount: Int

    init(maximumCount: Int) {
        self.maximumCount = max(0, maximumCount)
    }

    /// The cached permissions of `roleArn` (an inner nil: the role does not exist), or nil
    /// when nothing fresh is cached; with the generation to pass to ``store(_:for:generation:lifetime:)``.
    func lookup(_ roleArn: String) -> (cached: RolePermissions??, generation: UInt64) {
        let now = ContinuousClock.now
        return state.withLockedValue { state in
            guard let entry = state.entries[roleArn], entry.expires > now else {
                return (nil, state.generation)
            }
            return (.some(entry.permissions), state.generation)
        }
    }

    /// Keeps `permissions` unless the cache was dropped since `generation`.
    func store(_ permissions: RolePermissions?, for roleArn: String, generation: UInt64, lifetime: Duration) {
        guard lifetime > .zero, maximumCount > 0 else { return }
        let expires = ContinuousClock.now + lifetime
        state.withLockedValue { state in
            guard state.generation == generation else { return }
            if state.entries.count >= maximumCount, state.entries[roleArn] == nil {
                state.entries.removeAll(keepingCapacity: true)
            }
            state.entries[roleArn] = Entry(permissions: permissions, expires: expires)
        }
    }

    /// Drops everything.
    func invalidateAll() {
        state.withLockedValue { state in
            state.generation &+= 1
            state.entries.removeAll()
        }
    }
}
