/// The outcome of running a rule's SQL over one message.
public enum SQLResult: Sendable, Hashable {
    /// The WHERE clause was false, `Undefined` or not a boolean: no action runs.
    case notMatched
    /// The WHERE clause held (or there was none); the SELECT produced this document:
    /// an object for a SELECT list, any value for `SELECT VALUE`, the raw payload for
    /// `SELECT *` over a payload that is not JSON.
    case matched(SQLValue)

    /// Whether the rule's actions run.
    public var isMatched: Bool {
        if case .matched = self { return true }
        return false
    }

    /// The output document, when matched.
    public var output: SQLValue? {
        if case .matched(let value) = self { return value }
        return nil
    }

    /// The bytes the actions receive, when matched: compact JSON, or the raw payload.
    public var payload: [UInt8]? {
        output?.jsonBytes
    }
}
