import NIOConcurrencyHelpers
import PolicyEngine
import Registry

/// What the registry said at CONNECT about a certificate connecting with a client id from an
/// address: its status and, when `ACTIVE`, its compiled policies; kept so that a device
/// reconnecting (or a fleet of devices sharing a certificate and reconnecting) costs no
/// database reads and no policy compilation.
///
/// Every registry change empties the cache: ``invalidate()`` is called synchronously at
/// commit by the authorizer's registry observer, so a CONNECT that starts after a commit never
/// sees an answer read before it. An answer read while a change committed is not stored (the
/// generation it was read at is no longer current). Bounded: past ``capacity`` entries it
/// starts over.
final class DeviceResolutionCache: Sendable {
    /// Identifies an answer: the policy variables depend on all three.
    struct Key: Hashable, Sendable {
        var certificateId: String
        var clientId: String
        var sourceIp: String?
    }

    /// A cached answer.
    struct Entry: Sendable {
        /// The certificate's status (nil: not registered).
        let status: CertificateStatus?
        /// The compiled policies, when the status is `ACTIVE`.
        let resolution: DevicePolicyResolver.Resolution?
    }

    private struct State: Sendable {
        var generation: UInt64 = 0
        var entries: [Key: Entry] = [:]
    }

    /// The most answers kept.
    let capacity: Int
    private let state = NIOLockedValueBox(State())

    init(capacity: Int = 10_000) {
        self.capacity = capacity
    }

    /// The cached answer for `key`, if any, and the generation to store a fresh one at.
    func lookup(_ key: Key) -> (entry: Entry?, generation: UInt64) {
        state.withLockedValue { ($0.entries[key], $0.generation) }
    }

    /// Keeps `entry`, read from the registry at `generation`, unless the registry changed since.
    func store(_ entry: Entry, for key: Key, readAt generation: UInt64) {
        state.withLockedValue { state in
            guard state.generation == generation else { return }
            if state.entries.count >= capacity, state.entries[key] == nil {
                state.entries.removeAll(keepingCapacity: true)
            }
            state.entries[key] = entry
        }
    }

    /// Forgets every answer: the registry changed.
    func invalidate() {
        state.withLockedValue { state in
            state.generation &+= 1
            state.entries.removeAll(keepingCapacity: true)
        }
    }

    /// How many answers are kept.
    var count: Int { state.withLockedValue { $0.entries.count } }
}
