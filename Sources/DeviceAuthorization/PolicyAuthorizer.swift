import Foundation
import MQTTBroker
import PolicyEngine

/// The plain listener's authorizer: one IoT policy document (`--plain-policy FILE`) governs
/// every client, with the same evaluator as devices, its variables taken from the connection
/// (`iot:ClientId`, `aws:SourceIp`). Without a document everything is allowed.
///
/// Denials are AWS IoT Core's: `iot:Connect` denied closes the connection before CONNACK, a
/// publish denied closes it, a subscription denied gets SUBACK 0x80, a message the client may
/// not receive is not delivered to it.
public struct PolicyAuthorizer: Authorizer {
    /// The policy name explanations and logs use.
    public static let defaultPolicyName = "plain-listener"

    /// The policy, or nil for "allow everything".
    public let document: PolicyDocument?
    /// The region and account policy ARNs are in.
    public let scope: IoTResourceScope
    /// The name the policy is known by.
    public let policyName: String
    /// The policy's statements as compiled for earlier clients.
    private let statements = SharedStatementPool()

    /// Creates an authorizer governed by `document`, or allowing everything when it is nil.
    public init(document: PolicyDocument?, scope: IoTResourceScope, policyName: String = defaultPolicyName) {
        self.document = document
        self.scope = scope
        self.policyName = policyName
    }

    /// Creates an authorizer governed by the IoT policy document in the file at `path`.
    ///
    /// - Throws: when the file cannot be read, or ``PolicyDocumentError`` when it is not a
    ///   valid IoT policy document.
    public init(contentsOfFile path: String, scope: IoTResourceScope) throws {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        self.init(document: try PolicyDocument(json: text, kind: .identity), scope: scope)
    }

    /// Always decides at once: the policy is in memory.
    public func immediateConnectDecision(_ request: ConnectRequest) -> ConnectDecision? {
        decide(request)
    }

    public func authorizeConnect(_ request: ConnectRequest) async -> ConnectDecision {
        decide(request)
    }

    private func decide(_ request: ConnectRequest) -> ConnectDecision {
        guard let document else { return .accept(AllowAllAuthorizer()) }
        let policies = statements.compile(
            [(policyName, document)],
            variables: DevicePolicyVariables.basic(
                clientId: request.clientIdentifier, sourceIp: request.remoteAddress, domainName: nil)
        )
        guard policies.isAllowed(.connect, resourceName: request.clientIdentifier, scope: scope) else {
            return .close
        }
        return .accept(PolicyClientAuthorization(policies: policies, scope: scope))
    }
}
