extension ARN {
    /// An IAM resource with a path: `role/PATH/NAME` or `policy/PATH/NAME`.
    public struct IAMPath: Sendable, Hashable {
        /// `role` or `policy`.
        public var type: String
        /// The path, starting and ending with `/` (`/` when there is none).
        public var path: String
        /// The name after the path.
        public var name: String

        /// Creates a path description.
        public init(type: String, path: String, name: String) {
            self.type = type
            self.path = path
            self.name = name
        }
    }

    /// The ARN of an IAM role: `arn:aws:iam::ACCOUNT:role/PATH/NAME`.
    ///
    /// - Parameter path: `/` (the default) or a path like `/service-role/`; missing
    ///   leading or trailing slashes are added.
    public static func iamRole(_ name: String, path: String = "/", accountId: String, partition: String = "aws") -> ARN
    {
        iam(type: "role", name: name, path: path, accountId: accountId, partition: partition)
    }

    /// The ARN of an IAM managed policy: `arn:aws:iam::ACCOUNT:policy/PATH/NAME`
    /// (account `aws` for AWS-managed policies).
    public static func iamPolicy(_ name: String, path: String = "/", accountId: String, partition: String = "aws")
        -> ARN
    {
        iam(type: "policy", name: name, path: path, accountId: accountId, partition: partition)
    }

    /// For an IAM role or policy ARN, its type, path and name.
    public var iamPath: IAMPath? {
        guard service == "iam", let type = resourceType, type == "role" || type == "policy",
            let rest = resourceId
        else { return nil }
        let name: Substring
        let path: String
        if let slash = rest.lastIndex(of: "/") {
            name = rest[rest.index(after: slash)...]
            path = "/" + rest[...slash]
        } else {
            name = rest
            path = "/"
        }
        guard !name.isEmpty else { return nil }
        return IAMPath(type: String(type), path: String(path), name: String(name))
    }

    private static func iam(type: String, name: String, path: String, accountId: String, partition: String) -> ARN {
        var normalized = path.hasPrefix("/") ? path : "/" + path
        if !normalized.hasSuffix("/") { normalized += "/" }
        return ARN(
            partition: partition, service: "iam", region: "", accountId: accountId,
            resource: type + normalized + name)
    }
}
