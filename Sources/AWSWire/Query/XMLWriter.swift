/// A small writer for XML responses: start and end tags with indentation, text elements,
/// and escaping.
///
/// ```swift
/// var xml = XMLWriter()
/// xml.start("CreateTopicResponse", attributes: [("xmlns", AWSError.QueryNamespace.sns)])
/// xml.start("CreateTopicResult")
/// xml.element("TopicArn", arn.description)
/// xml.end()
/// xml.end()
/// ```
public struct XMLWriter: Sendable {
    /// The document so far.
    public private(set) var text: String = ""
    private var open: [String] = []
    private let indent: String?

    /// Creates a writer.
    ///
    /// - Parameters:
    ///   - indent: The indentation per level, or nil to write everything on one line.
    ///   - declaration: Starts with `<?xml version="1.0" encoding="UTF-8"?>`.
    public init(indent: String? = "  ", declaration: Bool = false) {
        self.indent = indent
        if declaration {
            text = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
            if indent != nil { text += "\n" }
        }
    }

    /// The document as UTF-8 bytes.
    public var bytes: [UInt8] { Array(text.utf8) }

    /// The names of the elements started and not yet ended.
    public var openElements: [String] { open }

    /// Writes a start tag; attribute values are escaped.
    public mutating func start(_ name: String, attributes: [(String, String)] = []) {
        newline()
        text += "<" + name
        for (attribute, value) in attributes {
            text += " " + attribute + "=\"" + Self.escape(value, inAttribute: true) + "\""
        }
        text += ">"
        open.append(name)
    }

    /// Ends the innermost open element.
    public mutating func end() {
        guard let name = open.popLast() else {
            preconditionFailure("XMLWriter.end() without an open element")
        }
        newline()
        text += "</" + name + ">"
        if open.isEmpty, indent != nil {
            text += "\n"
        }
    }

    /// Writes `<name>text</name>` with `value` escaped.
    public mutating func element(_ name: String, _ value: String) {
        newline()
        text += "<" + name + ">" + Self.escape(value) + "</" + name + ">"
    }

    /// Writes an element whose children `body` writes.
    public mutating func element(
        _ name: String, attributes: [(String, String)] = [], _ body: (inout XMLWriter) -> Void
    ) {
        start(name, attributes: attributes)
        body(&self)
        end()
    }

    private mutating func newline() {
        guard let indent, !text.isEmpty, !text.hasSuffix("\n") else { return }
        text += "\n" + String(repeating: indent, count: open.count)
    }

    /// Escapes `value` for XML text (or, with `inAttribute`, a double-quoted attribute).
    ///
    /// `&`, `<`, `>`, `"` and `'` become entities; `\r` becomes `&#xD;` so it survives
    /// parsing; in attributes `\n` and `\t` become `&#xA;` and `&#x9;`. Characters XML 1.0
    /// cannot carry (other control characters, U+FFFE, U+FFFF) become U+FFFD.
    public static func escape(_ value: String, inAttribute: Bool = false) -> String {
        var out = ""
        out.reserveCapacity(value.utf8.count)
        for scalar in value.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\r": out += "&#xD;"
            case "\n": out += inAttribute ? "&#xA;" : "\n"
            case "\t": out += inAttribute ? "&#x9;" : "\t"
            case _ where scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF:
                out += "\u{FFFD}"
            default:
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
