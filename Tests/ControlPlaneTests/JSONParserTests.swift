import Testing

@testable import ControlPlane

@Suite("JSON parser")
struct JSONParserTests {
    private func parse(_ text: String) throws -> JSONValue {
        try JSONParser.parse(Array(text.utf8))
    }

    @Test("parses objects, arrays, literals and keeps number text")
    func values() throws {
        let value = try parse(#" {"a": [1, -2.5e3, true, false, null], "b": {"c": "d"}, "e": 0} "#)
        #expect(
            value
                == .object([
                    "a": .array([.number("1"), .number("-2.5e3"), .bool(true), .bool(false), .null]),
                    "b": .object(["c": .string("d")]),
                    "e": .number("0"),
                ]))
    }

    @Test("decodes escapes and surrogate pairs")
    func escapes() throws {
        #expect(try parse(#""a\"b\\c\/d\n\t\u00e9\ud83d\ude00""#) == .string("a\"b\\c/d\n\té😀"))
        #expect(try parse(#""\ud800x""#) == .string("\u{FFFD}x"))
    }

    @Test(
        "rejects malformed documents",
        arguments: [
            "", "{", "[1,]", "{\"a\":}", "{\"a\" 1}", "01", "1.", "-", "tru", "\"abc", "\"a\u{01}\"", "{} x",
            "[1 2]", "{'a':1}", "\"\\x\"", "1e", "{\"a\":1,}",
        ])
    func malformed(text: String) {
        #expect(throws: JSONParser.Error.self) { try parse(text) }
    }

    @Test("limits nesting")
    func depth() throws {
        let deep = String(repeating: "[", count: 65) + String(repeating: "]", count: 65)
        #expect(throws: JSONParser.Error.self) { try parse(deep) }
        let fine = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        _ = try parse(fine)
    }
}
