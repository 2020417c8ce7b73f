import RulesEngine
import Testing

@Suite("Parsing SQL statements")
struct SQLParserTests {
    struct Rejected: Sendable, CustomTestStringConvertible {
        let sql: String
        let message: String
        let column: Int
        var version: SQLVersion = .v2016_03_23
        var testDescription: String { sql }
    }

    static let rejected: [Rejected] = [
        // Strings and characters.
        .init(sql: "SELECT * FROM 'a/b", message: "Unterminated string literal", column: 15),
        .init(sql: "SELECT 'abc FROM 'a/b'", message: "Unterminated string literal", column: 22),
        .init(sql: "SELECT \"abc FROM 'a/b'", message: "Unterminated string literal", column: 8),
        .init(sql: "SELECT 'it\\q' FROM 'a'", message: "Invalid escape sequence in string literal", column: 11),
        .init(sql: "SELECT a # b FROM 'a'", message: "Unexpected character '#'", column: 10),
        .init(sql: "SELECT * FROM 'a';", message: "Unexpected character ';'", column: 18),
        .init(sql: "SELECT 1e FROM 'a'", message: "Malformed number: an exponent needs digits", column: 8),
        .init(sql: "SELECT 12abc FROM 'a'", message: "Malformed number: a letter follows the digits", column: 8),
        // Clauses.
        .init(sql: "* FROM 'a'", message: "Expected SELECT at the start of the statement, found '*'", column: 1),
        .init(sql: "", message: "Expected SELECT at the start of the statement, found end of statement", column: 1),
        .init(sql: "SELECT *", message: "Expected FROM after the SELECT list, found end of statement", column: 9),
        .init(sql: "SELECT * WHERE x = 1", message: "Expected FROM after the SELECT list, found 'WHERE'", column: 10),
        .init(sql: "SELECT a b FROM 'a'", message: "Expected FROM after the SELECT list, found 'b'", column: 10),
        .init(
            sql: "SELECT FROM 'a'", message: "Expected an expression or '*' in the SELECT list, found 'FROM'", column: 8
        ),
        .init(
            sql: "SELECT a, FROM 'a'", message: "Expected an expression or '*' in the SELECT list, found 'FROM'",
            column: 11),
        .init(sql: "SELECT VALUE a, b FROM 'a'", message: "SELECT VALUE takes exactly one expression", column: 15),
        .init(
            sql: "SELECT * FROM 'a' WHERE", message: "Unexpected end of statement, expected an expression", column: 24),
        .init(
            sql: "SELECT * FROM 'a' WHERE x = 1 extra", message: "Unexpected 'extra' after the end of the statement",
            column: 31),
        .init(
            sql: "SELECT * FROM 'a' LIMIT 5", message: "Unexpected 'LIMIT' after the end of the statement", column: 19),
        .init(
            sql: "SELECT * FROM 'a' 'b'", message: "Unexpected string 'b' after the end of the statement", column: 19),
        // The topic filter.
        .init(
            sql: "SELECT * FROM a/b", message: "Expected a topic filter in single quotes after FROM, found 'a'",
            column: 15),
        .init(
            sql: "SELECT * FROM \"a/b\"", message: "The topic filter after FROM must be enclosed in single quotes",
            column: 15),
        .init(sql: "SELECT * FROM 'a/#/b'", message: "Invalid topic filter 'a/#/b'", column: 15),
        .init(sql: "SELECT * FROM 'a/b+'", message: "Invalid topic filter 'a/b+'", column: 15),
        .init(sql: "SELECT * FROM 'sport#'", message: "Invalid topic filter 'sport#'", column: 15),
        .init(sql: "SELECT * FROM ''", message: "Invalid topic filter ''", column: 15),
        // Expressions.
        .init(sql: "SELECT a + FROM 'a'", message: "Expected an expression, found keyword FROM", column: 12),
        .init(sql: "SELECT (a FROM 'a'", message: "Expected ')' to close the parenthesis, found 'FROM'", column: 11),
        .init(sql: "SELECT a AS FROM 'a'", message: "Expected a name after AS, found 'FROM'", column: 13),
        .init(sql: "SELECT a. FROM 'a'", message: "Expected a name after '.', found 'FROM'", column: 11),
        .init(sql: "SELECT a[1 FROM 'a'", message: "Expected ']' after the array index, found 'FROM'", column: 12),
        .init(sql: "SELECT {'a' 1} FROM 'x'", message: "Expected ':' after the key 'a', found '1'", column: 13),
        .init(
            sql: "SELECT [1, 2 FROM 'x'", message: "Expected ']' to close the array literal, found 'FROM'", column: 14),
        .init(
            sql: "SELECT a FROM 'a' WHERE b IN", message: "Unexpected end of statement, expected an expression",
            column: 29),
        .init(
            sql: "SELECT a * * b FROM 'a'", message: "'*' is allowed only as a SELECT item or a function argument",
            column: 12),
        .init(sql: "SELECT * FROM 'a' WHERE x = = 1", message: "Expected an expression, found '='", column: 29),
        .init(
            sql: "SELECT CASE a WHEN 1 THEN 2 FROM 'a'", message: "Expected END to close the CASE that starts here",
            column: 8),
        .init(
            sql: "SELECT CASE a ELSE 1 END FROM 'a'", message: "CASE needs at least one WHEN clause, found 'ELSE'",
            column: 15),
        .init(sql: "SELECT CASE WHEN a 1 END FROM 'a'", message: "Expected THEN after WHEN, found '1'", column: 20),
        // Functions.
        .init(sql: "SELECT foo(1) FROM 'a'", message: "Unknown function foo", column: 8),
        .init(
            sql: "SELECT aws_lambda('arn:aws:lambda:us-east-1:1:function:f', *) FROM 'a'",
            message: "Function aws_lambda is not supported by Thingport", column: 8),
        .init(
            sql: "SELECT * FROM 'a' WHERE get_thing_shadow('t', 'arn:aws:iam::1:role/r').state = 1",
            message: "Function get_thing_shadow is not supported by Thingport", column: 25),
        .init(
            sql: "SELECT machinelearning_predict('m', 'r', *) FROM 'a'",
            message: "Function machinelearning_predict is not supported by Thingport", column: 8),
        .init(
            sql: "SELECT get_dynamodb('t', 'k', 1, 'r') FROM 'a'",
            message: "Function get_dynamodb is not supported by Thingport", column: 8),
        .init(
            sql: "SELECT upper(a FROM 'a'", message: "Expected ')' to close the arguments of upper, found 'FROM'",
            column: 16),
        .init(sql: "SELECT cast(a AS Foo) FROM 'a'", message: "Unknown type Foo in cast", column: 18),
        .init(
            sql: "SELECT cast(a Int) FROM 'a'", message: "Expected AS in cast(value AS type), found 'Int'", column: 15),
        .init(
            sql: "SELECT encode(*, 'hex') FROM 'a'", message: "Function encode supports only the 'base64' scheme",
            column: 8),
        // Version 2015-10-08.
        .init(
            sql: "SELECT [1, 2] AS a FROM 'a'", message: "An array literal requires SQL version 2016-03-23", column: 8,
            version: .v2015_10_08),
        .init(
            sql: "SELECT {'a': 1} AS a FROM 'a'", message: "An object literal requires SQL version 2016-03-23",
            column: 8,
            version: .v2015_10_08),
        .init(
            sql: "SELECT (SELECT VALUE n FROM e) AS s FROM 'a'",
            message: "A nested SELECT requires SQL version 2016-03-23",
            column: 9, version: .v2015_10_08),
        .init(
            sql: "SELECT encode(*, 'base64') AS d FROM 'a'", message: "Function encode requires SQL version 2016-03-23",
            column: 8, version: .v2015_10_08),
        .init(
            sql: "SELECT cast(a AS Bool) AS b FROM 'a'", message: "cast to Boolean requires SQL version 2016-03-23",
            column: 18, version: .v2015_10_08),
    ]

