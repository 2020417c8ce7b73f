import JSON
import Testing

@Suite("JSON parser")
struct JSONParserTests {
    @Test("parses objects, arrays and literals, keeping member order and number text")
    func values() throws {
        let value = try JSONValue.parse(#" {"z": [1, -2.5e3, true, false, null], "b": {"c": "d"}, "a": 0} "#)
        #expect(
            value
                == .object([
                    .init(
                        key: "z", value: .array([.number("1"), .number("-2.5e3"), .bool(true), .bool(false), .null])),
                    .init(key: "b", value: .object([.init(key: "c", value: .string("d"))])),
                    .init(key: "a", value: .number("0")),
                ]))
    }

    @Test(
        "keeps numbers as written",
        arguments: [
            "0", "-0", "12345678901234567890123456789", "1.000000000000000000001", "1e400", "-1E-7", "2.50", "1e+2",
        ])
    func numberText(text: String) throws {
        #expect(try JSONValue.parse(text) == .number(text))
        #expect(try JSONValue.parse("[\(text)]") == .array([.number(text)]))
    }

    @Test("decodes escapes and surrogate pairs")
    func escapes() throws {
        #expect(
            try JSONValue.parse(#""a\"b\\c\/d\n\t\r\b\f\u00e9\ud83d\ude00\u0000""#)
                == "a\"b\\c/d\n\t\r\u{8}\u{C}é😀\u{0}")
        #expect(try JSONValue.parse(#""\u00E9""#) == "é")
        #expect(try JSONValue.parse("\"h\u{e9}llo \u{1F600}\"") == "héllo 😀")
        #expect(try JSONValue.parse(#""""#) == "")
    }

