import AWSWire
import Identity

/// Policies embedded in roles: `PutRolePolicy`, `GetRolePolicy`, `DeleteRolePolicy`,
/// `ListRolePolicies`.
extension IAMHandlers {
    var inlinePolicyOperations: [Operation] {
        [
            ("PutRolePolicy", putRolePolicy), ("GetRolePolicy", getRolePolicy), ("DeleteRolePolicy", deleteRolePolicy),
            ("ListRolePolicies", listRolePolicies),
        ]
    }

    func putRolePolicy(_ input: IAMInput) async throws -> OperationOutput {
        try await identity.putRolePolicy(
            roleName: try input.required("RoleName"), policyName: try input.required("PolicyName"),
            policyDocument: try input.required("PolicyDocument"))
        return .empty
    }

    func getRolePolicy(_ input: IAMInput) async throws -> OperationOutput {
        let policy = try await identity.getRolePolicy(
            roleName: try input.required("RoleName"), policyName: try input.required("PolicyName"))
        return [
            "RoleName": .string(policy.roleName), "PolicyName": .string(policy.policyName),
            "PolicyDocument": Self.encodedDocument(policy.policyDocument),
        ]
    }

    func deleteRolePolicy(_ input: IAMInput) async throws -> OperationOutput {
        try await identity.deleteRolePolicy(
            roleName: try input.required("RoleName"), policyName: try input.required("PolicyName"))
        return .empty
    }

    func listRolePolicies(_ input: IAMInput) async throws -> OperationOutput {
        let page = try await identity.listRolePolicies(
            roleName: try input.required("RoleName"), marker: input.marker, maxItems: input.maxItems)
        return Self.paging(page, ["PolicyNames": .strings(page.items)])
    }
}
