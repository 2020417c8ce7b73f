/// A parsed, validated policy document: an AWS IoT policy or an IAM policy (identity-based,
/// role trust or resource-based), which share one grammar.
///
/// Create one with ``init(json:kind:)``; compile one or more into a ``CompiledPolicySet`` to
/// evaluate requests, or use ``PolicyEvaluator`` for one-off decisions.
public struct PolicyDocument: Sendable, Hashable {
    /// The policy language version (the `Version` element).
    public enum Version: String, Sendable, Hashable, CaseIterable {
        /// The current language; policy variables are substituted.
        case v2012_10_17 = "2012-10-17"
        /// The original language; `${…}` is literal text.
        case v2008_10_17 = "2008-10-17"
    }

    /// Which kind of document is being parsed; it decides which elements are required.
    public enum Kind: Sendable, Hashable {
        /// An IAM identity-based policy or an AWS IoT policy: every statement needs
        /// `Resource` or `NotResource`; `Principal` and `NotPrincipal` are not allowed.
        case identity
        /// An IAM role trust policy: every statement needs `Principal` or `NotPrincipal`;
        /// `Resource` and `NotResource` are not allowed.
        case trust
        /// A resource-based policy (an SNS topic policy, for example): every statement needs
        /// both a principal element and a resource element.
        case resource
    }

    /// The `Version` element as written, or `nil` when the document has none.
    public var version: Version?
    /// The `Id` element.
    public var id: String?
    /// The statements, in document order.
    public var statements: [PolicyStatement]

    /// Creates a document from its parts (no validation).
    public init(version: Version? = .v2012_10_17, id: String? = nil, statements: [PolicyStatement]) {
        self.version = version
        self.id = id
        self.statements = statements
    }

    /// The version the document is evaluated under: `2008-10-17` when `Version` is absent,
    /// as AWS does.
    public var effectiveVersion: Version { version ?? .v2008_10_17 }

    /// Whether `${…}` policy variables are substituted (only in version `2012-10-17`).
    public var substitutesVariables: Bool { effectiveVersion == .v2012_10_17 }
}
