extension JSONValue {
    /// Choices for the text ``serialized(options:)`` writes. The default writes compact
    /// RFC 8259 text with only the escapes JSON requires and everything else as UTF-8.
    public struct WritingOptions: OptionSet, Sendable, Hashable {
        public let rawValue: UInt8

        public init(rawValue: UInt8) {
            self.rawValue = rawValue
        }

        /// Escape U+2028 LINE SEPARATOR and U+2029 PARAGRAPH SEPARATOR as `\u2028` and
        /// `\u2029`: valid JSON either way, but older JavaScript cannot hold them raw in a
        /// string literal, so text embedded in a script needs them escaped.
        public static let escapingLineSeparators = WritingOptions(rawValue: 1 << 0)
        /// Escape every non-ASCII character as `\uXXXX` (astral ones as a surrogate pair), for
        /// channels that carry only ASCII.
        public static let asciiOnly = WritingOptions(rawValue: 1 << 1)
        /// Escape `/` as `\/`, so the text cannot close an HTML `</script>` element.
        public static let escapingSlashes = WritingOptions(rawValue: 1 << 2)
    }

    /// The value as compact JSON text in UTF-8: no whitespace, object members in order,
    /// numbers as their text.
    public func serialized(options: WritingOptions = []) -> [UInt8] {
        var output: [UInt8] = []
        write(into: &output, options: options)
        return output
    }

    /// The value as compact JSON text; see ``serialized(options:)``.
    public func serializedString(options: WritingOptions = []) -> String {
        String(decoding: serialized(options: options), as: UTF8.self)
    }

    /// Appends the value as compact JSON text to `output`; see ``serialized(options:)``.
    public func write(into output: inout [UInt8], options: WritingOptions = []) {
        switch self {
        case .null:
            output.append(contentsOf: "null".utf8)
        case .bool(let flag):
            output.append(contentsOf: (flag ? "true" : "false").utf8)
        case .number(let text):
            output.append(contentsOf: text.utf8)
        case .string(let text):
            Self.writeString(text, into: &output, options: options)
        case .array(let elements):
            output.append(UInt8(ascii: "["))
            for (offset, element) in elements.enumerated() {
                if offset > 0 { output.append(UInt8(ascii: ",")) }
                element.write(into: &output, options: options)
            }
            output.append(UInt8(ascii: "]"))
        case .object(let members):
            output.append(UInt8(ascii: "{"))
            for (offset, member) in members.enumerated() {
                if offset > 0 { output.append(UInt8(ascii: ",")) }
                Self.writeString(member.key, into: &output, options: options)
                output.append(UInt8(ascii: ":"))
                member.value.write(into: &output, options: options)
            }
            output.append(UInt8(ascii: "}"))
        }
    }

    /// Appends `string` as a quoted JSON string literal to `output`: `"` and `\` escaped,
    /// the control characters U+0000–U+001F as `\b`, `\t`, `\n`, `\f`, `\r` or `\u00XX`, and
    /// the rest as `options` say. For writers that produce JSON without building a value.
    public static func writeString(_ string: String, into output: inout [UInt8], options: WritingOptions = []) {
        output.append(UInt8(ascii: "\""))
        if options.contains(.asciiOnly) {
            for scalar in string.unicodeScalars {
                if scalar.isASCII {
                    appendASCII(UInt8(scalar.value), into: &output, options: options)
                } else {
                    for unit in UTF16.encode(scalar)! { appendUnicodeEscape(unit, into: &output) }
                }
            }
        } else {
            var string = string
            string.withUTF8 { bytes in
                var runStart = 0
                var index = 0
                while index < bytes.count {
                    let byte = bytes[index]
                    let escapeLength: Int
                    if byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                        escapeLength = 1
                    } else if byte == UInt8(ascii: "/") && options.contains(.escapingSlashes) {
                        escapeLength = 1
                    } else if byte == 0xE2, options.contains(.escapingLineSeparators), index + 2 < bytes.count,
                        bytes[index + 1] == 0x80, bytes[index + 2] == 0xA8 || bytes[index + 2] == 0xA9
                    {
                        escapeLength = 3
                    } else {
                        index += 1
                        continue
                    }
                    output.append(contentsOf: bytes[runStart..<index])
                    if escapeLength == 3 {
                        appendUnicodeEscape(bytes[index + 2] == 0xA8 ? 0x2028 : 0x2029, into: &output)
                    } else {
                        appendASCII(byte, into: &output, options: options)
                    }
                    index += escapeLength
                    runStart = index
                }
                output.append(contentsOf: bytes[runStart..<bytes.count])
            }
        }
        output.append(UInt8(ascii: "\""))
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// Appends an ASCII character of a string literal, escaped if JSON or `options` need it.
    private static func appendASCII(_ byte: UInt8, into output: inout [UInt8], options: WritingOptions) {
        switch byte {
        case UInt8(ascii: "\""): output.append(contentsOf: #"\""#.utf8)
        case UInt8(ascii: "\\"): output.append(contentsOf: #"\\"#.utf8)
        case UInt8(ascii: "/") where options.contains(.escapingSlashes): output.append(contentsOf: #"\/"#.utf8)
        case 0x08: output.append(contentsOf: #"\b"#.utf8)
        case 0x09: output.append(contentsOf: #"\t"#.utf8)
        case 0x0A: output.append(contentsOf: #"\n"#.utf8)
        case 0x0C: output.append(contentsOf: #"\f"#.utf8)
        case 0x0D: output.append(contentsOf: #"\r"#.utf8)
        case 0x00..<0x20: appendUnicodeEscape(UInt16(byte), into: &output)
        default: output.append(byte)
        }
    }

    /// Appends `\uXXXX` for one UTF-16 code unit, in lower-case hex.
    private static func appendUnicodeEscape(_ unit: UInt16, into output: inout [UInt8]) {
        output.append(contentsOf: #"\u"#.utf8)
        for shift in stride(from: 12, through: 0, by: -4) {
            output.append(hexDigits[Int(unit >> UInt16(shift)) & 0xF])
        }
    }
}

extension JSONValue: CustomStringConvertible {
    /// The value as compact JSON text.
    public var description: String { serializedString() }
}
