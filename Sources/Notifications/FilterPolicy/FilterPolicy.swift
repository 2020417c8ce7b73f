import JSON

/// An SNS subscription filter policy: which messages a subscription receives.
///
/// A policy maps keys to arrays of conditions. A message matches when every key matches
/// (AND across keys); a key matches when any of its conditions matches any of the key's
/// values (OR within the array). `"$or"` ORs whole groups of keys. With
/// ``Scope/messageAttributes`` the keys name message attributes; with ``Scope/messageBody``
/// they name properties of the JSON body and may nest.
///
/// ```swift
/// let policy = try FilterPolicy(json: #"{"store": ["example_corp"], "price_usd": [{"numeric": [">=", 100]}]}"#)
/// policy.matches(attributes: ["store": .string("example_corp"), "price_usd": .number("210.75")])  // true
/// ```
public struct FilterPolicy: Sendable {
    /// What a policy is applied to: the subscription's `FilterPolicyScope` attribute.
    public enum Scope: String, Sendable, Hashable, CaseIterable {
        /// The message attributes (the default).
        case messageAttributes = "MessageAttributes"
        /// The message body, which must be a JSON object.
        case messageBody = "MessageBody"
    }

    /// One key of a policy with its conditions; nested keys are joined with `.`.
    struct Field: Sendable, Hashable {
        var path: String
        var conditions: [Condition]
        /// How many objects deep the key sits in the policy (1 at the top); it weighs the
        /// key's values in the complexity.
        var depth: Int
    }

    /// The largest policy document SNS accepts, in bytes.
    public static let maximumSize = 256 * 1024
    /// The most keys one alternative of a policy may test.
    public static let maximumKeys = 5
    /// The largest total combination of values a policy may have.
    public static let maximumCombinations = 150

    /// What the policy applies to.
    public let scope: Scope
    /// The alternatives of the policy (more than one only with `$or`); the policy matches
    /// when all fields of any alternative match.
    let alternatives: [[Field]]

    /// Parses and validates a policy as SNS does for `Subscribe` and
    /// `SetSubscriptionAttributes`.
    ///
    /// - Parameters:
    ///   - json: The policy document.
    ///   - scope: The subscription's filter policy scope. Nested keys are allowed only for
    ///     ``Scope/messageBody``.
    /// - Throws: ``ValidationError`` for a document that is not JSON, an unknown operator,
    ///   a malformed condition, an empty array or object, nesting under
    ///   ``Scope/messageAttributes``, more than ``maximumKeys`` keys or more than
    ///   ``maximumCombinations`` combinations.
    public init(json: String, scope: Scope = .messageAttributes) throws(ValidationError) {
        guard json.utf8.count <= Self.maximumSize else {
            throw .policy("Filter policy is too large; the maximum size is 256 KB")
        }
        let document: JSONValue
        do {
            document = try JSONValue.parse(json)
        } catch {
            throw .policy("failed to parse JSON. \(error.message) at offset \(error.offset)")
        }
        self.scope = scope
        self.alternatives = try FilterPolicyCompiler(scope: scope).compile(document)
    }

    /// Whether a message with `input` passes the policy.
    public func matches(_ input: Input) -> Bool {
        alternatives.contains { input.satisfies($0) }
    }

    /// Whether a message with `attributes` passes the policy, read as a
    /// ``Scope/messageAttributes`` policy.
    public func matches(attributes: [String: MessageAttribute]) -> Bool {
        matches(Input(attributes: attributes))
    }

    /// Whether a message with `body` passes the policy, read as a ``Scope/messageBody``
    /// policy. A body that is not a JSON object matches only the empty policy.
    public func matches(body: String) -> Bool {
        matches(Input(body: body))
    }

    /// Whether a message with the parsed `body` passes the policy, read as a
    /// ``Scope/messageBody`` policy.
    public func matches(body: JSONValue) -> Bool {
        matches(Input(body: body))
    }

    /// Whether a message passes the policy, looking at its body or its attributes as
    /// ``scope`` says.
    public func matches(body: String, attributes: [String: MessageAttribute]) -> Bool {
        switch scope {
        case .messageAttributes: matches(attributes: attributes)
        case .messageBody: matches(body: body)
        }
    }
}
