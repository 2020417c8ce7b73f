/// One statement of a policy document.
public struct PolicyStatement: Sendable, Hashable {
    /// Whether a matching statement allows or denies.
    public enum Effect: String, Sendable, Hashable {
        /// The statement grants the request.
        case allow = "Allow"
        /// The statement explicitly denies the request; this overrides every allow.
        case deny = "Deny"
    }

    /// The values of `Action`/`NotAction` or `Resource`/`NotResource`.
    public struct ElementList: Sendable, Hashable {
        /// The values as written.
        public var values: [String]
        /// `true` for `NotAction`/`NotResource`: the statement applies to everything the
        /// values do not match.
        public var isNegated: Bool

        /// Creates a list.
        public init(_ values: [String], isNegated: Bool = false) {
            self.values = values
            self.isNegated = isNegated
        }
    }

    /// The `Sid` element.
    public var sid: String?
    /// The `Effect` element.
    public var effect: Effect
    /// `Action` or `NotAction`.
    public var actions: ElementList
    /// `Resource` or `NotResource`; `nil` in trust policies.
    public var resources: ElementList?
    /// `Principal` or `NotPrincipal`; `nil` in identity-based and IoT policies.
    public var principals: PrincipalElement?
    /// The `Condition` element, flattened: one entry per operator and key.
    public var conditions: [PolicyCondition]

    /// Creates a statement from its parts (no validation).
    public init(
        sid: String? = nil,
        effect: Effect,
        actions: ElementList,
        resources: ElementList? = nil,
        principals: PrincipalElement? = nil,
        conditions: [PolicyCondition] = []
    ) {
        self.sid = sid
        self.effect = effect
        self.actions = actions
        self.resources = resources
        self.principals = principals
        self.conditions = conditions
    }
}
