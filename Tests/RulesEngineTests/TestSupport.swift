import RulesEngine
import Testing

/// The context every test uses unless it says otherwise.
let testContext = SQLContext(
    topic: "things/myThings/thingOne", clientID: "device-1", principal: "abc123principal",
    accountID: "123456789012", traceID: "12345678-1234-1234-1234-123456789012", timestamp: 1_481_825_251_155)

/// Runs `sql` over `payload` and returns the result.
func run(
    _ sql: String, payload: String = "{}", version: SQLVersion = .v2016_03_23, context: SQLContext = testContext
) throws -> SQLResult {
    let statement = try SQLStatement(sql, version: version)
    return try statement.evaluate(payload: Array(payload.utf8), context: context)
}

/// The output of `sql` over `payload` as compact JSON text; `nil` when WHERE did not match.
func output(
    _ sql: String, payload: String = "{}", version: SQLVersion = .v2016_03_23, context: SQLContext = testContext
) throws -> String? {
    try run(sql, payload: payload, version: version, context: context).payload.map {
        String(decoding: $0, as: UTF8.self)
    }
}

/// The value of one expression, via `SELECT VALUE <expression>`.
func value(
    _ expression: String, payload: String = "{}", version: SQLVersion = .v2016_03_23,
    context: SQLContext = testContext
) throws -> SQLValue {
    let result = try run("SELECT VALUE \(expression) FROM 'a/b'", payload: payload, version: version, context: context)
    return try #require(result.output)
}

/// The parse error of `sql`, or `nil` if it parses.
func parseError(_ sql: String, version: SQLVersion = .v2016_03_23) -> SQLParseError? {
    do {
        _ = try SQLStatement(sql, version: version)
        return nil
    } catch {
        return error
    }
}
