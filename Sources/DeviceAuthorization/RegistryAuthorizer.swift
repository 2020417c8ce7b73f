import AWSWire
import CertificateAuthority
import Foundation
import Logging
import MQTTBroker
import NIOConcurrencyHelpers
import PolicyEngine
import Registry
import X509

/// The mutual-TLS listener's authorizer: a device is its certificate, and its IoT policies say
/// what it may do, as in AWS IoT Core.
///
/// On CONNECT the client certificate must chain to Thingport's root or to a registered CA
/// certificate that is `ACTIVE`, be valid now, and be registered and `ACTIVE` itself; anything
/// else (`INACTIVE`, `REVOKED`, `PENDING_TRANSFER`, unknown, foreign, expired) closes the
/// connection without CONNACK, as AWS does. The policies that apply (see
/// ``DevicePolicyResolver``) are compiled once with the connection's policy variables and
/// `iot:Connect` on `client/<clientId>` decides; the returned ``PolicyClientAuthorization``
/// answers publish, subscribe and receive from memory. The MQTT user name (AWS SDKs put
/// `?SDK=…&Version=…` there) and password are ignored.
///
/// Registry changes reach live connections: a certificate that stops being `ACTIVE` (or is
/// deleted), or a CA certificate that stops being trusted, disconnects its connections
/// (`AUTH_ERROR`); a change to policies, their default versions, attachments or things
/// recompiles the policies of the connections it concerns, once per burst of changes, off the
/// hot path. The change takes effect when the recompile finishes (milliseconds);
/// ``synchronize()`` waits for that.
///
/// Wiring: pass it as the mutual-TLS listener's `authorizer` and
/// `clientCertificateValidator`, call ``start()`` before the broker runs, and add it to the
/// broker with `addConnectionObserver(_:)` so that it knows live connections.
public final class RegistryAuthorizer: Authorizer, ClientCertificateValidator, ConnectionObserver, Sendable {
    /// The registry devices and policies come from.
    public let registry: Registry
    /// The region and account of policy resources.
    public let scope: IoTResourceScope
    let resolver: DevicePolicyResolver
    let trustStore: DeviceTrustStore
    let logger: Logger
    let pending = PendingWork()
    let reads: RegistryReadCache
    let live = NIOLockedValueBox(LiveConnections())
    let feed = NIOLockedValueBox(ChangeFeed())

    /// Creates an authorizer; call ``start()`` before use.
    ///
    /// - Parameters:
    ///   - registry: The registry of certificates, things and policies.
    ///   - rootCertificates: Thingport's root CA certificate(s), always trusted.
    ///   - domainName: The host name devices connect to, for `iot:DomainName`, if any.
    ///   - logger: Debug logs of refusals and registry changes (ids, never keys or documents).
    public init(
        registry: Registry,
        rootCertificates: [X509.Certificate],
        domainName: String? = nil,
        logger: Logger = Logger(label: "thingport.device-authorization")
    ) {
        self.registry = registry
        let scope = IoTResourceScope(
            region: registry.scope.region, account: registry.scope.accountId, partition: registry.scope.partition)
        self.scope = scope
        self.logger = logger
        self.trustStore = DeviceTrustStore(roots: rootCertificates)
        let reads = RegistryReadCache()
        self.reads = reads
        self.resolver = DevicePolicyResolver(
            registry: registry, scope: scope, domainName: domainName, documents: PolicyDocumentCache(), reads: reads,
            statements: SharedStatementPool(), logger: logger)
    }

    /// Loads the registered CA certificates and starts following registry changes.
    ///
    /// - Throws: when the registry cannot be read.
    public func start() async throws {
        try await trustStore.reload(from: registry)
        startFollowingChanges()
    }

    /// Stops following registry changes.
    public func stop() {
        stopFollowingChanges()
    }

    /// Waits until every registry change committed so far has reached the live connections
    /// (revocations done, policies recompiled) and the trusted CAs.
    public func synchronize() async {
        await pending.waitUntilIdle()
    }

    // MARK: Authorizer

    public func immediateConnectDecision(_ request: ConnectRequest) -> ConnectDecision? {
        guard let verified = trustStore.cachedVerification(request.peerCertificateChain) else { return nil }
        let marks = revocationMarks(verified.certificateId)
        let identity = identity(verified, request)
        let statusKey = RegistryReadCache.Key.certificateStatus(certificateId: identity.certificateId)
        guard let status = reads.cachedValue(statusKey, as: CertificateStatus?.self) else { return nil }
        guard status == .active else {
            return decision(ConnectAnswer(status: status), identity: identity, marks: marks)
        }
        guard let policies = reads.cachedValue(Self.compiledPoliciesKey(identity), as: CompiledPolicySet.self) else {
            return nil
        }
        return decision(ConnectAnswer(status: status, policies: policies), identity: identity, marks: marks)
    }

