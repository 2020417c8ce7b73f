import RulesEngine
import Testing

@Suite("JSON parsing and serialisation of SQL values")
struct SQLValueJSONTests {
    @Test(
        "parses well-formed JSON",
        arguments: [
            ("{}", SQLValue.object(SQLObject())), ("[]", []), ("null", .null), ("true", true), ("false", false),
            ("0", 0), ("-0", 0), ("42", 42), ("-17", -17), ("9223372036854775807", .int(.max)),
            ("-9223372036854775808", .int(.min)), ("9223372036854775808", .decimal(9_223_372_036_854_775_808)),
            ("2.5", 2.5), ("-0.125", -0.125), ("1E2", 100), ("1e-2", 0.01), ("1.5e+3", 1500),
            (#""plain""#, "plain"), (#""esc \" \\ \/ \b \f \n \r \t""#, "esc \" \\ / \u{8} \u{c} \n \r \t"),
            (#""\u00e9\u20ac\ud83d\ude00""#, "é€😀"), (#""raw é€😀""#, "raw é€😀"),
            (" \n\t {\"a\" : [1 , {\"b\":null}] } \r\n", ["a": [1, ["b": .null]]]),
            (#"{"a":1,"b":2,"a":3}"#, ["a": 3, "b": 2]),
        ] as [(String, SQLValue)])
    func parses(json: String, expected: SQLValue) throws {
        #expect(SQLValue.parseJSON(json) == expected)
    }

    @Test(
        "rejects what is not one JSON value",
        arguments: [
            "", " ", "{", "}", "[1,]", "[1 2]", "{\"a\" 1}", "{\"a\":}", "{a:1}", "{'a':1}", "01", "1.", ".5", "-",
            "+1",
            "1e", "1e+", "0x10", "NaN", "Infinity", "1e400", "tru", "nul", "\"unterminated", "\"bad \\x escape\"",
            "\"\\u12\"", "\"\\ud83d\"", "\"tab\there\"", "{} {}", "[1] x", "hello", "'single'",
        ])
    func rejects(json: String) {
        #expect(SQLValue.parseJSON(json) == nil)
    }

    @Test("rejects invalid UTF-8 in strings")
    func invalidUTF8() {
        let bytes: [UInt8] = [0x22, 0xC3, 0x28, 0x22]  // "\xC3(" — a truncated two-byte sequence
        #expect(bytes.withUnsafeBytes { SQLValue.parseJSON($0) } == nil)
        let escaped: [UInt8] = Array(#"{"k":"\n"#.utf8) + [0xFF] + Array(#""}"#.utf8)
        #expect(escaped.withUnsafeBytes { SQLValue.parseJSON($0) } == nil)
    }

    @Test("limits nesting depth instead of overflowing the stack")
    func depth() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(SQLValue.parseJSON(deep) == nil)
        let fine = String(repeating: "[", count: 500) + String(repeating: "]", count: 500)
        #expect(SQLValue.parseJSON(fine) != nil)
    }

    @Test("whole numbers become Int only when asked (SQL 2016-03-23)")
    func wholeNumbers() {
        #expect(SQLValue.parseJSON("10.0", wholeNumbersAsInt: true) == 10)
        #expect(SQLValue.parseJSON("10.0", wholeNumbersAsInt: false) == .decimal(10))
        #expect(SQLValue.parseJSON("1e19", wholeNumbersAsInt: true) == .decimal(1e19))
        #expect(SQLValue.parseJSON("-0.0", wholeNumbersAsInt: true) == 0)
        #expect(SQLValue.parseJSON("7", wholeNumbersAsInt: false) == 7)
    }

    @Test(
        "serialises compactly, byte for byte",
        arguments: [
            (SQLValue.object(SQLObject()), "{}"), ([], "[]"), (.null, "null"), (true, "true"), (-5, "-5"),
            (.decimal(10), "10.0"), (0.1, "0.1"), (-2.5, "-2.5"), (1e21, "1E+21"), (1.5e-7, "1.5E-7"),
            (123_456.789, "123456.789"), (.decimal(-0.0), "-0.0"), ("a\"b\\c", #""a\"b\\c""#),
            ("\u{1}\u{1f}\u{7f}", #""\u0001\u001f\#u{7f}""#),
            ("line\nfeed\r\ttab\u{8}\u{c}", #""line\nfeed\r\ttab\b\f""#),
            ("é€😀/", #""é€😀/""#), (["z": 1, "a": [true, .null, "s"]], #"{"z":1,"a":[true,null,"s"]}"#),
            (["k": .undefined, "j": 1], #"{"j":1}"#), ([1, .undefined, 2], "[1,2]"), (.undefined, ""),
            (["b": .binary([0xDE, 0xAD])], #"{"b":"3q0="}"#),
        ] as [(SQLValue, String)])
    func serialises(value: SQLValue, expected: String) {
        #expect(value.jsonString == expected)
    }

    @Test("a binary value serialises to its raw bytes on its own")
    func binaryAlone() {
        let bytes: [UInt8] = [0, 255, 10]
        #expect(SQLValue.binary(bytes).jsonBytes == bytes)
    }

    @Test("round trip keeps member order and values")
    func roundTrip() throws {
        let json = #"{"z":[1,2.5,"x",{"y":null}],"a":{"nested":{"deep":[[],{}]}},"m":-9223372036854775808,"u":"é\n"}"#
        let value = try #require(SQLValue.parseJSON(json))
        #expect(value.jsonString == json)
        #expect(SQLValue.parseJSON(value.jsonString) == value)
    }

    @Test("objects keep insertion order; setting a key replaces in place; Undefined removes")
    func objectSemantics() {
        var object = SQLObject()
        object["b"] = 1
        object["a"] = 2
        object["b"] = 3
        #expect(object.keys == ["b", "a"])
        #expect(object["b"] == 3)
        #expect(object["missing"] == .undefined)
        object["b"] = .undefined
        #expect(object.keys == ["a"])
        #expect(object.count == 1)
        let built = SQLObject([.init(key: "x", value: 1), .init(key: "y", value: 2), .init(key: "x", value: 3)])
        #expect(built.keys == ["x", "y"])
        #expect(built["x"] == 3)
        let value: SQLValue = ["list": [10, 20]]
        #expect(value["list"][1] == 20)
        #expect(value["list"][2] == .undefined)
        #expect(value["nope"]["deeper"] == .undefined)
        #expect(value.typeName == "Object")
        #expect(SQLValue.undefined.typeName == "Undefined")
    }

    @Test("wide objects stay correct past the index threshold")
    func wideObjects() throws {
        var object = SQLObject()
        for number in 0..<40 { object["k\(number)"] = .int(Int64(number)) }
        #expect(object.count == 40)
        #expect(object["k0"] == 0)
        #expect(object["k39"] == 39)
        object["k5"] = "five"
        #expect(object["k5"] == "five")
        #expect(object.keys[5] == "k5")
        object["k0"] = .undefined
        #expect(object["k0"] == .undefined)
        #expect(object["k1"] == 1)
        #expect(object["k39"] == 39)
        #expect(object.keys.first == "k1")
        object["k0"] = 100
        #expect(object.keys.last == "k0")
        for number in 1..<35 { object["k\(number)"] = .undefined }
        #expect(object.keys == ["k35", "k36", "k37", "k38", "k39", "k0"])
        #expect(object["k36"] == 36)
        var rebuilt = SQLObject()
        for key in object.keys { rebuilt[key] = object[key] }
        #expect(rebuilt == object)
        #expect(rebuilt.hashValue == object.hashValue)

        let json = "{" + (0..<100).map { #""f\#($0)":\#($0)"# }.joined(separator: ",") + "}"
        #expect(try output("SELECT f0, f50, f99, missing FROM 'a'", payload: json) == #"{"f0":0,"f50":50,"f99":99}"#)
        #expect(try output("SELECT * FROM 'a'", payload: json) == json)
    }
}