    @Test(
        "rejects lone surrogates in \\u escapes",
        arguments: [#""\ud800""#, #""\ud800x""#, #""\udc00""#, #""\ud800\u0041""#, #""\ud800\ud800""#, #""\ud83d\""#])
    func loneSurrogates(text: String) {
        #expect {
            try JSONValue.parse(text)
        } throws: { error in
            (error as? JSONParseError)?.message.contains("surrogate") == true
                || (error as? JSONParseError)?.message.contains("escape") == true
        }
    }

    @Test(
        "rejects invalid UTF-8",
        arguments: [
            [0x22, 0xFF, 0x22],  // not a UTF-8 byte
            [0x22, 0xC3, 0x22],  // truncated two-byte sequence
            [0x22, 0xC0, 0xAF, 0x22],  // overlong "/"
            [0x22, 0xE0, 0x80, 0xAF, 0x22],  // overlong three-byte
            [0x22, 0xED, 0xA0, 0x80, 0x22],  // encoded surrogate U+D800
            [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22],  // past U+10FFFF
            [0x22, 0xF0, 0x9F, 0x98, 0x22],  // truncated four-byte
            [0x22, 0x80, 0x22],  // lone continuation byte
        ] as [[UInt8]])
    func invalidUTF8(bytes: [UInt8]) {
        #expect(throws: JSONParseError(message: "invalid UTF-8", offset: 1)) { try JSONValue.parse(bytes) }
    }

    @Test("accepts every well-formed UTF-8 length")
    func validUTF8() throws {
        let bytes: [UInt8] = [
            0x22, 0x41, 0xC3, 0xA9, 0xE2, 0x82, 0xAC, 0xED, 0x9F, 0xBF, 0xF0, 0x9F, 0x98, 0x80, 0xF4, 0x8F, 0xBF, 0xBF,
            0x22,
        ]
        #expect(try JSONValue.parse(bytes) == .string("Aé€\u{D7FF}😀\u{10FFFF}"))
    }

    @Test(
        "rejects malformed documents",
        arguments: [
            "", " ", "{", "[1,]", "{\"a\":}", "{\"a\" 1}", "01", "-01", "1.", ".5", "-", "+1", "1e", "1e+", "tru",
            "nul",
            "True", "\"abc", "\"a\u{01}\"", "\"tab\there\"", "{} x", "[1 2]", "{'a':1}", "\"\\x\"", "{\"a\":1,}",
            "NaN", "Infinity", "[", "]", "{\"a\"}", "{1: 2}", "\u{FEFF}{}", "// c\n1", "[1]]", "\"\\u12\"",
            "\"\\u12G4\"",
        ])
    func malformed(text: String) {
        #expect(throws: JSONParseError.self) { try JSONValue.parse(text) }
    }

    @Test("reports where the problem is")
    func offsets() {
        #expect(throws: JSONParseError(message: "unexpected data after the JSON value", offset: 3)) {
            try JSONValue.parse("{} x")
        }
        #expect(throws: JSONParseError(message: "unexpected data after the JSON value", offset: 1)) {
            try JSONValue.parse("01")
        }
        #expect(throws: JSONParseError(message: "expected ',' or ']' in an array", offset: 3)) {
            try JSONValue.parse("[1 2]")
        }
        #expect(throws: JSONParseError(message: "unterminated string", offset: 5)) {
            try JSONValue.parse(#"{"a":"bc"#)
        }
        #expect(throws: JSONParseError(message: "unexpected end of input", offset: 0)) { try JSONValue.parse("") }
        #expect(throws: JSONParseError(message: "invalid escape sequence in a string", offset: 2)) {
            try JSONValue.parse(#""a\x""#)
        }
        #expect(throws: JSONParseError(message: "unescaped control character in a string", offset: 2)) {
            try JSONValue.parse("\"a\nb\"")
        }
        let error = JSONParseError(message: "invalid number", offset: 7)
        #expect(error.description == "invalid number at offset 7")
    }

    @Test("limits nesting to maximumDepth containers")
    func depth() throws {
        func nested(_ count: Int) -> String {
            String(repeating: "[", count: count) + "1" + String(repeating: "]", count: count)
        }
        _ = try JSONValue.parse(nested(64))
        #expect(throws: JSONParseError(message: "nesting is too deep", offset: 64)) { try JSONValue.parse(nested(65)) }
        _ = try JSONValue.parse(nested(32), maximumDepth: 32)
        #expect(throws: JSONParseError.self) { try JSONValue.parse(nested(33), maximumDepth: 32) }
        let objects = String(repeating: #"{"a":"#, count: 3) + "1" + String(repeating: "}", count: 3)
        _ = try JSONValue.parse(objects, maximumDepth: 3)
        #expect(throws: JSONParseError.self) { try JSONValue.parse(objects, maximumDepth: 2) }
        #expect(try JSONValue.parse("7", maximumDepth: 0) == 7)
        #expect(throws: JSONParseError.self) { try JSONValue.parse("[]", maximumDepth: 0) }
        // Depth counts nesting, not how many containers there are.
        _ = try JSONValue.parse(
            "[" + Array(repeating: "[[]]", count: 100).joined(separator: ",") + "]", maximumDepth: 3)
    }

    @Test("keeps duplicate keys unless told to reject them")
    func duplicateKeys() throws {
        let text = #"{"a": 1, "b": 2, "a": 3}"#
        let value = try JSONValue.parse(text)
        #expect(value.members?.map(\.key) == ["a", "b", "a"])
        #expect(value["a"] == 3)
        #expect(throws: JSONParseError(message: #"duplicate member "a""#, offset: 17)) {
            try JSONValue.parse(text, allowsDuplicateKeys: false)
        }
        // The same key in different objects is not a duplicate.
        _ = try JSONValue.parse(#"{"a": {"a": 1}, "b": [{"a": 2}, {"a": 3}]}"#, allowsDuplicateKeys: false)
    }

    @Test("parses bytes, byte slices and strings alike")
    func inputs() throws {
        let text = #"{"k": ["v", 1.5]}"#
        let expected: JSONValue = ["k": ["v", 1.5]]
        #expect(try JSONValue.parse(text) == expected)
        #expect(try JSONValue.parse(Array(text.utf8)) == expected)
        let padded = Array("xx\(text)yy".utf8)
        #expect(try JSONValue.parse(padded[2..<(padded.count - 2)]) == expected)
        #expect(try JSONValue.parse(text.utf8) == expected)
    }
}
