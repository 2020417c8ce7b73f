import CertificateAuthority
import Foundation
import Registry

/// What the `iot` operations work on: the registry, the root certificate authority that
/// issues device certificates, the account the ARNs name, and the clock.
///
/// ```swift
/// var api = ControlPlane(configuration: configuration, logger: logger)
/// api.registerIoTOperations(IoTServices(registry: registry, authority: root))
/// ```
public struct IoTServices: Sendable {
    /// The device registry every operation reads and writes.
    public var registry: Registry
    /// The root CA: it signs `CreateKeysAndCertificate` and `CreateCertificateFromCsr`
    /// certificates, and its key derives the account's registration code.
    public var authority: IssuingAuthority
    /// The account and region of every ARN (the registry's own scope by default).
    public var scope: RegistryScope
    /// The current time: issuing and validity checks use it.
    public var clock: @Sendable () -> Date

    /// Creates the services.
    ///
    /// - Parameters:
    ///   - registry: The device registry.
    ///   - authority: The root certificate authority.
    ///   - scope: The account and region; nil takes the registry's.
    ///   - clock: The current time.
    public init(
        registry: Registry, authority: IssuingAuthority, scope: RegistryScope? = nil,
        clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.registry = registry
        self.authority = authority
        self.scope = scope ?? registry.scope
        self.clock = clock
    }

    /// The region of every ARN.
    public var region: String { scope.region }
    /// The account id of every ARN.
    public var accountId: String { scope.accountId }
}
