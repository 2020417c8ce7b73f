import AWSWire
import PolicyEngine
import Registry

/// IoT policies and their versions: `CreatePolicy`, `GetPolicy`, `ListPolicies`,
/// `DeletePolicy`, `CreatePolicyVersion`, `GetPolicyVersion`, `ListPolicyVersions`,
/// `SetDefaultPolicyVersion`, `DeletePolicyVersion`.
extension IoTHandlers {
    var policyOperations: [Operation] {
        [
            ("CreatePolicy", createPolicy), ("GetPolicy", getPolicy), ("ListPolicies", listPolicies),
            ("DeletePolicy", deletePolicy), ("CreatePolicyVersion", createPolicyVersion),
            ("GetPolicyVersion", getPolicyVersion), ("ListPolicyVersions", listPolicyVersions),
            ("SetDefaultPolicyVersion", setDefaultPolicyVersion), ("DeletePolicyVersion", deletePolicyVersion),
        ]
    }

    func createPolicy(_ input: OperationInput) async throws -> OperationOutput {
        let document = try input.required("policyDocument")
        try Self.validatePolicyDocument(document)
        let policy = try await registry.createPolicy(
            policyName: try input.required("policyName"), policyDocument: document, tags: input.tags())
        return [
            "policyName": .string(policy.policyName), "policyArn": .string(policy.policyArn),
            "policyDocument": .string(policy.policyDocument), "policyVersionId": .string(policy.defaultVersionId),
        ]
    }

    func getPolicy(_ input: OperationInput) async throws -> OperationOutput {
        let policy = try await registry.getPolicy(policyName: try input.required("policyName"))
        return [
            "policyName": .string(policy.policyName), "policyArn": .string(policy.policyArn),
            "policyDocument": .string(policy.policyDocument), "defaultVersionId": .string(policy.defaultVersionId),
            "creationDate": .timestamp(policy.creationDate), "lastModifiedDate": .timestamp(policy.lastModifiedDate),
            "generationId": .string(policy.generationId),
        ]
    }

    func listPolicies(_ input: OperationInput) async throws -> OperationOutput {
        let page = try await registry.listPolicies(
            marker: input.string("marker"), pageSize: input.int("pageSize"),
            ascendingOrder: input.bool("ascendingOrder") ?? true)
        return Self.policyPage(page)
    }

    func deletePolicy(_ input: OperationInput) async throws -> OperationOutput {
        try await registry.deletePolicy(policyName: try input.required("policyName"))
        return .empty
    }

    func createPolicyVersion(_ input: OperationInput) async throws -> OperationOutput {
        let document = try input.required("policyDocument")
        try Self.validatePolicyDocument(document)
        let version = try await registry.createPolicyVersion(
            policyName: try input.required("policyName"), policyDocument: document,
            setAsDefault: input.bool("setAsDefault") ?? false)
        return [
            "policyArn": .string(version.policyArn), "policyDocument": .string(version.policyDocument),
            "policyVersionId": .string(version.policyVersionId), "isDefaultVersion": .boolean(version.isDefaultVersion),
        ]
    }

    func getPolicyVersion(_ input: OperationInput) async throws -> OperationOutput {
        let version = try await registry.getPolicyVersion(
            policyName: try input.required("policyName"), policyVersionId: try input.required("policyVersionId"))
        return [
            "policyArn": .string(version.policyArn), "policyName": .string(version.policyName),
            "policyDocument": .string(version.policyDocument), "policyVersionId": .string(version.policyVersionId),
            "isDefaultVersion": .boolean(version.isDefaultVersion), "creationDate": .timestamp(version.creationDate),
            "lastModifiedDate": .timestamp(version.lastModifiedDate), "generationId": .string(version.generationId),
        ]
    }

    func listPolicyVersions(_ input: OperationInput) async throws -> OperationOutput {
        let versions = try await registry.listPolicyVersions(policyName: try input.required("policyName"))
        let list: [AWSValue] = versions.map {
            [
                "versionId": .string($0.versionId), "isDefaultVersion": .boolean($0.isDefaultVersion),
                "createDate": .timestamp($0.createDate),
            ]
        }
        return ["policyVersions": .list(list)]
    }

    func setDefaultPolicyVersion(_ input: OperationInput) async throws -> OperationOutput {
        try await registry.setDefaultPolicyVersion(
            policyName: try input.required("policyName"), policyVersionId: try input.required("policyVersionId"))
        return .empty
    }

    func deletePolicyVersion(_ input: OperationInput) async throws -> OperationOutput {
        try await registry.deletePolicyVersion(
            policyName: try input.required("policyName"), policyVersionId: try input.required("policyVersionId"))
        return .empty
    }

    // MARK: Helpers

    /// Parses an IoT policy document as the policy engine will evaluate it.
    ///
    /// - Throws: `MalformedPolicyException` with the engine's reason.
    static func validatePolicyDocument(_ document: String) throws(AWSError) {
        do {
            _ = try PolicyDocument(json: document, kind: .identity)
        } catch {
            throw ServiceModel.iot.error("MalformedPolicyException", error.message)
        }
    }

    static func policySummary(_ policy: PolicySummary) -> AWSValue {
        ["policyName": .string(policy.policyName), "policyArn": .string(policy.policyArn)]
    }

    /// A page of policies as `policies` and `nextMarker`.
    static func policyPage(_ page: Page<PolicySummary>) -> OperationOutput {
        var output: [String: AWSValue] = ["policies": .list(page.items.map(policySummary))]
        output.set("nextMarker", page.nextToken.map(AWSValue.string))
        return OperationOutput(output)
    }
}
