/// `AuthInfo` of the `iot` model: an action and the resources (ARNs) it is asked on.
public struct AuthInfo: Sendable, Hashable {
    /// `ActionType`: the MQTT actions `TestAuthorization` can test.
    public enum ActionType: String, Sendable, Hashable, CaseIterable {
        case publish = "PUBLISH"
        case subscribe = "SUBSCRIBE"
        case receive = "RECEIVE"
        case connect = "CONNECT"

        /// The policy action: `iot:Publish`, `iot:Subscribe`, `iot:Receive`, `iot:Connect`.
        public var policyAction: String {
            switch self {
            case .publish: "iot:Publish"
            case .subscribe: "iot:Subscribe"
            case .receive: "iot:Receive"
            case .connect: "iot:Connect"
            }
        }
    }

    /// The action.
    public var actionType: ActionType
    /// The resource ARNs, such as `arn:aws:iot:us-east-1:123456789012:topic/a/b`.
    public var resources: [String]

    /// Creates an `AuthInfo`.
    public init(actionType: ActionType, resources: [String]) {
        self.actionType = actionType
        self.resources = resources
    }
}

/// `AuthDecision` of the `iot` model.
public enum AuthDecision: String, Sendable, Hashable, CaseIterable {
    case allowed = "ALLOWED"
    case explicitDeny = "EXPLICIT_DENY"
    case implicitDeny = "IMPLICIT_DENY"
}

/// `AuthResult` of the `iot` model: the decision on one action and resource, and the policies
/// that made it.
public struct AuthResult: Sendable, Hashable {
    /// The action and the one resource decided (`resources` has one element).
    public var authInfo: AuthInfo
    /// `allowed.policies`: the policies with a matching `Allow` statement.
    public var allowedPolicies: [PolicyReference]
    /// `denied.explicitDeny.policies`: the policies with a matching `Deny` statement.
    public var explicitDenyPolicies: [PolicyReference]
    /// `denied.implicitDeny.policies`: when nothing matched, every policy evaluated (none of
    /// them has a matching statement); empty otherwise.
    public var implicitDenyPolicies: [PolicyReference]
    /// `authDecision`.
    public var authDecision: AuthDecision
    /// `missingContextValues`: always empty (every policy variable of a device is known).
    public var missingContextValues: [String]

    /// Creates a result.
    public init(
        authInfo: AuthInfo,
        allowedPolicies: [PolicyReference] = [],
        explicitDenyPolicies: [PolicyReference] = [],
        implicitDenyPolicies: [PolicyReference] = [],
        authDecision: AuthDecision,
        missingContextValues: [String] = []
    ) {
        self.authInfo = authInfo
        self.allowedPolicies = allowedPolicies
        self.explicitDenyPolicies = explicitDenyPolicies
        self.implicitDenyPolicies = implicitDenyPolicies
        self.authDecision = authDecision
        self.missingContextValues = missingContextValues
    }
}

/// `Policy` of the `iot` model as `TestAuthorization` names it: a policy's name and ARN.
public struct PolicyReference: Sendable, Hashable {
    /// The policy name.
    public var policyName: String
    /// The policy ARN.
    public var policyArn: String

    /// Creates a reference.
    public init(policyName: String, policyArn: String) {
        self.policyName = policyName
        self.policyArn = policyArn
    }
}
