import JSON
import Testing

@Suite("JSON writer")
struct JSONWritingTests {
    @Test("writes compact text with members in order and numbers as written")
    func compact() {
        let value: JSONValue = [
            "z": [1, -2.5, true, false, nil],
            "a": ["nested": "x"],
            "big": .number("12345678901234567890.000"),
            "empty": [:],
            "none": [],
        ]
        #expect(
            value.serializedString()
                == #"{"z":[1,-2.5,true,false,null],"a":{"nested":"x"},"big":12345678901234567890.000,"empty":{},"none":[]}"#
        )
        #expect(value.description == value.serializedString())
        #expect(value.serialized() == Array(value.serializedString().utf8))
    }

    struct EscapeCase: Sendable, CustomTestStringConvertible {
        var text: String
        var options: JSONValue.WritingOptions
        var expected: String
        var testDescription: String { expected }
    }

    static let escapeCases: [EscapeCase] = [
        .init(text: #"a"b\c"#, options: [], expected: #""a\"b\\c""#),
        .init(text: "\u{8}\u{C}\n\r\t", options: [], expected: #""\b\f\n\r\t""#),
        .init(text: "\u{0}\u{1}\u{1F}\u{7F}", options: [], expected: "\"\\u0000\\u0001\\u001f\u{7F}\""),
        .init(text: "é€😀", options: [], expected: "\"é€😀\""),
        .init(text: "a/b", options: [], expected: #""a/b""#),
        .init(text: "</script>", options: .escapingSlashes, expected: #""<\/script>""#),
        .init(text: "a\u{2028}b\u{2029}c", options: [], expected: "\"a\u{2028}b\u{2029}c\""),
        .init(
            text: "a\u{2028}b\u{2029}c\u{2027}", options: .escapingLineSeparators,
            expected: "\"a\\u2028b\\u2029c\u{2027}\""),
        .init(text: "é€😀\u{2028}", options: .asciiOnly, expected: #""\u00e9\u20ac\ud83d\ude00\u2028""#),
        .init(text: "a\"\n/", options: [.asciiOnly, .escapingSlashes], expected: #""a\"\n\/""#),
        .init(text: "", options: [], expected: #""""#),
    ]

    @Test("escapes strings as JSON and the options require", arguments: escapeCases)
    func escaping(testCase: EscapeCase) {
        #expect(JSONValue.string(testCase.text).serializedString(options: testCase.options) == testCase.expected)
        var bytes: [UInt8] = []
        JSONValue.writeString(testCase.text, into: &bytes, options: testCase.options)
        #expect(String(decoding: bytes, as: UTF8.self) == testCase.expected)
    }

    @Test("escapes member names too")
    func keys() {
        let value: JSONValue = ["a\"\n\u{2028}": 1]
        #expect(value.serializedString(options: .escapingLineSeparators) == #"{"a\"\n\u2028":1}"#)
    }

    @Test(
        "round-trips through the parser",
        arguments: [
            #"{"a":[1,2.5e-3,{"b":null}],"c":"\u0000\"\\\n\u00e9\ud83d\ude00","d":true,"e":{},"f":[]}"#,
            #"[-0,1E+2,"x/y",false]"#,
            #""just a string""#,
            "12345678901234567890123456789",
        ])
    func roundTrip(text: String) throws {
        let value = try JSONValue.parse(text)
        #expect(try JSONValue.parse(value.serialized()) == value)
        for options: JSONValue.WritingOptions in [.asciiOnly, .escapingLineSeparators, .escapingSlashes] {
            #expect(try JSONValue.parse(value.serialized(options: options)) == value)
        }
        let ascii = value.serialized(options: .asciiOnly)
        #expect(ascii.allSatisfy { $0 < 0x80 })
    }

    @Test("keeps duplicate members when writing")
    func duplicates() throws {
        let value = try JSONValue.parse(#"{"a":1,"a":2}"#)
        #expect(value.serializedString() == #"{"a":1,"a":2}"#)
    }
}
