import Foundation

/// Regular expressions for `regexp_matches`, `regexp_replace` and `regexp_substr`.
///
/// AWS evaluates Java patterns; Thingport uses ICU's (`NSRegularExpression`), whose syntax
/// and `$1` replacement references are close to Java's.
final class SQLRegex: @unchecked Sendable {
    // `NSRegularExpression` is immutable and documented as safe to share between threads.
    private let expression: NSRegularExpression

    /// The result of compiling a literal pattern once at parse time.
    struct Compiled: Sendable {
        let regex: SQLRegex?
    }

    /// `nil` when `pattern` is not a valid regular expression.
    init?(_ pattern: String) {
        guard let expression = try? NSRegularExpression(pattern: pattern) else { return nil }
        self.expression = expression
    }

    /// Whether `text` contains a match.
    func matches(_ text: String) -> Bool {
        expression.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }

    /// The first match in `text`, or `nil`.
    func firstMatch(_ text: String) -> String? {
        guard let match = expression.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)),
            let range = Range(match.range, in: text)
        else { return nil }
        return String(text[range])
    }

    /// `text` with every match replaced by `template` (`$1` refers to a capture group).
    func replacingMatches(in text: String, with template: String) -> String {
        expression.stringByReplacingMatches(
            in: text, range: NSRange(text.startIndex..., in: text), withTemplate: template)
    }
}
