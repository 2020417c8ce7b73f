import Foundation

/// A customer managed policy (`Policy`): a document with up to five versions, one of them
/// the default, attachable to roles.
public struct ManagedPolicy: Sendable, Hashable {
    /// The name, as given at creation (names are unique regardless of case).
    public var policyName: String
    /// The stable unique id (`ANPA…`, 21 characters).
    public var policyId: String
    /// `arn:aws:iam::ACCOUNT:policy/PATH/NAME`.
    public var arn: String
    /// The path, `/` or `/a/b/`.
    public var path: String
    /// The default version, such as `v1`.
    public var defaultVersionId: String
    /// How many roles it is attached to.
    public var attachmentCount: Int
    /// The description, if any.
    public var description: String?
    /// When it was created (whole seconds).
    public var createDate: Date
    /// When a version was last added or the default changed (whole seconds).
    public var updateDate: Date
    /// The tags, in the order given.
    public var tags: [IAMTag]

    /// Creates a policy value.
    public init(
        policyName: String, policyId: String, arn: String, path: String, defaultVersionId: String,
        attachmentCount: Int, description: String?, createDate: Date, updateDate: Date, tags: [IAMTag]
    ) {
        self.policyName = policyName
        self.policyId = policyId
        self.arn = arn
        self.path = path
        self.defaultVersionId = defaultVersionId
        self.attachmentCount = attachmentCount
        self.description = description
        self.createDate = createDate
        self.updateDate = updateDate
        self.tags = tags
    }
}

/// One version of a managed policy (`PolicyVersion`).
public struct ManagedPolicyVersion: Sendable, Hashable {
    /// The document, as given (JSON text, not URL-encoded).
    public var document: String
    /// `v1`, `v2`…; numbers are never reused.
    public var versionId: String
    /// Whether this version is the one in effect.
    public var isDefaultVersion: Bool
    /// When it was created (whole seconds).
    public var createDate: Date

    /// Creates a version value.
    public init(document: String, versionId: String, isDefaultVersion: Bool, createDate: Date) {
        self.document = document
        self.versionId = versionId
        self.isDefaultVersion = isDefaultVersion
        self.createDate = createDate
    }
}

/// A managed policy attached to a role (`AttachedPolicy`).
public struct AttachedPolicy: Sendable, Hashable {
    /// The policy's name.
    public var policyName: String
    /// The policy's ARN.
    public var policyArn: String

    /// Creates an attachment value.
    public init(policyName: String, policyArn: String) {
        self.policyName = policyName
        self.policyArn = policyArn
    }
}

/// A role a managed policy is attached to (`PolicyRole`).
public struct PolicyRole: Sendable, Hashable {
    /// The role's name.
    public var roleName: String
    /// The role's id.
    public var roleId: String

    /// Creates a value.
    public init(roleName: String, roleId: String) {
        self.roleName = roleName
        self.roleId = roleId
    }
}

/// A policy embedded in a role (`GetRolePolicy`).
public struct InlinePolicy: Sendable, Hashable {
    /// The role's name.
    public var roleName: String
    /// The policy's name within the role.
    public var policyName: String
    /// The document, as given (JSON text, not URL-encoded).
    public var policyDocument: String

    /// Creates a value.
    public init(roleName: String, policyName: String, policyDocument: String) {
        self.roleName = roleName
        self.policyName = policyName
        self.policyDocument = policyDocument
    }
}

/// `ListPolicies`' `Scope`: whose managed policies to list.
public enum PolicyScope: String, Sendable, Hashable, CaseIterable {
    /// Customer and AWS managed policies.
    case all = "All"
    /// AWS managed policies (Thingport has none).
    case aws = "AWS"
    /// Customer managed policies.
    case local = "Local"
}

/// `PolicyUsageFilter`: how a managed policy is used.
public enum PolicyUsage: String, Sendable, Hashable, CaseIterable {
    /// As a permissions policy (every Thingport attachment).
    case permissionsPolicy = "PermissionsPolicy"
    /// As a permissions boundary (Thingport has none).
    case permissionsBoundary = "PermissionsBoundary"
}

/// `ListEntitiesForPolicy`' `EntityFilter`.
public enum PolicyEntityType: String, Sendable, Hashable, CaseIterable {
    /// IAM users (Thingport has none).
    case user = "User"
    /// IAM roles.
    case role = "Role"
    /// IAM groups (Thingport has none).
    case group = "Group"
    /// Customer managed policies (not entities a policy is attached to).
    case localManagedPolicy = "LocalManagedPolicy"
    /// AWS managed policies (not entities a policy is attached to).
    case awsManagedPolicy = "AWSManagedPolicy"
}
