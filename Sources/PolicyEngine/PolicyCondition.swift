/// One condition test: an operator, a context key and the policy's values for it.
///
/// `"Condition": {"StringEquals": {"a:b": ["x", "y"], "c:d": "z"}}` becomes two conditions,
/// one for `a:b` with values `x`, `y` and one for `c:d` with value `z`. All conditions of a
/// statement must hold; the values of one condition are alternatives.
public struct PolicyCondition: Sendable, Hashable {
    /// The operator, with its qualifier and `IfExists` suffix.
    public var `operator`: ConditionOperator
    /// The context key as written (`aws:SourceIp`, `iot:Connection.Thing.ThingName`).
    public var key: String
    /// The values as text: JSON numbers keep their text, booleans become `true`/`false`.
    public var values: [String]

    /// Creates a condition.
    public init(operator: ConditionOperator, key: String, values: [String]) {
        self.operator = `operator`
        self.key = key
        self.values = values
    }
}
