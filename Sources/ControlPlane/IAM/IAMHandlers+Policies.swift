import AWSWire
import Identity

/// Customer managed policies: `CreatePolicy`, `GetPolicy`, `ListPolicies`, `DeletePolicy`.
extension IAMHandlers {
    var policyOperations: [Operation] {
        [
            ("CreatePolicy", createPolicy), ("GetPolicy", getPolicy), ("ListPolicies", listPolicies),
            ("DeletePolicy", deletePolicy),
        ]
    }

    func createPolicy(_ input: IAMInput) async throws -> OperationOutput {
        let policy = try await identity.createPolicy(
            policyName: try input.required("PolicyName"), path: input.string("Path"),
            policyDocument: try input.required("PolicyDocument"), description: input.string("Description"),
            tags: input.tags)
        return ["Policy": Self.policy(policy, detailed: true)]
    }

    func getPolicy(_ input: IAMInput) async throws -> OperationOutput {
        let policy = try await identity.getPolicy(policyArn: try input.required("PolicyArn"))
        return ["Policy": Self.policy(policy, detailed: true)]
    }

    func listPolicies(_ input: IAMInput) async throws -> OperationOutput {
        let page = try await identity.listPolicies(
            scope: input.string("Scope").flatMap(PolicyScope.init(rawValue:)) ?? .all,
            onlyAttached: input.bool("OnlyAttached") ?? false, pathPrefix: input.string("PathPrefix"),
            policyUsageFilter: input.string("PolicyUsageFilter").flatMap(PolicyUsage.init(rawValue:)),
            marker: input.marker, maxItems: input.maxItems)
        return Self.paging(page, ["Policies": .list(page.items.map { Self.policy($0, detailed: false) })])
    }

    func deletePolicy(_ input: IAMInput) async throws -> OperationOutput {
        try await identity.deletePolicy(policyArn: try input.required("PolicyArn"))
        return .empty
    }

    /// A `Policy`; `detailed` adds the description and tags (as `CreatePolicy` and
    /// `GetPolicy` answer, not `ListPolicies`).
    static func policy(_ policy: ManagedPolicy, detailed: Bool) -> AWSValue {
        var members: [String: AWSValue] = [
            "PolicyName": .string(policy.policyName), "PolicyId": .string(policy.policyId),
            "Arn": .string(policy.arn), "Path": .string(policy.path),
            "DefaultVersionId": .string(policy.defaultVersionId), "AttachmentCount": .int(policy.attachmentCount),
            "PermissionsBoundaryUsageCount": .int(0), "IsAttachable": .boolean(true),
            "CreateDate": .timestamp(policy.createDate), "UpdateDate": .timestamp(policy.updateDate),
        ]
        if detailed {
            if let description = policy.description { members["Description"] = .string(description) }
            if !policy.tags.isEmpty { members["Tags"] = tags(policy.tags) }
        }
        return .map(members)
    }
}