    @Test("rejects malformed statements with a message and a position", arguments: rejected)
    func rejectsMalformed(_ example: Rejected) throws {
        let error = try #require(parseError(example.sql, version: example.version))
        #expect(error.message.hasPrefix(example.message), "got: \(error.message)")
        #expect(error.line == 1)
        #expect(error.column == example.column)
        #expect(error.description == "Line 1:\(example.column): \(error.message)")
    }

    @Test("reports the line and column of an error on a later line")
    func multiLinePosition() throws {
        let error = try #require(parseError("SELECT *\nFROM 'a'\nWHERE x = = 1"))
        #expect(error.line == 3)
        #expect(error.column == 11)
        #expect(error.offset == 28)
        #expect(error.description == "Line 3:11: Expected an expression, found '='")
    }

    @Test("counts columns in characters, not bytes")
    func columnsInCharacters() throws {
        let error = try #require(parseError("SELECT 'é€' AS x FROM 'a' oops"))
        #expect(error.column == 27)
    }

    @Test("the seed's rule parses and exposes its topic")
    func seedRule() throws {
        let statement = try SQLStatement("SELECT * FROM 'test-iot-topic-1'")
        #expect(statement.topicFilter == "test-iot-topic-1")
        #expect(statement.version == .v2015_10_08)
        #expect(statement.sql == "SELECT * FROM 'test-iot-topic-1'")
        #expect(statement.matchesTopic("test-iot-topic-1"))
        #expect(!statement.matchesTopic("test-iot-topic-2"))
    }

