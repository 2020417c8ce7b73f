import AWSWire
import Identity

/// Managed policy versions: `CreatePolicyVersion`, `GetPolicyVersion`, `ListPolicyVersions`,
/// `SetDefaultPolicyVersion`, `DeletePolicyVersion`.
extension IAMHandlers {
    var policyVersionOperations: [Operation] {
        [
            ("CreatePolicyVersion", createPolicyVersion), ("GetPolicyVersion", getPolicyVersion),
            ("ListPolicyVersions", listPolicyVersions), ("SetDefaultPolicyVersion", setDefaultPolicyVersion),
            ("DeletePolicyVersion", deletePolicyVersion),
        ]
    }

    func createPolicyVersion(_ input: IAMInput) async throws -> OperationOutput {
        let version = try await identity.createPolicyVersion(
            policyArn: try input.required("PolicyArn"), policyDocument: try input.required("PolicyDocument"),
            setAsDefault: input.bool("SetAsDefault") ?? false)
        return ["PolicyVersion": Self.version(version, withDocument: false)]
    }

    func getPolicyVersion(_ input: IAMInput) async throws -> OperationOutput {
        let version = try await identity.getPolicyVersion(
            policyArn: try input.required("PolicyArn"), versionId: try input.required("VersionId"))
        return ["PolicyVersion": Self.version(version, withDocument: true)]
    }

    func listPolicyVersions(_ input: IAMInput) async throws -> OperationOutput {
        let page = try await identity.listPolicyVersions(
            policyArn: try input.required("PolicyArn"), marker: input.marker, maxItems: input.maxItems)
        return Self.paging(page, ["Versions": .list(page.items.map { Self.version($0, withDocument: false) })])
    }

    func setDefaultPolicyVersion(_ input: IAMInput) async throws -> OperationOutput {
        try await identity.setDefaultPolicyVersion(
            policyArn: try input.required("PolicyArn"), versionId: try input.required("VersionId"))
        return .empty
    }

    func deletePolicyVersion(_ input: IAMInput) async throws -> OperationOutput {
        try await identity.deletePolicyVersion(
            policyArn: try input.required("PolicyArn"), versionId: try input.required("VersionId"))
        return .empty
    }

    /// A `PolicyVersion`; AWS returns the document only from `GetPolicyVersion`.
    static func version(_ version: ManagedPolicyVersion, withDocument: Bool) -> AWSValue {
        var members: [String: AWSValue] = [
            "VersionId": .string(version.versionId), "IsDefaultVersion": .boolean(version.isDefaultVersion),
            "CreateDate": .timestamp(version.createDate),
        ]
        if withDocument { members["Document"] = encodedDocument(version.document) }
        return .map(members)
    }
}
