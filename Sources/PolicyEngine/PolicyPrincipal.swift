/// Who makes a request, for statements with a `Principal` or `NotPrincipal` element
/// (trust and resource-based policies).
public enum PolicyPrincipal: Sendable, Hashable {
    /// An unauthenticated requester; only `"Principal": "*"` and `{"AWS": "*"}` match it.
    case anonymous
    /// An IAM principal or account, by ARN (`arn:aws:iam::123456789012:role/R`,
    /// `arn:aws:sts::123456789012:assumed-role/R/session`, `arn:aws:iam::123456789012:root`).
    case aws(String)
    /// An AWS service, such as `iot.amazonaws.com`.
    case service(String)
    /// A federated identity provider.
    case federated(String)
    /// An S3 canonical user id.
    case canonicalUser(String)
}

extension PrincipalElement {
    /// Whether the element names `principal`, ignoring ``isNegated``.
    public func names(_ principal: PolicyPrincipal) -> Bool {
        if isWildcard { return true }
        switch principal {
        case .anonymous:
            return aws.contains("*")
        case .aws(let arn):
            return aws.contains { Self.awsValue($0, names: arn) }
        case .service(let name):
            return service.contains { $0 == "*" || $0.lowercased() == name.lowercased() }
        case .federated(let provider):
            return federated.contains { $0 == "*" || $0 == provider }
        case .canonicalUser(let id):
            return canonicalUser.contains { $0 == "*" || $0 == id }
        }
    }

    /// Whether the statement applies to `principal`, taking `NotPrincipal` into account.
    public func applies(to principal: PolicyPrincipal) -> Bool {
        names(principal) != isNegated
    }

    /// Matches one `AWS` principal value against a requester ARN: `*`, the same ARN, the
    /// requester's account (as an id or its root ARN), or the role of an assumed-role session.
    private static func awsValue(_ value: String, names arn: String) -> Bool {
        if value == "*" || value == arn { return true }
        let requester = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard requester.count == 6, requester[0] == "arn" else { return false }
        let account = requester[4]
        if value == account || value == "arn:\(requester[1]):iam::\(account):root" { return true }
        // arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION is a session of arn:aws:iam::ACCOUNT:role/…/ROLE
        let resource = requester[5]
        guard requester[2] == "sts", resource.hasPrefix("assumed-role/") else { return false }
        let sessionParts = resource.split(separator: "/")
        guard sessionParts.count >= 2 else { return false }
        let roleName = sessionParts[1]
        let named = value.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard named.count == 6, named[2] == "iam", named[4] == account, named[5].hasPrefix("role/") else {
            return false
        }
        return named[5].split(separator: "/").last == roleName
    }
}