    @Test(
        "accepts valid statements",
        arguments: [
            ("select * from 'a/b'", "a/b"),
            ("SeLeCt color AS c FrOm 'a/+/c' wHeRe temperature > 50", "a/+/c"),
            ("SELECT * FROM '#'", "#"),
            ("SELECT * FROM '+'", "+"),
            ("SELECT * FROM '$aws/things/+/shadow/update/accepted'", "$aws/things/+/shadow/update/accepted"),
            (
                "SELECT *, topic(2) AS device FROM 'sensors/+/data' WHERE temp > 30 AND NOT isNull(temp)",
                "sensors/+/data"
            ),
            ("SELECT\n  a.b.c AS x,\n  d[0] AS y\nFROM 'a'\nWHERE e <> 'f'", "a"),
            ("SELECT value FROM 'a'", "a"),
            ("SELECT VALUE value FROM 'a'", "a"),
            ("SELECT foo.bar AS bar.baz FROM 'a/b'", "a/b"),
            ("SELECT CASE WHEN a > 1 THEN 'big' ELSE 'small' END AS size FROM 'a'", "a"),
            ("SELECT 'it''s' AS a, \"say \\\"hi\\\"\" AS b FROM 'a'", "a"),
            ("SELECT state.* FROM 'a'", "a"),
            ("SELECT * AS payload, topic() AS topic FROM 'spBv1.0/group/+/#'", "spBv1.0/group/+/#"),
            ("SELECT get(get(get(mydata,\"item2\"),\"0\"),\"my-key\") AS k FROM 'iot/rules'", "iot/rules"),
            ("SELECT * FROM 'a' WHERE x IN [1, 2, 3] AND y NOT IN ['a']", "a"),
        ])
    func acceptsValid(sql: String, topic: String) throws {
        let statement = try SQLStatement(sql, version: .v2016_03_23)
        #expect(statement.topicFilter == topic)
    }

    @Test("topic matching follows MQTT filter rules")
    func topicMatching() throws {
        let plus = try SQLStatement("SELECT * FROM 'a/+'")
        #expect(plus.matchesTopic("a/b"))
        #expect(!plus.matchesTopic("a/e/f"))
        #expect(!plus.matchesTopic("b/x"))
        let hash = try SQLStatement("SELECT * FROM 'a/#'")
        #expect(hash.matchesTopic("a/b"))
        #expect(hash.matchesTopic("a/e/f"))
        #expect(hash.matchesTopic("a"))
        #expect(!hash.matchesTopic("b/x"))
    }

    @Test("function names are case-insensitive and V2 functions need 2016-03-23")
    func functionNames() throws {
        #expect(parseError("SELECT Round(1.5) AS r, ISNULL(x) AS n, Ltrim(' a') AS l FROM 'a'") == nil)
        #expect(
            parseError("SELECT length('abc') AS n FROM 'a'", version: .v2015_10_08)?.message
                == "Function length requires SQL version 2016-03-23 (awsIotSqlVersion is 2015-10-08)")
        #expect(parseError("SELECT abs(-1) AS n FROM 'a'", version: .v2015_10_08) == nil)
        #expect(parseError("SELECT md2('a') AS n FROM 'a'")?.message == "Function md2 is not supported by Thingport")
    }

    @Test("every SQL version parses the basic statement")
    func versions() throws {
        for version in SQLVersion.allCases {
            let statement = try SQLStatement("SELECT * FROM 'a/b' WHERE x > 1", version: version)
            #expect(statement.version == version)
        }
        #expect(SQLVersion(rawValue: "2016-03-23") == .v2016_03_23)
        #expect(SQLVersion(rawValue: "2015-10-08") == .v2015_10_08)
        #expect(SQLVersion(rawValue: "beta") == .beta)
        #expect(SQLVersion(rawValue: "2017-01-01") == nil)
    }
}
