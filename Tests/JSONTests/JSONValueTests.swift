import JSON
import Testing

@Suite("JSON values")
struct JSONValueTests {
    @Test("literals build the matching cases")
    func literals() {
        let value: JSONValue = ["s": "x", "i": 42, "d": 1.5, "b": true, "n": nil, "a": [1, "two"], "o": ["k": false]]
        #expect(
            value
                == .object([
                    .init(key: "s", value: .string("x")), .init(key: "i", value: .number("42")),
                    .init(key: "d", value: .number("1.5")), .init(key: "b", value: .bool(true)),
                    .init(key: "n", value: .null), .init(key: "a", value: .array([.number("1"), .string("two")])),
                    .init(key: "o", value: .object([.init(key: "k", value: .bool(false))])),
                ]))
    }

    @Test("initialisers build values from Swift values")
    func initialisers() {
        #expect(JSONValue("s") == .string("s"))
        #expect(JSONValue(true) == .bool(true))
        #expect(JSONValue(-7) == .number("-7"))
        #expect(JSONValue(UInt64.max) == .number("18446744073709551615"))
        #expect(JSONValue(0.1) == .number("0.1"))
        #expect(JSONValue(1e20) == .number("1e+20"))
        #expect(JSONValue(Double.nan) == .null)
        #expect(JSONValue(-Double.infinity) == .null)
        #expect(JSONValue([1, 2]) == .array([1, 2]))
        #expect(JSONValue(["b": 2, "a": 1] as [String: JSONValue]).serializedString() == #"{"a":1,"b":2}"#)
    }

    @Test("accessors return a value only for the matching type")
    func accessors() throws {
        let value = try JSONValue.parse(
            #"{"s": "x", "n": 42, "f": 1.5, "b": false, "z": null, "a": [1, 2], "big": 1e3}"#)
        #expect(value["s"]?.stringValue == "x")
        #expect(value["n"]?.stringValue == nil)
        #expect(value["n"]?.numberText == "42")
        #expect(value["n"]?.int64Value == 42)
        #expect(value["f"]?.int64Value == nil)
        #expect(value["f"]?.doubleValue == 1.5)
        #expect(value["big"]?.int64Value == nil)
        #expect(value["big"]?.doubleValue == 1000)
        #expect(value["b"]?.boolValue == false)
        #expect(value["z"]?.isNull == true)
        #expect(value["s"]?.isNull == false)
        #expect(value["a"]?.arrayValue == [1, 2])
        #expect(value["a"]?[1] == 2)
        #expect(value["a"]?[2] == nil)
        #expect(value["a"]?[-1] == nil)
        #expect(value["missing"] == nil)
        #expect(value["s"]?["x"] == nil)
        #expect(value.members?.count == 7)
        #expect(JSONValue.string("x").members == nil)
    }

    @Test(
        "type names for messages",
        arguments: [
            (JSONValue.null, "null"), (true, "boolean"), (1, "number"), ("s", "string"), ([], "array"), ([:], "object"),
        ] as [(JSONValue, String)])
    func typeNames(value: JSONValue, name: String) {
        #expect(value.typeName == name)
    }

    @Test("the key subscript sets, replaces and removes members")
    func settingMembers() {
        var value: JSONValue = ["a": 1, "b": 2, "a": 3]
        value["a"] = "x"
        #expect(value.serializedString() == #"{"a":1,"b":2,"a":"x"}"#)
        value["c"] = [true]
        #expect(value.serializedString() == #"{"a":1,"b":2,"a":"x","c":[true]}"#)
        value["a"] = nil
        #expect(value.serializedString() == #"{"b":2,"c":[true]}"#)
        var scalar: JSONValue = 5
        scalar["k"] = "v"
        #expect(scalar == ["k": "v"])
    }
}
