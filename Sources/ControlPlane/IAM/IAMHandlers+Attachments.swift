import AWSWire
import Identity

/// Managed policies on roles: `AttachRolePolicy`, `DetachRolePolicy`,
/// `ListAttachedRolePolicies`, `ListEntitiesForPolicy`.
extension IAMHandlers {
    var attachmentOperations: [Operation] {
        [
            ("AttachRolePolicy", attachRolePolicy), ("DetachRolePolicy", detachRolePolicy),
            ("ListAttachedRolePolicies", listAttachedRolePolicies), ("ListEntitiesForPolicy", listEntitiesForPolicy),
        ]
    }

    func attachRolePolicy(_ input: IAMInput) async throws -> OperationOutput {
        try await identity.attachRolePolicy(
            roleName: try input.required("RoleName"), policyArn: try input.required("PolicyArn"))
        return .empty
    }

    func detachRolePolicy(_ input: IAMInput) async throws -> OperationOutput {
        try await identity.detachRolePolicy(
            roleName: try input.required("RoleName"), policyArn: try input.required("PolicyArn"))
        return .empty
    }

    func listAttachedRolePolicies(_ input: IAMInput) async throws -> OperationOutput {
        let page = try await identity.listAttachedRolePolicies(
            roleName: try input.required("RoleName"), pathPrefix: input.string("PathPrefix"), marker: input.marker,
            maxItems: input.maxItems)
        let policies: [AWSValue] = page.items.map {
            ["PolicyName": .string($0.policyName), "PolicyArn": .string($0.policyArn)]
        }
        return Self.paging(page, ["AttachedPolicies": .list(policies)])
    }

    func listEntitiesForPolicy(_ input: IAMInput) async throws -> OperationOutput {
        let page = try await identity.listEntitiesForPolicy(
            policyArn: try input.required("PolicyArn"),
            entityFilter: input.string("EntityFilter").flatMap(PolicyEntityType.init(rawValue:)),
            pathPrefix: input.string("PathPrefix"),
            policyUsageFilter: input.string("PolicyUsageFilter").flatMap(PolicyUsage.init(rawValue:)),
            marker: input.marker, maxItems: input.maxItems)
        let roles: [AWSValue] = page.items.map { ["RoleName": .string($0.roleName), "RoleId": .string($0.roleId)] }
        // Thingport has roles only: no users or groups.
        return Self.paging(page, ["PolicyRoles": .list(roles), "PolicyUsers": .list([]), "PolicyGroups": .list([])])
    }
}
