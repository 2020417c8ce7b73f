import NIOConcurrencyHelpers

/// Registry reads that CONNECT needs, remembered until the registry next changes, so that a
/// fleet of devices connecting (or one device reconnecting) costs database reads once per
/// certificate, not once per connection.
///
/// Every registry change empties the cache: ``invalidate()`` is called synchronously at commit
/// by the authorizer's registry observer, so a read that starts after a commit never sees a
/// value read before it, and a value read while a change committed is not kept (the generation
/// it was read at is no longer current). Bounded: past ``capacity`` values it starts over.
final class RegistryReadCache: Sendable {
    /// What a cached value is.
    enum Key: Hashable, Sendable {
        /// A certificate's status (`CertificateStatus?`).
        case certificateStatus(certificateId: String)
        /// The names of the things a principal is attached to (`Set<String>`).
        case principalThings(principal: String)
        /// A thing (`Thing?`).
        case thing(name: String)
        /// The policies that apply to a principal, connected as a thing or not
        /// (`[DevicePolicyResolver.NamedPolicy]`).
        case policies(principal: String, thingName: String?)
        /// The compiled policies of a connection (`CompiledPolicySet`): the variables depend on
        /// the certificate, the client id and the address.
        case compiledPolicies(certificateId: String, clientId: String, sourceIp: String?)
    }

    private struct State: Sendable {
        var generation: UInt64 = 0
        var values: [Key: any Sendable] = [:]
    }

    /// The most values kept.
    let capacity: Int
    private let state = NIOLockedValueBox(State())

    init(capacity: Int = 20_000) {
        self.capacity = capacity
    }

    /// The cached value of `key`, if there is one of type `Value`. Never blocks.
    func cachedValue<Value: Sendable>(_ key: Key, as type: Value.Type = Value.self) -> Value? {
        guard let stored = state.withLockedValue({ $0.values[key] }) else { return nil }
        return stored as? Value
    }

    /// The cached value of `key`, or the value `read` returns, which is kept unless the
    /// registry changed while it was read.
    func value<Value: Sendable>(_ key: Key, read: () async throws -> Value) async rethrows -> Value {
        let (stored, generation) = state.withLockedValue { ($0.values[key], $0.generation) }
        // A stored nil (an unknown thing) is a value too: unwrap the entry before casting.
        if let stored, let cached = stored as? Value { return cached }
        let value = try await read()
        state.withLockedValue { state in
            guard state.generation == generation else { return }
            if state.values.count >= capacity, state.values[key] == nil {
                state.values.removeAll(keepingCapacity: true)
            }
            state.values[key] = value
        }
        return value
    }

    /// Forgets every value: the registry changed.
    func invalidate() {
        state.withLockedValue { state in
            state.generation &+= 1
            state.values.removeAll(keepingCapacity: true)
        }
    }

    /// How many values are kept.
    var count: Int { state.withLockedValue { $0.values.count } }
}