    public func authorizeConnect(_ request: ConnectRequest) async -> ConnectDecision {
        guard !request.peerCertificateChain.isEmpty else {
            logger.debug("refusing a client without a certificate")
            return .close
        }
        let verified: DeviceTrustStore.Verified
        do {
            verified = try await trustStore.verify(request.peerCertificateChain)
        } catch {
            logger.debug("refusing an untrusted certificate", metadata: ["reason": "\(error.reason)"])
            return .close
        }
        let marks = revocationMarks(verified.certificateId)
        let identity = identity(verified, request)
        let answer: ConnectAnswer
        do {
            answer = try await registryAnswer(for: identity)
        } catch {
            logger.error("registry unavailable at CONNECT", metadata: ["error": "\(error)"])
            return .refuse(.serverUnavailable)
        }
        return decision(answer, identity: identity, marks: marks)
    }

    /// The counters a connection registering later compares with to notice a change committed
    /// while its CONNECT was decided (see `clientConnected`): read before the registry.
    private func revocationMarks(_ certificateId: String) -> (revocations: UInt64, generation: UInt64) {
        live.withLockedValue { ($0.revocations[certificateId, default: 0], $0.generation) }
    }

    private func identity(_ verified: DeviceTrustStore.Verified, _ request: ConnectRequest) -> DeviceIdentity {
        DeviceIdentity(
            certificateId: verified.certificateId,
            certificateArn: registry.scope.arn(.certificate(verified.certificateId)),
            certificate: verified.leaf,
            trustAnchorId: verified.trustAnchorId,
            clientId: request.clientIdentifier,
            sourceIp: request.remoteAddress
        )
    }

    /// Decides a CONNECT from what the registry said of the certificate.
    private func decision(
        _ answer: ConnectAnswer,
        identity: DeviceIdentity,
        marks: (revocations: UInt64, generation: UInt64)
    ) -> ConnectDecision {
        guard answer.status == .active, let policies = answer.policies else {
            logger.debug(
                "refusing a certificate that is not ACTIVE",
                metadata: [
                    "certificate": "\(identity.certificateId)", "status": "\(answer.status?.rawValue ?? "unknown")",
                ])
            return .close
        }
        guard policies.isAllowed(.connect, resourceName: identity.clientId, scope: scope) else {
            logger.debug(
                "iot:Connect denied",
                metadata: ["certificate": "\(identity.certificateId)", "mqtt.client_id": "\(identity.clientId)"])
            return .close
        }
        return .accept(
            PolicyClientAuthorization(
                policies: policies,
                scope: scope,
                principal: identity.certificateId,
                device: identity,
                generation: marks.generation,
                revocationMark: marks.revocations
            ))
    }

    private static func compiledPoliciesKey(_ identity: DeviceIdentity) -> RegistryReadCache.Key {
        .compiledPolicies(
            certificateId: identity.certificateId, clientId: identity.clientId, sourceIp: identity.sourceIp)
    }

    /// The certificate's status and, when `ACTIVE`, its compiled policies: from memory when the
    /// registry has not changed since they were read, else from the registry.
    private func registryAnswer(for identity: DeviceIdentity) async throws -> ConnectAnswer {
        let status = try await reads.value(.certificateStatus(certificateId: identity.certificateId)) {
            try await registry.certificateStatus(certificateId: identity.certificateId)
        }
        guard status == .active else { return ConnectAnswer(status: status) }
        let policies = try await reads.value(Self.compiledPoliciesKey(identity)) {
            try await resolver.resolve(identity).policies
        }
        return ConnectAnswer(status: status, policies: policies)
    }

    // MARK: ClientCertificateValidator

    public func isKnownTrusted(_ presentedChain: [[UInt8]]) -> Bool {
        trustStore.cachedVerification(presentedChain) != nil
    }

    public func validateClientCertificateChain(_ presentedChain: [[UInt8]]) async -> Bool {
        do {
            _ = try await trustStore.verify(presentedChain)
            return true
        } catch {
            logger.debug("TLS client certificate not trusted", metadata: ["reason": "\(error.reason)"])
            return false
        }
    }
}

/// What the registry says of a certificate at CONNECT.
private struct ConnectAnswer {
    /// The certificate's status (nil: not registered).
    var status: CertificateStatus?
    /// The connection's compiled policies, when the status is `ACTIVE`.
    var policies: CompiledPolicySet?
}
