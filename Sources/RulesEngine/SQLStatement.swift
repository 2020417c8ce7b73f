import MQTTProtocol

/// A topic rule's SQL, parsed and compiled once, then evaluated for every message.
///
/// ```swift
/// let statement = try SQLStatement("SELECT temp, topic(2) AS device FROM 'sensors/+/data' WHERE temp > 30",
///                                  version: .v2016_03_23)
/// if statement.matchesTopic(topic),
///    case .matched(let output) = try statement.evaluate(payload: bytes, context: SQLContext(topic: topic)) {
///     send(output.jsonBytes)
/// }
/// ```
///
/// The statement is an immutable value: share it between threads freely.
public struct SQLStatement: Sendable {
    /// The SQL text as given.
    public let sql: String
    /// The dialect the statement was parsed with.
    public let version: SQLVersion
    /// The topic filter of the FROM clause (the rule's topic, as `ListTopicRules` shows it).
    public let topicFilter: String

    let query: SQLQuery
    /// Whether SELECT or WHERE reads the payload; when not, it is never parsed.
    let readsPayload: Bool

    /// Parses and compiles `sql`.
    ///
    /// - Parameters:
    ///   - sql: `SELECT … FROM 'topic/filter' [WHERE …]`.
    ///   - version: the rule's `awsIotSqlVersion`; AWS's default is 2015-10-08.
    /// - Throws: ``SQLParseError`` with a message and position, for AWS's `SqlParseException`.
    public init(_ sql: String, version: SQLVersion = .default) throws(SQLParseError) {
        let query = try SQLParser.parse(sql, version: version)
        guard case .topic(let filter) = query.source else {
            throw SQLParseError("Expected a topic filter after FROM", offset: 0, in: sql)
        }
        self.sql = sql
        self.version = version
        self.topicFilter = filter
        self.query = query
        self.readsPayload = query.readsDocument
    }

    /// Whether a message published to `topic` triggers the rule.
    public func matchesTopic(_ topic: String) -> Bool {
        MQTTTopic.matches(filter: topicFilter, topic: topic)
    }

    /// Runs the statement over one message.
    ///
    /// The payload is parsed as JSON only if the statement reads it; a payload that is not
    /// JSON is a binary value, whose fields are all `Undefined`.
    ///
    /// - Throws: ``SQLEvaluationError`` when the statement cannot apply to this message,
    ///   such as `SELECT *, x` over a payload that is not a JSON object.
    public func evaluate(payload: UnsafeRawBufferPointer, context: SQLContext) throws(SQLEvaluationError)
        -> SQLResult
    {
        try run(payload: payload, context: context).get()
    }

    /// Runs the statement over one message; see ``evaluate(payload:context:)-(UnsafeRawBufferPointer,_)``.
    public func evaluate(payload: [UInt8], context: SQLContext) throws(SQLEvaluationError) -> SQLResult {
        try payload.withUnsafeBytes { run(payload: $0, context: context) }.get()
    }

    private func run(payload: UnsafeRawBufferPointer, context: SQLContext) -> Result<SQLResult, SQLEvaluationError> {
        let evaluator = SQLEvaluator(
            semantics: SQLSemantics(version: version), version: version, context: context, rawPayload: payload)
        let document: SQLValue
        if readsPayload {
            document = SQLValue.parseJSON(payload, wholeNumbersAsInt: version.isV2) ?? .binary(Array(payload))
        } else {
            document = .undefined
        }
        return Result { () throws(SQLEvaluationError) in try evaluator.run(query, document: document) }
    }
}
