import RulesEngine
import Testing

@Suite("Operators, CASE and cast")
struct SQLOperatorTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let expression: String
        let expected: SQLValue
        var version: SQLVersion = .v2016_03_23
        var testDescription: String { "\(expression) → \(expected.jsonString)" }

        init(_ expression: String, _ expected: SQLValue, version: SQLVersion = .v2016_03_23) {
            self.expression = expression
            self.expected = expected
            self.version = version
        }
    }

    /// The fields the expressions can read.
    static let payload =
        #"{"i": 5, "d": 2.5, "s": "text", "n": "10", "t": true, "z": null, "arr": [1, 2], "o": {"k": 1}}"#

    static let equality: [Case] = [
        .init("1 = 1", true), .init("1 = 2", false), .init("i = 5", true), .init("d = 2.5", true),
        .init("2 = 2.0", true), .init("2 = 2.0", true, version: .v2015_10_08), .init("d = 2", false),
        .init("'a' = 'a'", true), .init("'a' = 'A'", false), .init("s = 'text'", true),
        .init("'1' = 1", false), .init("n = 10", false), .init("t = true", true), .init("t = 'true'", false),
        .init("z = null", true), .init("z = 0", false), .init("null = ''", false),
        .init("arr = [1, 2]", true), .init("arr = [2, 1]", false), .init("arr = [1, 2, 3]", false),
        .init("o = {'k': 1}", true), .init("{'a': 1, 'b': [2]} = {'b': [2], 'a': 1}", true),
        .init("{'a': 1} = {'a': 2}", false), .init("{'a': 1} = {'a': 1, 'b': 2}", false), .init("o = arr", false),
        .init("missing = 1", .undefined), .init("1 = missing", .undefined), .init("missing = missing", .undefined),
        .init("1 <> 2", true), .init("1 <> 1", false), .init("1 != 2", true), .init("'a' <> 1", true),
        .init("z <> null", false), .init("arr <> [1, 2]", false), .init("missing <> 1", .undefined),
        .init("s != missing", .undefined),
    ]

    static let ordering: [Case] = [
        .init("2 > 1", true), .init("1 > 2", false), .init("1 >= 1", true), .init("1 < 1", false),
        .init("1 <= 1", true), .init("-1 < 0", true), .init("d > 2", true), .init("d < 2.6", true),
        .init("n > 9", true), .init("'10' > '9'", true), .init("'1e1' = 10", false), .init("'1e1' >= 10", true),
        .init("s > 1", .undefined), .init("t > false", .undefined), .init("z < 1", .undefined),
        .init("arr > 1", .undefined), .init("missing < 1", .undefined), .init("'-1.5' < '-1'", true),
        .init("'+1' > 0", .undefined), .init("'1.' > 0", .undefined), .init("' 1' > 0", .undefined),
        .init("9223372036854775807 > 9223372036854775806", true),
    ]

    static let arithmetic: [Case] = [
        .init("1 + 2", 3), .init("1 + 2.5", 3.5), .init("i + d", 7.5), .init("'a' + 1", "a1"), .init("1 + 'a'", "1a"),
        .init("'1' + 2", "12"), .init("s + t", "texttrue"), .init("'x' + arr", "x[1,2]"),
        .init("'x' + o", #"x{"k":1}"#),
        .init("'x' + 1.5", "x1.5"), .init("t + 1", .undefined), .init("z + 1", .undefined),
        .init("'a' + z", .undefined),
        .init("'a' + missing", .undefined), .init("arr + 1", .undefined),
        .init("5 - 3", 2), .init("3 - 5", -2), .init("n - 2", 8), .init("n - 2", .decimal(8), version: .v2015_10_08),
        .init("'2.5' - 1", 1.5), .init("s - 1", .undefined), .init("t - 1", .undefined),
        .init("3 * 4", 12), .init("d * 2", 5), .init("d * 2", .decimal(5), version: .v2015_10_08),
        .init("'3' * '4'", 12), .init("s * 2", .undefined),
        .init("7 / 2", 3), .init("-7 / 2", -3), .init("7.0 / 2", 3), .init("7.0 / 2", 3.5, version: .v2015_10_08),
        .init("7.5 / 2", 3.75),
        .init("1 / 0", .undefined), .init("1.5 / 0", .undefined), .init("'9' / '3'", 3),
        .init("7 % 3", 1), .init("-7 % 3", -1), .init("7 % -3", 1), .init("7.5 % 2", 1.5), .init("1 % 0", .undefined),
        .init("'7' % 4", 3), .init("s % 2", .undefined),
        .init("-i", -5), .init("-d", -2.5), .init("- -5", 5), .init("-'3'", -3), .init("-t", .undefined),
        .init("-missing", .undefined), .init("+5", 5),
        .init("9223372036854775807 + 1", .decimal(9_223_372_036_854_775_808)),
        .init("-9223372036854775807 - 10", .decimal(-9_223_372_036_854_775_808)),
        .init("4611686018427387904 * 4", .decimal(18_446_744_073_709_551_616)),
        .init("1 + 2 * 3", 7), .init("(1 + 2) * 3", 9), .init("10 - 2 - 3", 5), .init("100 / 10 / 2", 5),
        .init("2 * 3 % 4", 2), .init("-2 * 3", -6),
    ]

    static let logic: [Case] = [
        .init("true AND true", true), .init("true AND false", false), .init("'TRUE' AND 'false'", false),
        .init("t AND 'True'", true), .init("true AND 1", .undefined), .init("true AND missing", .undefined),
        .init("false AND missing", .undefined), .init("false OR true", true), .init("false OR false", false),
        .init("'x' OR true", .undefined), .init("z OR true", .undefined), .init("NOT true", false),
        .init("NOT 'False'", true), .init("NOT 1", .undefined), .init("NOT missing", .undefined),
        .init("NOT NOT t", true), .init("NOT 1 = 2", true), .init("true OR false AND false", true),
        .init("(true OR false) AND false", false), .init("1 < 2 AND 'a' = 'a'", true),
        .init("2 IN [1, 2, 3]", true), .init("4 IN [1, 2, 3]", false), .init("'a' IN ['a', 'b']", true),
        .init("i IN arr", false), .init("1 IN arr", true), .init("1.0 IN arr", true), .init("arr IN [[1, 2]]", true),
        .init("1 IN 1", .undefined), .init("missing IN [1]", .undefined), .init("2 NOT IN [1]", true),
        .init("1 NOT IN [1]", false),
    ]

    static let cases: [Case] = [
        .init("CASE 'red' WHEN 'green' THEN 'go' WHEN 'red' THEN 'stop' END", "stop"),
        .init("CASE 'blue' WHEN 'green' THEN 'go' END", .undefined),
        .init("CASE 'blue' WHEN 'green' THEN 'go' ELSE 'other' END", "other"),
        .init("CASE missing WHEN 'green' THEN 'go' ELSE 'other' END", .undefined),
        .init("CASE 1 WHEN 1.0 THEN 'one' END", "one"),
        .init("CASE 1 WHEN 1 THEN 'first' WHEN 1 THEN 'second' END", "first"),
        .init("CASE i WHEN missing THEN 'no' WHEN 5 THEN 'five' END", "five"),
        .init("CASE '5' WHEN 5 THEN 'number' ELSE 'string' END", "string"),
        .init("CASE WHEN 1 > 2 THEN 'a' WHEN 2 > 1 THEN 'b' ELSE 'c' END", "b"),
        .init("CASE WHEN missing THEN 'a' ELSE 'c' END", "c"),
        .init("CASE WHEN i > 3 THEN i * 2 END", 10),
        .init("case s when 'text' then upper(s) end", "TEXT"),
    ]

    static let casts: [Case] = [
        .init("cast(true as Int)", 1), .init("cast(false as Integer)", 0), .init("cast('3.7' as Int)", 3),
        .init("cast(3.7 as Int)", 3), .init("cast(-3.7 as Int)", -4), .init("cast('x' as Int)", .undefined),
        .init("cast(null as Int)", .undefined), .init("cast(1 as Bool)", true), .init("cast(0 as Boolean)", false),
        .init("cast(0.5 as Bool)", true), .init("cast('TRUE' as Boolean)", true),
        .init("cast('yes' as Bool)", .undefined),
        .init("cast(12 as String)", "12"), .init("cast(1.5 as varchar)", "1.5"), .init("cast(true as Text)", "true"),
        .init("cast([1, 'a', null] as String)", #"[1,"a",null]"#), .init("cast({'k': 'v'} as nvarchar)", #"{"k":"v"}"#),
        .init("cast(null as String)", .undefined), .init("cast(missing as String)", .undefined),
        .init("cast(1 as Double)", 1), .init("cast(1 as Double)", .decimal(1), version: .v2015_10_08),
        .init("cast('5e-1' as Decimal)", 0.5), .init("cast(true as Decimal)", 1), .init("cast(10.0 as Decimal)", 10),
        .init("cast('abc' as Decimal)", .undefined), .init("cast(arr as Decimal)", .undefined),
        .init("cast(d as Ntext)", "2.5"), .init("CAST(i AS STRING)", "5"),
    ]

    @Test("= and <> across types", arguments: equality)
    func equalityOperators(_ example: Case) throws {
        #expect(try value(example.expression, payload: Self.payload, version: example.version) == example.expected)
    }

    @Test("<, <=, >, >= convert to Decimal", arguments: ordering)
    func orderingOperators(_ example: Case) throws {
        #expect(try value(example.expression, payload: Self.payload, version: example.version) == example.expected)
    }

    @Test("+ - * / % and unary -", arguments: arithmetic)
    func arithmeticOperators(_ example: Case) throws {
        #expect(try value(example.expression, payload: Self.payload, version: example.version) == example.expected)
    }

    @Test("AND, OR, NOT, IN and precedence", arguments: logic)
    func logicOperators(_ example: Case) throws {
        #expect(try value(example.expression, payload: Self.payload, version: example.version) == example.expected)
    }

    @Test("CASE, simple and searched", arguments: cases)
    func caseExpressions(_ example: Case) throws {
        #expect(try value(example.expression, payload: Self.payload, version: example.version) == example.expected)
    }

    @Test("cast", arguments: casts)
    func castExpressions(_ example: Case) throws {
        #expect(try value(example.expression, payload: Self.payload, version: example.version) == example.expected)
    }
}
