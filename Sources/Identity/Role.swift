import Foundation

/// An IAM role (`Role`): who may assume it (its trust policy) and its identity.
///
/// What the role may do comes from its attached managed policies and inline policies.
public struct Role: Sendable, Hashable {
    /// The path, `/` or `/a/b/`.
    public var path: String
    /// The name, as given at creation (names are unique regardless of case).
    public var roleName: String
    /// The stable unique id (`AROA…`, 21 characters).
    public var roleId: String
    /// `arn:aws:iam::ACCOUNT:role/PATH/NAME`.
    public var arn: String
    /// When it was created (whole seconds, as AWS reports).
    public var createDate: Date
    /// The trust policy, as given (JSON text, not URL-encoded).
    public var assumeRolePolicyDocument: String
    /// The description, if any.
    public var description: String?
    /// The longest session, in seconds (3600 unless set).
    public var maxSessionDuration: Int
    /// The tags, in the order given.
    public var tags: [IAMTag]

    /// Creates a role value.
    public init(
        path: String, roleName: String, roleId: String, arn: String, createDate: Date,
        assumeRolePolicyDocument: String, description: String? = nil, maxSessionDuration: Int = 3600,
        tags: [IAMTag] = []
    ) {
        self.path = path
        self.roleName = roleName
        self.roleId = roleId
        self.arn = arn
        self.createDate = createDate
        self.assumeRolePolicyDocument = assumeRolePolicyDocument
        self.description = description
        self.maxSessionDuration = maxSessionDuration
        self.tags = tags
    }
}

/// A tag of a role or managed policy (`Tag`: `Key`, `Value`).
public struct IAMTag: Sendable, Hashable, Codable {
    /// 1–128 characters; keys are unique regardless of case.
    public var key: String
    /// 0–256 characters.
    public var value: String

    /// Creates a tag.
    public init(key: String, value: String = "") {
        self.key = key
        self.value = value
    }

    enum CodingKeys: String, CodingKey {
        case key = "Key"
        case value = "Value"
    }
}
