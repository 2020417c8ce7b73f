import Foundation
import RulesEngine
import Testing

@Suite("Built-in functions")
struct SQLFunctionTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let expression: String
        let expected: SQLValue
        let version: SQLVersion
        var testDescription: String { "\(expression) → \(expected.jsonString)" }

        init(_ expression: String, _ expected: SQLValue, version: SQLVersion = .v2016_03_23) {
            self.expression = expression
            self.expected = expected
            self.version = version
        }
    }

    static let payload =
        #"{"word": "Hello", "num": 42, "dec": 2.5, "list": [1, 2, 3], "obj": {"a": "b"}, "nothing": null, "pattern": "l+"}"#

    static let numeric: [Case] = [
        .init("abs(-5)", 5), .init("abs(5)", 5), .init("abs(-5.5)", 5.5), .init("abs('-5.123')", 5.123),
        .init("abs(true)", .undefined), .init("abs(nothing)", .undefined), .init("abs('x')", .undefined),
        .init("abs(missing)", .undefined), .init("abs(-1, 2)", .undefined),
        .init("acos(0)", 1.5707963267948966), .init("acos(2)", .undefined), .init("asin(1)", 1.5707963267948966),
        .init("asin(0)", 0), .init("asin(0)", .decimal(0), version: .v2015_10_08), .init("atan(0)", 0),
        .init("atan2(1, 0)", 1.5707963267948966), .init("atan2('x', 0)", .undefined),
        .init("cos(0)", 1), .init("cosh(2.3)", 5.037220649268761), .init("sin(0)", 0),
        .init("sinh(2.3)", 4.936961805545957), .init("tan(3)", -0.1425465430742778),
        .init("tanh(2.3)", 0.9800963962661914), .init("exp(1)", 2.718281828459045), .init("exp(0)", 1),
        .init("exp(100000)", .undefined), .init("ln(1)", 0), .init("ln(0)", .undefined), .init("log(100)", 2),
        .init("log(100)", .decimal(2), version: .v2015_10_08), .init("log(-1)", .undefined),
        .init("sqrt(9)", 3), .init("sqrt(9)", .decimal(3), version: .v2015_10_08), .init("sqrt(2)", 1.4142135623730951),
        .init("sqrt(-1)", .undefined), .init("sqrt('16')", 4), .init("sqrt(list)", .undefined),
        .init("power(2, 5)", 32), .init("power(2, 5)", .decimal(32), version: .v2015_10_08),
        .init("power('2', 0.5)", 1.4142135623730951), .init("power(2, 'x')", .undefined),
        .init("ceil(1.2)", 2), .init("ceil(-1.2)", -1), .init("ceil(5)", 5), .init("ceil('1.5')", 2),
        .init("ceil('x')", .undefined), .init("floor(1.2)", 1), .init("floor(-1.2)", -2),
        .init("floor(list)", .undefined),
        .init("round(1.2)", 1), .init("round(1.5)", 2), .init("round(1.7)", 2), .init("round(-1.1)", -1),
        .init("round(-1.5)", -2), .init("round(7)", 7), .init("round('2.5')", 3), .init("Round(dec)", 3),
        .init("ceil(1e30)", .decimal(1e30)),
        .init("sign(-7)", -1), .init("sign(0)", 0), .init("sign(13)", 1), .init("sign(-0.5)", -1),
        .init("sign('3')", 1),
        .init("sign(true)", .undefined),
        .init("mod(8, 3)", 2), .init("mod(-8, 3)", -2), .init("mod(8.5, 3)", 2.5), .init("mod('8', 3)", 2),
        .init("mod(8, 0)", .undefined), .init("remainder(8, 3)", 2), .init("remainder(list, 3)", .undefined),
        .init("trunc(2.3, 0)", 2), .init("trunc(2.3123, 2)", 2.31), .init("trunc(2.888, 2)", 2.88),
        .init("trunc(2.00, 5)", 2), .init("trunc(0.29, 2)", 0.29), .init("trunc(-2.888, 1)", -2.8),
        .init("trunc(5, 2)", 5), .init("trunc('2.555', 1)", 2.5), .init("trunc(2.555, -3)", 2),
        .init("trunc(2.5, 'x')", .undefined), .init("trunc(1.25e-10, 40)", 1.25e-10),
        .init("bitand(13, 5)", 5), .init("bitor(8, 5)", 13), .init("bitxor(13, 5)", 8), .init("bitnot(13)", -14),
        .init("bitand(13.7, '5')", 5), .init("bitor('8', 5.9)", 13), .init("bitand(true, 1)", .undefined),
        .init("bitnot('x')", .undefined),
        .init("nanvl(8, 3)", 8), .init("nanvl(missing, 3)", 3), .init("nanvl(nothing, 3)", 3),
        .init("nanvl('a', 3)", "a"),
    ]

    static let strings: [Case] = [
        .init("chr(65)", "A"), .init("chr(49)", "1"), .init("chr('65')", "A"), .init("chr(65.9)", "A"),
        .init("chr(200)", .undefined), .init("chr(-1)", .undefined), .init("chr(word)", .undefined),
        .init("concat()", .undefined), .init("concat(1)", "1"), .init("concat([1, 2, 3], 4)", [1, 2, 3, 4]),
        .init("concat([1, 2, 3], 'hello')", [1, 2, 3, "hello"]), .init("concat('con', 'cat')", "concat"),
        .init("concat(1, 'hello')", "1hello"), .init("concat('he', 'is', 'man')", "heisman"),
        .init("concat([1, 2, 3], 'hello', [4, 5, 6])", [1, 2, 3, "hello", 4, 5, 6]), .init("concat(1, 2)", .undefined),
        .init("concat('a', nothing)", .undefined), .init("concat(list)", [1, 2, 3]), .init("concat('n=', num)", "n=42"),
        .init("endswith('cat', 'at')", true), .init("endswith('cat', 'ca')", false), .init("endswith(123, 3)", true),
        .init("endswith(nothing, 'a')", .undefined), .init("endswith('a', missing)", .undefined),
        .init("startswith('ranger', 'ran')", true), .init("startswith('ranger', 'ger')", false),
        .init("startswith(word, 'He')", true), .init("startswith(missing, 'a')", .undefined),
        .init("indexof('abcd', 'bc')", 1), .init("indexof('abcd', 'x')", -1), .init("indexof(12345, 34)", 2),
        .init("indexof('abc', '')", 0), .init("indexof('😀x', 'x')", 2), .init("indexof(nothing, 'a')", .undefined),
        .init("length('hi')", 2), .init("length(false)", 5), .init("length('€')", 1), .init("length('😀')", 2),
        .init("length(list)", 7), .init("length(nothing)", .undefined),
        .init("numbytes('hi')", 2), .init("numbytes('€')", 3), .init("numbytes(missing)", .undefined),
        .init("lower('HELLO')", "hello"), .init("lower(['HELLO'])", #"["hello"]"#), .init("upper('hello')", "HELLO"),
        .init("upper(['hello'])", #"["HELLO"]"#), .init("upper(nothing)", .undefined), .init("lower(1.5)", "1.5"),
        .init("lpad('hello', 2)", "  hello"), .init("lpad(1, 3)", "   1"), .init("lpad('a', -5)", "a"),
        .init("lpad('a', 1.9)", " a"), .init("lpad('a', 'x')", .undefined), .init("lpad(nothing, 1)", .undefined),
        .init("rpad('hello', 2)", "hello  "), .init("rpad(1, 3)", "1   "), .init("rpad('a', '2')", "a  "),
        .init("ltrim(' h i ')", "h i "), .init("rtrim(' h i ')", " h i"), .init("trim(' hi ')", "hi"),
        .init("trim('\\t x \\n')", "x"), .init("Ltrim(5)", "5"), .init("ltrim(nothing)", .undefined),
        .init("replace('abcd', 'bc', 'x')", "axd"), .init("replace('abcdabcd', 'b', 'x')", "axcdaxcd"),
        .init("replace(12321, 2, '')", "131"), .init("replace('abc', '', 'x')", "abc"),
        .init("replace(nothing, 'a', 'b')", .undefined),
        .init("substring('012345', 0)", "012345"), .init("substring('012345', 2)", "2345"),
        .init("substring('012345', 2.745)", "2345"), .init("substring(123, 2)", "3"),
        .init("substring('012345', -1)", "012345"), .init("substring(true, 1.2)", "rue"),
        .init("substring(false, -2.411E247)", "false"), .init("substring('012345', 1, 3)", "12"),
        .init("substring('012345', -50, 50)", "012345"), .init("substring('012345', 3, 1)", ""),
        .init("substring('012345', 9)", ""), .init("substring('012345', 'x')", .undefined),
        .init("get(['a', 'b', 'c'], 1)", "b"), .init("get({'a': 'b'}, 'a')", "b"), .init("get('abc', 1)", "b"),
        .init("get(list, 5)", .undefined), .init("get(list, '1')", 2), .init("get(list, 1.4)", 2),
        .init("get(obj, 1)", .undefined), .init("get(obj, 'a')", "b"), .init("get(5, 0)", .undefined),
        .init("get('abc', -1)", .undefined),
        .init("regexp_matches('aaaa', 'a{2,}')", true), .init("regexp_matches('aaaa', 'b')", false),
        .init("regexp_matches('a', '(')", .undefined), .init("regexp_matches(nothing, 'a')", .undefined),
        .init("regexp_matches(word, pattern)", true), .init("regexp_matches(word, '^h')", false),
        .init("regexp_matches(word, missing)", .undefined), .init("regexp_matches(12345, '3')", true),
        .init("regexp_replace('abcd', 'bc', 'x')", "axd"), .init("regexp_replace('abcd', 'b(.*)d', '$1')", "ac"),
        .init("regexp_replace(word, pattern, 'L')", "HeLo"), .init("regexp_replace('abc', '[', 'x')", .undefined),
        .init("regexp_substr('hihihello', 'hi')", "hi"), .init("regexp_substr('hihihello', '(hi)*')", "hihi"),
        .init("regexp_substr('abc', 'x')", .undefined), .init("regexp_substr(word, pattern)", "ll"),
    ]

    static let other: [Case] = [
        .init("encode('hello', 'base64')", "aGVsbG8="), .init("encode(num, 'base64')", "NDI="),
        .init("encode('a', 'BASE64')", "YQ=="), .init("encode(nothing, 'base64')", .undefined),
        .init("encode('a', word)", .undefined),
        .init("decode('eyJ0ZW1wZXJhdHVyZSI6IDMzfQ==', 'base64')", ["temperature": 33]),
        .init("decode('aGVsbG8=', 'base64')", "hello"), .init("decode('aGVsbG8', 'base64')", "hello"),
        .init("decode('!!!', 'base64')", .null), .init("decode(missing, 'base64')", .undefined),
        .init("decode(encode(list, 'base64'), 'base64')", [1, 2, 3]),
        .init("md5('hello')", "5d41402abc4b2a76b9719d911017c592"), .init("md5('')", "d41d8cd98f00b204e9800998ecf8427e"),
        .init("sha1('hello')", "aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d"),
        .init("sha224('hello')", "ea09ae9cc6768c50fcee903ed054556e5bfc8347907f12598aa24193"),
        .init("sha256('hello')", "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"),
        .init("sha256('')", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        .init(
            "sha384('hello')",
            "59e1748777448c69de6b800d7a33bbfb9ff1b463e44354c3553bcdb9c666fa90125a3c79f90397bdf5f6a13de828684f"),
        .init(
            "sha512('hello')",
            "9b71d224bd62f3785d96d46ad3ea3d73319bfbc2890caadae2dff72519673ca72323c3d99ba5c11d7c7acc6e14b8c5da0c4663475c2e5c3adef46f73bcdec043"
        ),
        .init(
            "sha512('')",
            "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e"
        ),
        .init("sha1('€uro')", "b513a36894c347a73a7ab40ef44093701bdea3cb"), .init("md5(nothing)", .undefined),
        .init("isNull(5)", false), .init("isNull(nothing)", true), .init("isNull(null)", true),
        .init("isNull(missing)", false), .init("isUndefined(5)", false), .init("isUndefined(floor([1,2,3]))", true),
        .init("isUndefined(missing)", true), .init("isUndefined(nothing)", false),
        .init("transform('other', obj, [obj])", .undefined), .init("transform('enrichArray', 1, [obj])", .undefined),
        .init("transform('enrichArray', {'x': 1}, [{'x': 0, 'y': 2}, 5])", [["x": 1, "y": 2]]),
        .init("topic()", "things/myThings/thingOne"), .init("topic(1)", "things"), .init("topic(3)", "thingOne"),
        .init("topic(4)", .undefined), .init("topic(0)", .undefined), .init("topic('2')", "myThings"),
        .init("topic(2.2)", "myThings"), .init("topic(word)", .undefined),
        .init("timestamp()", 1_481_825_251_155), .init("accountid()", "123456789012"),
        .init("sql_version()", "2016-03-23"), .init("sql_version()", "2015-10-08", version: .v2015_10_08),
        .init("sql_version()", "beta", version: .beta),
        .init("parse_time('yyyy-MM-dd HH:mm:ss.SSS', 1481825251155)", "2016-12-15 18:07:31.155"),
        .init("parse_time(\"yyyy.MM.dd G 'at' HH:mm:ss z\", 100000000, 'UTC')", "1970.01.02 AD at 03:46:40 UTC"),
        .init(
            "parse_time(\"yyyy.MM.dd G 'at' HH:mm:ss z\", 100000000, \"America/Belize\")",
            "1970.01.01 AD at 21:46:40 CST"),
        .init("parse_time('HH:mm z', 1500000000000, 'America/Los_Angeles')", "19:40 PDT"),
        .init("parse_time('yyyy', timestamp(), 'UTC')", "2016"),
        .init(
            "parse_time('EEEE, d MMMM yy hh:mm a Z', 1481825251155, '+05:30')",
            "Thursday, 15 December 16 11:37 PM +0530"),
        .init("parse_time('EEE MMM dd HH:mm ZZ D', 0, 'America/New_York')", "Wed Dec 31 19:00 -05:00 365"),
        .init("parse_time('''quoted'' yyyy', 0)", "quoted 1970"),
        .init("parse_time(\"''yyyy''\", 0)", "'1970'"), .init("parse_time('yyyy qq', 0)", .undefined),
        .init("parse_time('yyyy', 0, 'Not/AZone')", .undefined), .init("parse_time('yyyy', 'x')", .undefined),
        .init("parse_time('dd/MM/yyyy', -86400000)", "31/12/1969"),
        .init("time_to_epoch('2020-04-03 09:45:18 UTC+01:00', 'yyyy-MM-dd HH:mm:ss VV')", 1_585_903_518_000),
        .init("time_to_epoch('18 December 2015', 'dd MMMM yyyy')", 1_450_396_800_000),
        .init(
            "time_to_epoch('2007-12-03 10:15:30.592 America/Los_Angeles', 'yyyy-MM-dd HH:mm:ss.SSS z')",
            1_196_705_730_592),
        .init("time_to_epoch('20240229T120000Z', \"yyyyMMdd'T'HHmmssX\")", 1_709_208_000_000),
        .init("time_to_epoch('03/04/2021 01:02 PM', 'MM/dd/yyyy hh:mm a')", 1_614_862_920_000),
        .init("time_to_epoch('2021-13-01', 'yyyy-MM-dd')", .undefined),
        .init("time_to_epoch('2021-01-01 extra', 'yyyy-MM-dd')", .undefined),
    ]

    @Test("numeric functions", arguments: numeric)
    func numericFunctions(_ example: Case) throws {
        #expect(try value(example.expression, payload: Self.payload, version: example.version) == example.expected)
    }

    @Test("string functions", arguments: strings)
    func stringFunctions(_ example: Case) throws {
        #expect(try value(example.expression, payload: Self.payload, version: example.version) == example.expected)
    }

    @Test("encoding, hashing, type, context and time functions", arguments: other)
    func otherFunctions(_ example: Case) throws {
        #expect(try value(example.expression, payload: Self.payload, version: example.version) == example.expected)
    }

    @Test("lpad and rpad clamp the count to 1000")
    func padClamp() throws {
        guard case .string(let padded) = try value("lpad('a', 2000)") else {
            Issue.record("not a string")
            return
        }
        #expect(padded.count == 1001)
        #expect(padded.hasSuffix(" a"))
    }

    @Test("rand() is in [0, 1) and newuuid() is a fresh lowercase UUID")
    func randomFunctions() throws {
        for _ in 0..<20 {
            guard case .decimal(let number) = try value("rand()", version: .v2015_10_08) else {
                Issue.record("rand() is not a Decimal")
                return
            }
            #expect(number >= 0 && number < 1)
        }
        let first = try value("newuuid()")
        let second = try value("newuuid()")
        #expect(first != second)
        guard case .string(let uuid) = first else {
            Issue.record("newuuid() is not a string")
            return
        }
        #expect(uuid.count == 36)
        #expect(uuid == uuid.lowercased())
        #expect(UUID(uuidString: uuid) != nil)
    }

    @Test("a function given the wrong number of arguments is Undefined")
    func wrongArity() throws {
        #expect(try value("upper('a', 'b')") == .undefined)
        #expect(try value("topic(1, 2)") == .undefined)
        #expect(try value("substring('abc')") == .undefined)
        #expect(try value("timestamp(1)") == .undefined)
    }

    @Test("long inputs hash correctly across blocks")
    func longHashes() throws {
        let thousand = String(repeating: "a", count: 1000)
        #expect(
            try value("sha256('\(thousand)')") == "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
        #expect(
            try value("sha512('\(String(repeating: "a", count: 200))')")
                == "4b11459c33f52a22ee8236782714c150a3b2c60994e9acee17fe68947a3e6789f31e7668394592da7bef827cddca88c4e6f86e4df7ed1ae6cba71f3e98faee9f"
        )
        #expect(try value("md5('\(String(repeating: "a", count: 100))')") == "36a92cc94a9e0fa21f625f8bfb007adf")
    }

    @Test(
        "parse_time and time_to_epoch are inverses across eras, leap days and negative times",
        arguments: [
            Int64(0), -1, 951_782_400_000, 951_868_799_999, 1_709_164_800_000, 4_107_542_400_000, -2_208_988_800_000,
            -62_135_596_800_000, 253_402_300_799_999, 1_481_825_251_155,
        ])
    func timeRoundTrip(milliseconds: Int64) throws {
        let pattern = "yyyy-MM-dd'T'HH:mm:ss.SSS"
        let text = try value("parse_time(\"\(pattern)\", \(milliseconds))")
        guard case .string(let formatted) = text else {
            Issue.record("parse_time gave \(text)")
            return
        }
        #expect(try value("time_to_epoch('\(formatted)', \"\(pattern)\")") == .int(milliseconds))
    }
}
