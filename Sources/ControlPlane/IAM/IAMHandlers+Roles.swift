import AWSWire
import Identity

/// Roles: `CreateRole`, `GetRole`, `ListRoles`, `UpdateRole`, `UpdateAssumeRolePolicy`,
/// `DeleteRole`.
extension IAMHandlers {
    var roleOperations: [Operation] {
        [
            ("CreateRole", createRole), ("GetRole", getRole), ("ListRoles", listRoles), ("UpdateRole", updateRole),
            ("UpdateAssumeRolePolicy", updateAssumeRolePolicy), ("DeleteRole", deleteRole),
        ]
    }

    func createRole(_ input: IAMInput) async throws -> OperationOutput {
        if input.string("PermissionsBoundary") != nil {
            throw ServiceModel.iam.error("InvalidInputException", "Thingport does not support permissions boundaries.")
        }
        let role = try await identity.createRole(
            roleName: try input.required("RoleName"), path: input.string("Path"),
            assumeRolePolicyDocument: try input.required("AssumeRolePolicyDocument"),
            description: input.string("Description"), maxSessionDuration: input.int("MaxSessionDuration"),
            tags: input.tags)
        return ["Role": Self.role(role, detailed: true)]
    }

    func getRole(_ input: IAMInput) async throws -> OperationOutput {
        let role = try await identity.getRole(roleName: try input.required("RoleName"))
        var value = Self.role(role, detailed: true)
        if case .map(var members) = value {
            // Thingport does not track role use: AWS answers an empty structure for a role
            // never used.
            members["RoleLastUsed"] = .map([:])
            value = .map(members)
        }
        return ["Role": value]
    }

    func listRoles(_ input: IAMInput) async throws -> OperationOutput {
        let page = try await identity.listRoles(
            pathPrefix: input.string("PathPrefix"), marker: input.marker, maxItems: input.maxItems)
        return Self.paging(page, ["Roles": .list(page.items.map { Self.role($0, detailed: false) })])
    }

    func updateRole(_ input: IAMInput) async throws -> OperationOutput {
        try await identity.updateRole(
            roleName: try input.required("RoleName"), description: input.string("Description"),
            maxSessionDuration: input.int("MaxSessionDuration"))
        return .empty
    }

    func updateAssumeRolePolicy(_ input: IAMInput) async throws -> OperationOutput {
        try await identity.updateAssumeRolePolicy(
            roleName: try input.required("RoleName"), policyDocument: try input.required("PolicyDocument"))
        return .empty
    }

    func deleteRole(_ input: IAMInput) async throws -> OperationOutput {
        try await identity.deleteRole(roleName: try input.required("RoleName"))
        return .empty
    }

    /// A `Role`; `detailed` adds the tags (as `CreateRole` and `GetRole` answer, not `ListRoles`).
    static func role(_ role: Role, detailed: Bool) -> AWSValue {
        var members: [String: AWSValue] = [
            "Path": .string(role.path), "RoleName": .string(role.roleName), "RoleId": .string(role.roleId),
            "Arn": .string(role.arn), "CreateDate": .timestamp(role.createDate),
            "AssumeRolePolicyDocument": encodedDocument(role.assumeRolePolicyDocument),
            "MaxSessionDuration": .int(role.maxSessionDuration),
        ]
        if let description = role.description { members["Description"] = .string(description) }
        if detailed, !role.tags.isEmpty { members["Tags"] = tags(role.tags) }
        return .map(members)
    }
}
