import RulesEngine
import Testing

@Suite("Evaluating statements: SELECT, WHERE, payloads and output bytes")
struct SQLEvaluationTests {
    static let colorPayload = #"{"color":"red", "temperature":50}"#

    @Test("the seed's rule passes a JSON payload through, re-serialised compactly in key order")
    func seedRule() throws {
        let payload = #"{ "message" : "Hello from device", "sequence": 7, "nested": {"z": 1, "a": [true, null]} }"#
        let statement = try SQLStatement("SELECT * FROM 'test-iot-topic-1'")
        let result = try statement.evaluate(
            payload: Array(payload.utf8), context: SQLContext(topic: "test-iot-topic-1"))
        #expect(result.isMatched)
        #expect(
            result.payload
                == Array(#"{"message":"Hello from device","sequence":7,"nested":{"z":1,"a":[true,null]}}"#.utf8))
    }

    struct Example: Sendable, CustomTestStringConvertible {
        let sql: String
        let payload: String
        let expected: String
        var version: SQLVersion = .v2016_03_23
        var testDescription: String { sql }
    }

    /// The examples of the AWS IoT SQL reference, with their documented outputs.
    static let documented: [Example] = [
        .init(sql: "SELECT color FROM 'a/b'", payload: colorPayload, expected: #"{"color":"red"}"#),
        .init(sql: "SELECT color AS my_color FROM 'a/b'", payload: colorPayload, expected: #"{"my_color":"red"}"#),
        .init(
            sql: "SELECT color as my_color, temperature as fahrenheit FROM 'a/b'", payload: colorPayload,
            expected: #"{"my_color":"red","fahrenheit":50}"#),
        .init(
            sql: "SELECT *, 15 as speed FROM 'a/b'", payload: colorPayload,
            expected: #"{"color":"red","temperature":50,"speed":15}"#),
        .init(sql: "SELECT VALUE color FROM 'a/b'", payload: colorPayload, expected: #""red""#),
        .init(
            sql: "SELECT color.red as red_value FROM 'a/b'",
            payload: #"{"color":{"red":255,"green":0,"blue":0}, "temperature":50}"#, expected: #"{"red_value":255}"#),
        .init(
            sql: "SELECT (temperature - 32) * 5 / 9 AS celsius, upper(color) as my_color FROM 'a/b'",
            payload: colorPayload, expected: #"{"celsius":10,"my_color":"RED"}"#),
        .init(
            sql: "SELECT VALUE arr FROM 'topic'", payload: #"{"a": {"b":"c"}, "arr":[1,2,3,4]}"#, expected: "[1,2,3,4]"),
        .init(
            sql: "SELECT {'latitude': get(lat_long, 0),'longitude':get(lat_long, 1)} as lat_long FROM 'topic/subtopic'",
            payload: #"{"lat_long": [47.606,-122.332]}"#,
            expected: #"{"lat_long":{"latitude":47.606,"longitude":-122.332}}"#),
        .init(
            sql: "SELECT [lat,long] as lat_long FROM 'topic/subtopic'", payload: #"{"lat": 47.696, "long": -122.332}"#,
            expected: #"{"lat_long":[47.696,-122.332]}"#),
        .init(
            sql:
                "SELECT CASE color WHEN 'green' THEN 'go' WHEN 'yellow' THEN 'caution' WHEN 'red' THEN 'stop' ELSE 'you are not at a stop light' END as instructions FROM 'a/b'",
            payload: #"{"color":"yellow"}"#, expected: #"{"instructions":"caution"}"#),
        .init(
            sql: "SELECT temp, md5(deviceid) AS hashed_id FROM 'topic/#'",
            payload: #"{"deviceid" : "iot123", "temp" : 54.98, "humidity" : 32.43}"#,
            expected: #"{"temp":54.98,"hashed_id":"e37f81fb397e595c4aeb5645b8cbbbd1"}"#),
        .init(
            sql: "SELECT decode(encoded_temp,\"base64\").temperature AS temp from 'topic/subtopic'",
            payload: #"{"encoded_temp": "eyAidGVtcGVyYXR1cmUiOiAzMyB9Cg=="}"#, expected: #"{"temp":33}"#),
        .init(
            sql: "SELECT (SELECT VALUE n FROM e) as sensors FROM 'my/topic'", payload: sensorPayload,
            expected: #"{"sensors":["temperature","light","acidity"]}"#),
        .init(
            sql: "SELECT (SELECT v FROM e WHERE n = 'temperature') as temperature FROM 'my/topic'",
            payload: sensorPayload, expected: #"{"temperature":[{"v":22.5}]}"#),
        .init(
            sql: "SELECT get((SELECT v FROM e WHERE n = 'temperature'), 0).v as temperature FROM 'topic'",
            payload: sensorPayload, expected: #"{"temperature":22.5}"#),
        .init(
            sql: "select value transform(\"enrichArray\", attributes, values) from 'A/B'", payload: transformPayload,
            expected: #"[{"a":3,"data1":1,"data2":2},{"b":4,"data1":1,"data2":2},{"c":5,"data1":1,"data2":2}]"#),
        .init(
            sql: "select value transform(\"enrichArray\", {\"key\": attributes.data1}, values) from 'A/B'",
            payload: transformPayload, expected: #"[{"a":3,"key":1},{"b":4,"key":1},{"c":5,"key":1}]"#),
        .init(
            sql:
                "select value transform('enrichArray', (select a, b from data2), (select value c from data2)) from 'A/B'",
            payload:
                #"{"data1":"example","data2":{"a":"first attribute","b":"second attribute","c":[{"x":{"someInt":5,"someString":"hello"},"y":true},{"x":{"someInt":10,"someString":"world"},"y":false}]}}"#,
            expected:
                #"[{"x":{"someInt":5,"someString":"hello"},"y":true,"a":"first attribute","b":"second attribute"},{"x":{"someInt":10,"someString":"world"},"y":false,"a":"first attribute","b":"second attribute"}]"#
        ),
        .init(
            sql: "SELECT * from 'iot/rules' WHERE get(get(get(mydata,\"item2\"),\"0\"),\"my-key\") = \"myValue\"",
            payload: #"{"mydata":{"item2":{"0":{"my-key":"myValue"}}}}"#,
            expected: #"{"mydata":{"item2":{"0":{"my-key":"myValue"}}}}"#),
        .init(
            sql:
                "SELECT decode(encode(*, 'base64'), 'base64') AS value FROM 'topic/subtopic' WHERE decode(encode(*, 'base64'), 'base64') > 50",
            payload: "80", expected: #"{"value":80}"#),
    ]

    static let sensorPayload = #"""
        { "e": [
            { "n": "temperature", "u": "Cel", "t": 1234, "v": 22.5 },
            { "n": "light", "u": "lm", "t": 1235, "v": 135 },
            { "n": "acidity", "u": "pH", "t": 1235, "v": 7 } ] }
        """#

    static let transformPayload =
        #"{"attributes": {"data1": 1, "data2": 2}, "values": [{"a": 3}, {"b": 4}, {"c": 5}]}"#

    @Test("the documented examples give the documented output", arguments: documented)
    func documentedExamples(_ example: Example) throws {
        #expect(try output(example.sql, payload: example.payload, version: example.version) == example.expected)
    }

    @Test("a WHERE that is false does not match")
    func whereFalse() throws {
        let sql = "SELECT color AS my_color FROM 'a/b' WHERE temperature > 50 AND color <> 'red'"
        #expect(try run(sql, payload: #"{"color":"red", "temperature":40}"#) == .notMatched)
        #expect(try run(sql, payload: #"{"color":"blue", "temperature":60}"#) == .matched(["my_color": "blue"]))
    }

    @Test(
        "a WHERE matches only on true (or the string true)",
        arguments: [
            ("true", true), ("'true'", true), ("'TRUE'", true), ("false", false), ("'yes'", false), ("1", false),
            ("null", false), ("missing", false), ("missing = 1", false), ("NOT (missing = 1)", false),
            ("temperature > 'abc'", false), ("temperature > '40'", true), ("isUndefined(missing)", true),
        ])
    func whereTruth(condition: String, matches: Bool) throws {
        let result = try run("SELECT * FROM 'a/b' WHERE \(condition)", payload: Self.colorPayload)
        #expect(result.isMatched == matches)
        #expect((result.output != nil) == matches)
    }

    @Test("unaliased items take the last path name, the function name, or _N")
    func defaultNames() throws {
        let payload = #"{"a":{"b":1},"c":[10,20],"x":"hi"}"#
        #expect(
            try output("SELECT a.b, c[1], topic(), upper(x), 1 + 2, cast(x AS String) FROM 'a/b'", payload: payload)
                == #"{"b":1,"c":20,"topic":"things/myThings/thingOne","upper":"HI","_5":3,"cast":"hi"}"#)
    }

    @Test("undefined values are left out of the output; null values are kept")
    func undefinedAndNull() throws {
        #expect(try output("SELECT missing, color FROM 'a/b'", payload: Self.colorPayload) == #"{"color":"red"}"#)
        #expect(try output("SELECT missing FROM 'a/b'", payload: Self.colorPayload) == "{}")
        #expect(try output("SELECT NULL AS n FROM 'a/b'") == #"{"n":null}"#)
        #expect(try output("SELECT foo, bar FROM 'a/b'", payload: #"{"foo": null}"#) == #"{"foo":null}"#)
        #expect(try output("SELECT [1, missing, 2] AS a FROM 'a/b'") == #"{"a":[1,2]}"#)
        #expect(try output("SELECT {'x': missing, 'y': 1} AS o FROM 'a/b'") == #"{"o":{"y":1}}"#)
        let undefinedValue = try run("SELECT VALUE missing FROM 'a/b'")
        #expect(undefinedValue == .matched(.undefined))
        #expect(undefinedValue.payload == [])
    }

    @Test("nested paths and array indexes")
    func paths() throws {
        let payload = #"{"a":{"b":{"c":"deep"}},"list":[{"id":1},{"id":2,"tags":["x","y"]}],"n":5}"#
        #expect(try value("a.b.c", payload: payload) == "deep")
        #expect(try value("list[1].id", payload: payload) == 2)
        #expect(try value("list[1].tags[0]", payload: payload) == "x")
        #expect(try value("list[0+1].tags[2-1]", payload: payload) == "y")
        #expect(try value("list[2]", payload: payload) == .undefined)
        #expect(try value("list[-1]", payload: payload) == .undefined)
        #expect(try value("list['1'].id", payload: payload) == 2)
        #expect(try value("n.x", payload: payload) == .undefined)
        #expect(try value("n[0]", payload: payload) == .undefined)
        #expect(try value("a.missing.c", payload: payload) == .undefined)
        #expect(try value("A.b", payload: payload) == .undefined)  // keys are case-sensitive
    }

    @Test("* AS name nests the payload; path.* merges an inner object; later items replace keys in place")
    func stars() throws {
        #expect(
            try output("SELECT * AS payload, topic() AS topic FROM 'a/#'", payload: #"{"x":1}"#)
                == #"{"payload":{"x":1},"topic":"things/myThings/thingOne"}"#)
        #expect(
            try output("SELECT state.*, version FROM 'a'", payload: #"{"state":{"on":true,"level":3},"version":9}"#)
                == #"{"on":true,"level":3,"version":9}"#)
        #expect(
            try output("SELECT *, 99 AS temperature, 'x' AS extra FROM 'a'", payload: Self.colorPayload)
                == #"{"color":"red","temperature":99,"extra":"x"}"#)
        #expect(try output("SELECT 1 AS a, * FROM 'a'", payload: #"{"a":2,"b":3}"#) == #"{"a":2,"b":3}"#)
        #expect(
            try output("SELECT foo.bar AS bar.baz FROM 'a'", payload: #"{"foo":{"bar":"RED"}}"#)
                == #"{"bar.baz":"RED"}"#)
    }

    @Test("SELECT VALUE outputs any value")
    func selectValue() throws {
        let payload = #"{"o":{"k":[1,"two",{"three":3.5}]},"s":"text","n":-12,"b":false}"#
        #expect(try output("SELECT VALUE o FROM 'a'", payload: payload) == #"{"k":[1,"two",{"three":3.5}]}"#)
        #expect(try output("SELECT VALUE s FROM 'a'", payload: payload) == #""text""#)
        #expect(try output("SELECT VALUE n FROM 'a'", payload: payload) == "-12")
        #expect(try output("SELECT VALUE b FROM 'a'", payload: payload) == "false")
        #expect(try output("SELECT VALUE [n, s] FROM 'a'", payload: payload) == #"[-12,"text"]"#)
        #expect(try output("SELECT value[1] FROM 'a'", payload: #"{"value":[5,6]}"#) == #"{"value":6}"#)
        #expect(
            try output("SELECT value, value.x AS x FROM 'a'", payload: #"{"value":{"x":1}}"#)
                == #"{"value":{"x":1},"x":1}"#)
        #expect(parseError("SELECT VALUE * FROM 'a'") != nil)
    }

    @Test("payloads that are not JSON pass through SELECT * as raw bytes")
    func binaryPayloads() throws {
        let bytes: [UInt8] = [0x00, 0x01, 0x02, 0xFF, 0xFE]
        let context = SQLContext(topic: "a/b", timestamp: 1_700_000_000_000)
        let all = try SQLStatement("SELECT * FROM 'a/b'", version: .v2016_03_23)
        #expect(try all.evaluate(payload: bytes, context: context) == .matched(.binary(bytes)))
        #expect(try all.evaluate(payload: bytes, context: context).payload == bytes)
        let text = Array("not json at all".utf8)
        #expect(try all.evaluate(payload: text, context: context).payload == text)
        #expect(try all.evaluate(payload: [], context: context).payload == [])

        let encoded = try SQLStatement(
            "SELECT encode(*, 'base64') AS data, timestamp() AS ts FROM 'a/b'", version: .v2016_03_23)
        #expect(
            try encoded.evaluate(payload: bytes, context: context).payload
                == Array(#"{"data":"AAEC//4=","ts":1700000000000}"#.utf8))

        let filtered = try SQLStatement("SELECT * FROM 'a/b' WHERE timestamp() % 12 = 8", version: .v2016_03_23)
        #expect(try filtered.evaluate(payload: bytes, context: context).payload == bytes)

        let byField = try SQLStatement("SELECT * FROM 'a/b' WHERE device_type = 'thermostat'", version: .v2016_03_23)
        #expect(try byField.evaluate(payload: bytes, context: context) == .notMatched)

        let field = try SQLStatement("SELECT device_type FROM 'a/b'", version: .v2016_03_23)
        #expect(try field.evaluate(payload: bytes, context: context) == .matched(.object(SQLObject())))

        let mixed = try SQLStatement("SELECT *, timestamp() AS timestamp FROM 'a/b'", version: .v2016_03_23)
        #expect(throws: SQLEvaluationError.self) { try mixed.evaluate(payload: bytes, context: context) }
        #expect(throws: SQLEvaluationError.self) { try mixed.evaluate(payload: Array("[1,2]".utf8), context: context) }

        let nested = try SQLStatement("SELECT * AS raw FROM 'a/b'", version: .v2016_03_23)
        #expect(try nested.evaluate(payload: bytes, context: context).payload == Array(#"{"raw":"AAEC//4="}"#.utf8))
    }

    @Test("encode(*) encodes the payload as published, not as re-serialised")
    func encodeRawJSON() throws {
        #expect(try value("encode(*, 'base64')", payload: #"{"temperature": 33}"#) == "eyJ0ZW1wZXJhdHVyZSI6IDMzfQ==")
        #expect(try value("encode(temperature, 'base64')", payload: #"{"temperature": 33}"#) == "MzM=")
    }

    @Test("JSON payloads that are not objects")
    func scalarPayloads() throws {
        #expect(try output("SELECT * FROM 'a'", payload: "[1, 2]") == "[1,2]")
        #expect(try output("SELECT * FROM 'a'", payload: " 42 ") == "42")
        #expect(try output("SELECT * FROM 'a'", payload: #""hi""#) == #""hi""#)
        #expect(try output("SELECT x FROM 'a'", payload: "[1, 2]") == "{}")
        #expect(try output("SELECT VALUE get(*, 1) FROM 'a'", payload: "[1, 2]") == "2")
    }

    @Test("a statement that does not read the payload never parses it")
    func payloadNotRead() throws {
        let statement = try SQLStatement("SELECT topic(2) AS device, clientid() AS c FROM 'a/#'", version: .v2016_03_23)
        let result = try statement.evaluate(payload: Array("{broken".utf8), context: testContext)
        #expect(result == .matched(["device": "myThings", "c": "device-1"]))
    }

    @Test("2016-03-23 processes whole numbers as Int; 2015-10-08 keeps Decimal")
    func wholeNumbers() throws {
        let payload = #"{"a": 10.0, "b": 2.5, "c": 1e2, "d": 7}"#
        #expect(
            try output("SELECT * FROM 'a'", payload: payload, version: .v2016_03_23)
                == #"{"a":10,"b":2.5,"c":100,"d":7}"#)
        #expect(try output("SELECT * FROM 'a'", payload: payload, version: .beta) == #"{"a":10,"b":2.5,"c":100,"d":7}"#)
        #expect(
            try output("SELECT * FROM 'a'", payload: payload, version: .v2015_10_08)
                == #"{"a":10.0,"b":2.5,"c":100.0,"d":7}"#)
        #expect(try output("SELECT b * 2 AS x FROM 'a'", payload: payload, version: .v2016_03_23) == #"{"x":5}"#)
        #expect(try output("SELECT b * 2 AS x FROM 'a'", payload: payload, version: .v2015_10_08) == #"{"x":5.0}"#)
        #expect(try output("SELECT 4 / 2.0 AS x FROM 'a'", version: .v2015_10_08) == #"{"x":2.0}"#)
        #expect(try output("SELECT 5 / 2.0 AS x FROM 'a'", version: .v2015_10_08) == #"{"x":2.5}"#)
        #expect(try output("SELECT sql_version() AS v FROM 'a'", version: .v2015_10_08) == #"{"v":"2015-10-08"}"#)
    }

    @Test("output JSON escapes strings and formats numbers byte for byte")
    func byteExactOutput() throws {
        let payload =
            #"{"s":"quote \" backslash \\ newline \n tab \t bell \u0007 é € 😀","big":12345678901234567890,"small":1.5e-7,"neg":-0.25}"#
        #expect(
            try output("SELECT * FROM 'a'", payload: payload)
                == #"{"s":"quote \" backslash \\ newline \n tab \t bell \u0007 é € 😀","big":1.2345678901234567E+19,"small":1.5E-7,"neg":-0.25}"#
        )
    }

    @Test("nested queries over objects, missing sources and filters")
    func nestedQueries() throws {
        let payload = #"{"data":{"a":1,"b":2},"list":[{"v":1},{"v":2},{"v":3},"scalar"]}"#
        #expect(try value("(SELECT a FROM data)", payload: payload) == ["a": 1])
        #expect(try value("(SELECT VALUE v FROM list WHERE v >= 2)", payload: payload) == [2, 3])
        #expect(try value("(SELECT * FROM list WHERE v = 1)", payload: payload) == [["v": 1]])
        #expect(try value("(SELECT a FROM missing)", payload: payload) == .undefined)
        #expect(try value("(SELECT a FROM data WHERE a = 2)", payload: payload) == .undefined)
        #expect(try value("(SELECT VALUE v * 10 FROM list)", payload: payload) == [10, 20, 30])
    }

    @Test("the context functions")
    func contextFunctions() throws {
        let bare = SQLContext(topic: "x/y", timestamp: 5)
        #expect(try value("clientid()", context: bare) == "n/a")
        #expect(try value("principal()", context: bare) == .undefined)
        #expect(try value("traceid()", context: bare) == .undefined)
        #expect(try value("accountid()", context: bare) == "000000000000")
        #expect(try value("timestamp()", context: bare) == 5)
        #expect(try value("clientid()") == "device-1")
        #expect(try value("principal()") == "abc123principal")
        #expect(try value("traceid()") == "12345678-1234-1234-1234-123456789012")
        let now = SQLContext(topic: "t")
        #expect(now.timestamp > 1_700_000_000_000)
    }

    @Test("one compiled statement serves many concurrent evaluations")
    func concurrentEvaluation() async throws {
        let statement = try SQLStatement(
            "SELECT id, regexp_replace(name, '[aeiou]', '_') AS masked FROM 'dev/+' WHERE regexp_matches(name, '^d')",
            version: .v2016_03_23)
        let mismatches = await withTaskGroup(of: Int.self) { group in
            for worker in 0..<8 {
                group.addTask {
                    var failures = 0
                    for index in 0..<200 {
                        let id = worker * 1000 + index
                        let name = index.isMultiple(of: 2) ? "device\(id)" : "sensor\(id)"
                        let payload = Array(#"{"id":\#(id),"name":"\#(name)"}"#.utf8)
                        let result = try? statement.evaluate(payload: payload, context: SQLContext(topic: "dev/x"))
                        let expected: SQLResult =
                            index.isMultiple(of: 2)
                            ? .matched(["id": .int(Int64(id)), "masked": .string("d_v_c_\(id)")]) : .notMatched
                        if result != expected { failures += 1 }
                    }
                    return failures
                }
            }
            return await group.reduce(0, +)
        }
        #expect(mismatches == 0)
    }
}
