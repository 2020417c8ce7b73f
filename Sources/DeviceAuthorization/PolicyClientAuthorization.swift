import MQTTBroker
import NIOConcurrencyHelpers
import PolicyEngine

/// One connection's permissions: IoT policies compiled once with the connection's variables,
/// asked on every publish, subscribe and delivery, from memory.
///
/// Denials behave as AWS IoT Core's: a publish the policies do not allow closes the connection,
/// a subscription is refused in the SUBACK (0x80), a message the client may not receive is not
/// delivered. A retained publish needs `iot:RetainPublish` besides `iot:Publish`.
///
/// The compiled policies can be replaced while the client is connected (a registry change);
/// each check reads the current set under a short lock.
public final class PolicyClientAuthorization: ClientAuthorization, Sendable {
    /// The certificate id of a registry device; nil on the plain listener.
    public let principal: String?
    /// The region and account the policies' ARNs are in.
    public let scope: IoTResourceScope
    /// What the registry authorizer knows of the device (nil for the plain listener).
    let device: DeviceIdentity?
    /// How many revocations of the certificate the authorizer had processed before it read
    /// the certificate's status for this connection.
    let revocationMark: UInt64
    private let current: NIOLockedValueBox<PolicySnapshot>
    private let refresh = NIOLockedValueBox(RefreshState.idle)

    /// Creates an authorization answering from `policies`.
    ///
    /// - Parameters:
    ///   - policies: The compiled policies (their variables already substituted).
    ///   - scope: The region and account of the resource ARNs.
    ///   - principal: The name observers see (a certificate id), if any.
    public convenience init(policies: CompiledPolicySet, scope: IoTResourceScope, principal: String? = nil) {
        self.init(policies: policies, scope: scope, principal: principal, device: nil, generation: 0, revocationMark: 0)
    }

    init(
        policies: CompiledPolicySet,
        scope: IoTResourceScope,
        principal: String?,
        device: DeviceIdentity?,
        generation: UInt64,
        revocationMark: UInt64
    ) {
        self.principal = principal
        self.scope = scope
        self.device = device
        self.revocationMark = revocationMark
        self.current = NIOLockedValueBox(PolicySnapshot(policies: policies, generation: generation))
    }

    /// The policies answering now.
    public var policies: CompiledPolicySet { snapshot.policies }

    // MARK: ClientAuthorization

    public func authorizePublish(topic: String, retain: Bool) -> PublishDecision {
        let policies = snapshot.policies
        guard policies.isAllowed(.publish, resourceName: topic, scope: scope) else { return .disconnect }
        if retain, !policies.isAllowed(.retainPublish, resourceName: topic, scope: scope) {
            return .disconnect
        }
        return .allow
    }

    public func authorizeSubscribe(topicFilter: String) -> Bool {
        snapshot.policies.isAllowed(.subscribe, resourceName: topicFilter, scope: scope)
    }

    public func authorizeReceive(topic: String) -> Bool {
        snapshot.policies.isAllowed(.receive, resourceName: topic, scope: scope)
    }

    // MARK: Replacing the policies

    /// The registry generation the current policies were resolved at.
    var generation: UInt64 { snapshot.generation }

    /// Installs policies resolved at `generation`, unless newer ones are already installed.
    func install(_ policies: CompiledPolicySet, generation: UInt64) {
        current.withLockedValue { snapshot in
            guard generation >= snapshot.generation else { return }
            snapshot = PolicySnapshot(policies: policies, generation: generation)
        }
    }

    /// Denies everything from now on (the certificate was revoked); generation `max`, so no
    /// refresh can bring permissions back.
    func revoke() {
        current.withLockedValue { $0 = PolicySnapshot(policies: CompiledPolicySet(policies: []), generation: .max) }
    }

    /// Marks a refresh as wanted; returns true when the caller must run it (none was running).
    func beginRefresh() -> Bool {
        refresh.withLockedValue { state in
            switch state {
            case .idle:
                state = .running(again: false)
                return true
            case .running:
                state = .running(again: true)
                return false
            }
        }
    }

    /// Ends a refresh run; returns true when another change arrived meanwhile and the caller
    /// must run it again.
    func endRefresh() -> Bool {
        refresh.withLockedValue { state in
            if case .running(again: true) = state {
                state = .running(again: false)
                return true
            }
            state = .idle
            return false
        }
    }

    private var snapshot: PolicySnapshot { current.withLockedValue { $0 } }
}

/// A compiled policy set and the registry generation it was resolved at, replaced as a whole.
final class PolicySnapshot: Sendable {
    let policies: CompiledPolicySet
    let generation: UInt64

    init(policies: CompiledPolicySet, generation: UInt64) {
        self.policies = policies
        self.generation = generation
    }
}

/// Whether a connection's policies are being recompiled.
enum RefreshState: Sendable {
    case idle
    /// A refresh runs; `again` when another change arrived while it ran.
    case running(again: Bool)
}
