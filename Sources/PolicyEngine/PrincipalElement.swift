/// The `Principal` or `NotPrincipal` element of a statement.
public struct PrincipalElement: Sendable, Hashable {
    /// `true` for `NotPrincipal`.
    public var isNegated: Bool
    /// `true` for `"Principal": "*"` (everyone, including anonymous requesters).
    public var isWildcard: Bool
    /// `AWS` values: account ids, ARNs of accounts, users and roles, or `*`.
    public var aws: [String]
    /// `Service` values, such as `iot.amazonaws.com`.
    public var service: [String]
    /// `Federated` values: identity providers.
    public var federated: [String]
    /// `CanonicalUser` values.
    public var canonicalUser: [String]

    /// Creates a principal element.
    public init(
        isNegated: Bool = false,
        isWildcard: Bool = false,
        aws: [String] = [],
        service: [String] = [],
        federated: [String] = [],
        canonicalUser: [String] = []
    ) {
        self.isNegated = isNegated
        self.isWildcard = isWildcard
        self.aws = aws
        self.service = service
        self.federated = federated
        self.canonicalUser = canonicalUser
    }
}
