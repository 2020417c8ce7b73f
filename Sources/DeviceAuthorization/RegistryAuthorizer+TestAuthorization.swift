import AWSWire
import CertificateAuthority
import PolicyEngine
import Registry
import X509

extension RegistryAuthorizer {
    /// `TestAuthorization`: decides each action and resource with the evaluator devices get at
    /// CONNECT (the same policies, the same policy variables), and says which policies decided.
    ///
    /// - Parameters:
    ///   - principal: The certificate, by ARN (`arn:aws:iot:…:cert/<id>`) or id.
    ///   - clientId: The MQTT client id to evaluate as; it selects the thing (and the thing
    ///     groups' policies) as at CONNECT. Without it, `iot:ClientId` is unknown.
    ///   - policyNamesToAdd: Policies to evaluate as if attached.
    ///   - policyNamesToSkip: Attached policies to leave out.
    ///   - authInfos: The actions and resource ARNs to decide.
    /// - Returns: One result per resource of each `AuthInfo`, in order.
    /// - Throws: ``RegistryError``: `InvalidRequestException` for a principal that is not a
    ///   certificate of this account, `ResourceNotFoundException` for an unknown certificate
    ///   or policy to add.
    public func authorize(
        principal: String,
        clientId: String? = nil,
        policyNamesToAdd: [String] = [],
        policyNamesToSkip: [String] = [],
        authInfos: [AuthInfo]
    ) async throws -> [AuthResult] {
        let certificateId = try Self.certificateId(ofPrincipal: principal, scope: registry.scope)
        let certificate = try await registry.describeCertificate(certificateId: certificateId)
        let leaf: X509.Certificate
        do {
            leaf = try CertificateCoding.certificate(pem: certificate.certificatePem)
        } catch {
            throw RegistryError(code: .invalidRequest, message: "The certificate \(certificateId) cannot be read")
        }
        let identity = DeviceIdentity(
            certificateId: certificateId,
            certificateArn: certificate.certificateArn,
            certificate: leaf,
            trustAnchorId: nil,
            clientId: clientId ?? "",
            sourceIp: nil
        )
        let resolution = try await resolver.resolve(
            identity, adding: policyNamesToAdd, skipping: Set(policyNamesToSkip), withClientId: clientId != nil)
        let arns = Dictionary(resolution.applicable.map { ($0.name, $0.arn) }, uniquingKeysWith: { first, _ in first })
        func references(_ names: [String]) -> [PolicyReference] {
            names.map { PolicyReference(policyName: $0, policyArn: arns[$0] ?? registry.scope.arn(.policy($0))) }
        }
        var results: [AuthResult] = []
        for info in authInfos {
            for resource in info.resources {
                let decision = resolution.policies.evaluate(action: info.actionType.policyAction, resource: resource)
                let authDecision: AuthDecision =
                    switch decision.outcome {
                    case .allowed: .allowed
                    case .explicitDeny: .explicitDeny
                    case .implicitDeny: .implicitDeny
                    }
                results.append(
                    AuthResult(
                        authInfo: AuthInfo(actionType: info.actionType, resources: [resource]),
                        allowedPolicies: references(decision.allowingPolicies),
                        explicitDenyPolicies: references(decision.denyingPolicies),
                        implicitDenyPolicies: authDecision == .implicitDeny
                            ? references(resolution.policies.policyNames) : [],
                        authDecision: authDecision
                    ))
            }
        }
        return results
    }

    /// The certificate id a `TestAuthorization` principal names.
    static func certificateId(ofPrincipal principal: String, scope: RegistryScope) throws -> String {
        if CertificateID.isWellFormed(principal) { return principal.lowercased() }
        guard case .certificate(let id)? = scope.resource(ofARN: principal) else {
            throw RegistryError(
                code: .invalidRequest,
                message: "Invalid principal \(principal): only certificate ARNs of this account can be tested")
        }
        return id
    }
}
