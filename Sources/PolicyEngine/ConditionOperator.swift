/// A condition operator, such as `StringLike`, `ForAnyValue:StringEquals` or
/// `NumericLessThanIfExists`.
public struct ConditionOperator: Sendable, Hashable, CustomStringConvertible {
    /// The operator without qualifier or `IfExists`.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case stringEquals = "StringEquals"
        case stringNotEquals = "StringNotEquals"
        case stringEqualsIgnoreCase = "StringEqualsIgnoreCase"
        case stringNotEqualsIgnoreCase = "StringNotEqualsIgnoreCase"
        case stringLike = "StringLike"
        case stringNotLike = "StringNotLike"
        case numericEquals = "NumericEquals"
        case numericNotEquals = "NumericNotEquals"
        case numericLessThan = "NumericLessThan"
        case numericLessThanEquals = "NumericLessThanEquals"
        case numericGreaterThan = "NumericGreaterThan"
        case numericGreaterThanEquals = "NumericGreaterThanEquals"
        case dateEquals = "DateEquals"
        case dateNotEquals = "DateNotEquals"
        case dateLessThan = "DateLessThan"
        case dateLessThanEquals = "DateLessThanEquals"
        case dateGreaterThan = "DateGreaterThan"
        case dateGreaterThanEquals = "DateGreaterThanEquals"
        case bool = "Bool"
        case binaryEquals = "BinaryEquals"
        case ipAddress = "IpAddress"
        case notIpAddress = "NotIpAddress"
        case arnEquals = "ArnEquals"
        case arnLike = "ArnLike"
        case arnNotEquals = "ArnNotEquals"
        case arnNotLike = "ArnNotLike"
        case null = "Null"

        /// Whether the operator is a negated match (`StringNotEquals`, `NotIpAddress`…):
        /// it holds when no policy value matches, and when the key is absent.
        public var isNegated: Bool {
            switch self {
            case .stringNotEquals, .stringNotEqualsIgnoreCase, .stringNotLike, .numericNotEquals,
                .dateNotEquals, .notIpAddress, .arnNotEquals, .arnNotLike:
                true
            default:
                false
            }
        }

        /// Whether `${…}` policy variables are substituted in this operator's values (only
        /// string and ARN operators, as in AWS).
        public var acceptsVariables: Bool {
            switch self {
            case .stringEquals, .stringNotEquals, .stringEqualsIgnoreCase, .stringNotEqualsIgnoreCase,
                .stringLike, .stringNotLike, .arnEquals, .arnLike, .arnNotEquals, .arnNotLike:
                true
            default:
                false
            }
        }
    }

    /// The set operator prefix for multi-valued context keys.
    public enum SetQualifier: String, Sendable, Hashable {
        /// `ForAllValues:` — every request value must match; true when the key is absent or empty.
        case forAllValues = "ForAllValues"
        /// `ForAnyValue:` — at least one request value must match; false when absent or empty.
        case forAnyValue = "ForAnyValue"
    }

    /// The base operator.
    public var kind: Kind
    /// Whether the `IfExists` suffix is present: the condition holds when the key is absent.
    public var ifExists: Bool
    /// The `ForAllValues:`/`ForAnyValue:` prefix, if any.
    public var qualifier: SetQualifier?

    /// Creates an operator from its parts.
    public init(_ kind: Kind, ifExists: Bool = false, qualifier: SetQualifier? = nil) {
        self.kind = kind
        self.ifExists = ifExists
        self.qualifier = qualifier
    }

    /// Parses an operator name as written in a policy. Names are matched without regard to
    /// case; `NullIfExists` is rejected, as in AWS.
    public init?(_ name: String) {
        var rest = Substring(name)
        var qualifier: SetQualifier?
        for candidate in [SetQualifier.forAllValues, .forAnyValue] {
            let prefix = candidate.rawValue + ":"
            if rest.count > prefix.count, rest.prefix(prefix.count).lowercased() == prefix.lowercased() {
                qualifier = candidate
                rest = rest.dropFirst(prefix.count)
                break
            }
        }
        var ifExists = false
        let suffix = "ifexists"
        if rest.count > suffix.count, rest.suffix(suffix.count).lowercased() == suffix {
            ifExists = true
            rest = rest.dropLast(suffix.count)
        }
        guard let kind = Self.kindsByLowercasedName[rest.lowercased()] else { return nil }
        if kind == .null && ifExists { return nil }
        self.init(kind, ifExists: ifExists, qualifier: qualifier)
    }

    private static let kindsByLowercasedName: [String: Kind] = Dictionary(
        uniqueKeysWithValues: Kind.allCases.map { ($0.rawValue.lowercased(), $0) }
    )

    /// The canonical name, such as `ForAnyValue:StringLikeIfExists`.
    public var description: String {
        var name = ""
        if let qualifier { name += qualifier.rawValue + ":" }
        name += kind.rawValue
        if ifExists { name += "IfExists" }
        return name
    }
}
