/// Writes JSON string literals (RFC 8259) without Foundation's encoder, so output is
/// deterministic: `"` and `\` escaped, control characters as `\n`, `\t`… or `\u00XX`,
/// everything else (including non-ASCII) as UTF-8.
public enum JSONString {
    private static let hex: [Character] = Array("0123456789abcdef")

    /// `string` as a quoted JSON string literal.
    public static func literal(_ string: String) -> String {
        var out = ""
        append(string, to: &out)
        return out
    }

    /// Appends `string` as a quoted JSON string literal to `out`.
    public static func append(_ string: String, to out: inout String) {
        out.append("\"")
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case _ where scalar.value < 0x20:
                out += "\\u00"
                out.append(hex[Int(scalar.value >> 4)])
                out.append(hex[Int(scalar.value & 0xF)])
            default:
                out.unicodeScalars.append(scalar)
            }
        }
        out.append("\"")
    }
}
