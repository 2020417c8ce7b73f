import Foundation

/// An IoT policy as `GetPolicy` returns it: its default version's document.
public struct Policy: Sendable, Hashable {
    /// The name.
    public var policyName: String
    /// `arn:aws:iot:REGION:ACCOUNT:policy/NAME`.
    public var policyArn: String
    /// The default version's document.
    public var policyDocument: String
    /// The default version's id (`"1"`, `"2"`…).
    public var defaultVersionId: String
    /// When the policy was created.
    public var creationDate: Date
    /// When the policy last changed.
    public var lastModifiedDate: Date
    /// Changes with every change.
    public var generationId: String
}

/// A version of a policy as `GetPolicyVersion` returns it.
public struct PolicyVersion: Sendable, Hashable {
    /// The policy's name.
    public var policyName: String
    /// The policy's ARN.
    public var policyArn: String
    /// This version's document.
    public var policyDocument: String
    /// The version id.
    public var policyVersionId: String
    /// Whether it is the default version.
    public var isDefaultVersion: Bool
    /// When the version was created.
    public var creationDate: Date
    /// When the policy last changed.
    public var lastModifiedDate: Date
    /// The policy's generation id.
    public var generationId: String
}

/// A policy in listings (`Policy` shape of `ListPolicies`, `ListAttachedPolicies`…).
public struct PolicySummary: Sendable, Hashable {
    /// The name.
    public var policyName: String
    /// The ARN.
    public var policyArn: String
}

/// A version in `ListPolicyVersions`.
public struct PolicyVersionSummary: Sendable, Hashable {
    /// The version id.
    public var versionId: String
    /// Whether it is the default version.
    public var isDefaultVersion: Bool
    /// When it was created.
    public var createDate: Date
}

/// `EffectivePolicy`: a policy that applies to a principal, directly or through its things'
/// groups.
public struct EffectivePolicy: Sendable, Hashable {
    /// The name.
    public var policyName: String
    /// The ARN.
    public var policyArn: String
    /// The default version's document.
    public var policyDocument: String
}
