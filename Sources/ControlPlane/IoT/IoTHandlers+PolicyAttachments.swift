import AWSWire
import Registry

/// Policy attachments: `AttachPolicy`, `DetachPolicy`, `ListAttachedPolicies`,
/// `ListTargetsForPolicy`, `GetEffectivePolicies`, and the legacy `AttachPrincipalPolicy`,
/// `DetachPrincipalPolicy`, `ListPrincipalPolicies`, `ListPolicyPrincipals`.
extension IoTHandlers {
    var policyAttachmentOperations: [Operation] {
        [
            ("AttachPolicy", attachPolicy), ("DetachPolicy", detachPolicy),
            ("ListAttachedPolicies", listAttachedPolicies), ("ListTargetsForPolicy", listTargetsForPolicy),
            ("GetEffectivePolicies", getEffectivePolicies), ("AttachPrincipalPolicy", attachPrincipalPolicy),
            ("DetachPrincipalPolicy", detachPrincipalPolicy), ("ListPrincipalPolicies", listPrincipalPolicies),
            ("ListPolicyPrincipals", listPolicyPrincipals),
        ]
    }

    func attachPolicy(_ input: OperationInput) async throws -> OperationOutput {
        try await registry.attachPolicy(
            policyName: try input.required("policyName"), target: try input.required("target"))
        return .empty
    }

    func detachPolicy(_ input: OperationInput) async throws -> OperationOutput {
        try await registry.detachPolicy(
            policyName: try input.required("policyName"), target: try input.required("target"))
        return .empty
    }

    func listAttachedPolicies(_ input: OperationInput) async throws -> OperationOutput {
        let page = try await registry.listAttachedPolicies(
            target: try input.required("target"), recursive: input.bool("recursive") ?? false,
            marker: input.string("marker"), pageSize: input.int("pageSize"))
        return Self.policyPage(page)
    }

    func listTargetsForPolicy(_ input: OperationInput) async throws -> OperationOutput {
        let page = try await registry.listTargetsForPolicy(
            policyName: try input.required("policyName"), marker: input.string("marker"),
            pageSize: input.int("pageSize"))
        var output: [String: AWSValue] = ["targets": .strings(page.items)]
        output.set("nextMarker", page.nextToken.map(AWSValue.string))
        return OperationOutput(output)
    }

    /// The policies that apply to a certificate: attached to it, and to the thing groups (and
    /// their ancestors) of its things — or, with `thingName`, of that thing.
    func getEffectivePolicies(_ input: OperationInput) async throws -> OperationOutput {
        if input.string("cognitoIdentityPoolId") != nil {
            throw ServiceModel.iot.error(
                "InvalidRequestException", "Amazon Cognito identities are not supported by Thingport")
        }
        guard let principal = input.string("principal") else {
            throw ServiceModel.iot.error("InvalidRequestException", "principal must be specified")
        }
        let policies = try await registry.effectivePolicies(principal: principal, thingName: input.string("thingName"))
        let list: [AWSValue] = policies.map {
            [
                "policyName": .string($0.policyName), "policyArn": .string($0.policyArn),
                "policyDocument": .string($0.policyDocument),
            ]
        }
        return ["effectivePolicies": .list(list)]
    }

    func attachPrincipalPolicy(_ input: OperationInput) async throws -> OperationOutput {
        try await registry.attachPrincipalPolicy(
            policyName: try input.required("policyName"), principal: try input.required("principal"))
        return .empty
    }

    func detachPrincipalPolicy(_ input: OperationInput) async throws -> OperationOutput {
        try await registry.detachPrincipalPolicy(
            policyName: try input.required("policyName"), principal: try input.required("principal"))
        return .empty
    }

    func listPrincipalPolicies(_ input: OperationInput) async throws -> OperationOutput {
        let page = try await registry.listPrincipalPolicies(
            principal: try input.required("principal"), marker: input.string("marker"),
            pageSize: input.int("pageSize"), ascendingOrder: input.bool("ascendingOrder") ?? true)
        return Self.policyPage(page)
    }

    func listPolicyPrincipals(_ input: OperationInput) async throws -> OperationOutput {
        let page = try await registry.listPolicyPrincipals(
            policyName: try input.required("policyName"), marker: input.string("marker"),
            pageSize: input.int("pageSize"), ascendingOrder: input.bool("ascendingOrder") ?? true)
        var output: [String: AWSValue] = ["principals": .strings(page.items)]
        output.set("nextMarker", page.nextToken.map(AWSValue.string))
        return OperationOutput(output)
    }
}
