/// Compiled statements shared between policy sets: connections whose policies are the same
/// and whose variables that a statement uses have the same values hold one copy of that
/// statement (memory per connection), and compiling it again costs a dictionary lookup.
///
/// A statement is identified by its text, its policy's position in the set, and the values
/// of the policy variables it uses; a statement using `${iot:ClientId}` is compiled once per
/// client id, one using none once for everyone. Bounded: past ``capacity`` statements it
/// starts over. Not synchronized: guard it with one lock around compiling (see
/// ``CompiledPolicySet/init(policies:variables:pool:)``).
public struct CompiledStatementPool: Sendable {
    private struct Key: Hashable, Sendable {
        let statement: PolicyStatement
        let policyIndex: Int
        let substitutesVariables: Bool
        /// The values of the statement's variables, in the order `variableKeys` lists them.
        let values: [PolicyContext.Value?]
    }

    /// A compiled statement, or none when it can never apply (every resource has an unknown
    /// variable).
    private struct Entry: Sendable {
        let statement: CompiledStatement?
    }

    /// The most statements kept.
    public let capacity: Int
    private var statements: [Key: Entry] = [:]
    /// The normalized keys of the variables each statement uses, found once per statement.
    private var variableKeys: [PolicyStatement: [String]] = [:]

    /// Creates an empty pool keeping at most `capacity` statements.
    public init(capacity: Int = 20_000) {
        self.capacity = capacity
    }

    /// How many compiled statements the pool holds.
    public var count: Int { statements.count }

    /// The compiled form of `statement` with the values `lookup` gives its variables.
    mutating func statement(
        _ statement: PolicyStatement,
        policyIndex: Int,
        substitutesVariables: Bool,
        lookup: (String) -> PolicyContext.Value?
    ) -> CompiledStatement? {
        let keys = substitutesVariables ? variableKeys(of: statement) : []
        let key = Key(
            statement: statement, policyIndex: policyIndex, substitutesVariables: substitutesVariables,
            values: keys.map(lookup))
        if let entry = statements[key] { return entry.statement }
        let compiled = CompiledStatement(
            statement, policyIndex: policyIndex, substitutesVariables: substitutesVariables, lookup: lookup)
        if statements.count >= capacity {
            statements.removeAll(keepingCapacity: true)
            variableKeys.removeAll(keepingCapacity: true)
        }
        statements[key] = Entry(statement: compiled)
        return compiled
    }

    private mutating func variableKeys(of statement: PolicyStatement) -> [String] {
        if let keys = variableKeys[statement] { return keys }
        var texts = statement.resources?.values ?? []
        for condition in statement.conditions where condition.operator.kind.acceptsVariables {
            texts += condition.values
        }
        var keys: [String] = []
        for text in texts {
            for case .variable(let key, _) in PolicyTemplate(text, substitutesVariables: true).parts
            where !keys.contains(key) {
                keys.append(key)
            }
        }
        variableKeys[statement] = keys
        return keys
    }
}
