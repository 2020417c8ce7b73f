/// A policy value (a `Resource` entry or a condition value) split into literal text and
/// `${…}` policy variables, ready to be resolved against a context.
///
/// Grammar (version `2012-10-17` only; in `2008-10-17` everything is text):
/// - `${key}` — the value of context key `key`;
/// - `${key, 'default'}` — the same, or `default` when the key is absent (`''` is a quote);
/// - `${*}`, `${?}`, `${$}` — a literal `*`, `?`, `$`.
///
/// A `${` that does not open a well-formed variable is kept as text.
struct PolicyTemplate: Sendable, Hashable {
    enum Part: Sendable, Hashable {
        /// Text as written; `*` and `?` are wildcards where the value is a pattern.
        case text(String)
        /// Text that matches only itself (from `${*}`, `${?}`, `${$}`).
        case literal(String)
        /// A variable: its normalized context key and optional default.
        case variable(key: String, defaultValue: String?)
    }

    let parts: [Part]

    init(_ raw: String, substitutesVariables: Bool) {
        guard substitutesVariables, raw.contains("${") else {
            self.parts = raw.isEmpty ? [] : [.text(raw)]
            return
        }
        let scalars = Array(raw.unicodeScalars)
        var parts: [Part] = []
        var text = String.UnicodeScalarView()
        var index = 0
        while index < scalars.count {
            if scalars[index] == "$", index + 1 < scalars.count, scalars[index + 1] == "{",
                let (part, next) = Self.variable(in: scalars, from: index + 2)
            {
                if !text.isEmpty {
                    parts.append(.text(String(text)))
                    text = String.UnicodeScalarView()
                }
                parts.append(part)
                index = next
                continue
            }
            text.append(scalars[index])
            index += 1
        }
        if !text.isEmpty { parts.append(.text(String(text))) }
        self.parts = parts
    }

    /// Whether the value contains a variable that needs a context.
    var hasVariables: Bool {
        parts.contains { if case .variable = $0 { true } else { false } }
    }

    /// Parses the body of `${…}` starting after the brace; returns the part and the index
    /// after the closing brace, or `nil` when the text is not a well-formed variable.
    private static func variable(in scalars: [Unicode.Scalar], from start: Int) -> (Part, Int)? {
        guard let close = scalars[start...].firstIndex(of: "}") else { return nil }
        if let comma = scalars[start..<close].firstIndex(of: ","),
            let (part, next) = variableWithDefault(in: scalars, nameRange: start..<comma, after: comma + 1)
        {
            return (part, next)
        }
        let name = trimmed(scalars[start..<close])
        guard !name.isEmpty else { return nil }
        switch name {
        case "*", "?", "$": return (.literal(name), close + 1)
        default: return (.variable(key: PolicyContext.normalizedKey(name), defaultValue: nil), close + 1)
        }
    }

    /// Parses `name, 'default'}`; `''` inside the quotes is one quote.
    private static func variableWithDefault(
        in scalars: [Unicode.Scalar],
        nameRange: Range<Int>,
        after start: Int
    ) -> (Part, Int)? {
        let name = trimmed(scalars[nameRange])
        guard !name.isEmpty else { return nil }
        var index = start
        while index < scalars.count, scalars[index] == " " { index += 1 }
        guard index < scalars.count, scalars[index] == "'" else { return nil }
        index += 1
        var defaultValue = String.UnicodeScalarView()
        while true {
            guard index < scalars.count else { return nil }
            if scalars[index] == "'" {
                if index + 1 < scalars.count, scalars[index + 1] == "'" {
                    defaultValue.append("'")
                    index += 2
                    continue
                }
                index += 1
                break
            }
            defaultValue.append(scalars[index])
            index += 1
        }
        while index < scalars.count, scalars[index] == " " { index += 1 }
        guard index < scalars.count, scalars[index] == "}" else { return nil }
        let key = PolicyContext.normalizedKey(name)
        return (.variable(key: key, defaultValue: String(defaultValue)), index + 1)
    }

    private static func trimmed(_ scalars: ArraySlice<Unicode.Scalar>) -> String {
        var slice = scalars
        while let first = slice.first, first == " " { slice = slice.dropFirst() }
        while let last = slice.last, last == " " { slice = slice.dropLast() }
        var view = String.UnicodeScalarView()
        view.append(contentsOf: slice)
        return String(view)
    }

    /// Resolves the variables. Substituted values are literal: a `*` in a client id does
    /// not become a wildcard.
    ///
    /// - Parameter lookup: Returns the value of a normalized context key.
    /// - Returns: The pieces of the value, or `nil` when a variable has no value (no
    ///   default, key absent or multi-valued): such a value matches nothing, as in AWS.
    func resolve(_ lookup: (String) -> PolicyContext.Value?) -> [GlobPattern.Token]? {
        var tokens: [GlobPattern.Token] = []
        tokens.reserveCapacity(parts.count)
        for part in parts {
            switch part {
            case .text(let text):
                tokens.append(.pattern(text))
            case .literal(let text):
                tokens.append(.literal(text))
            case .variable(let key, let defaultValue):
                if let value = lookup(key)?.single {
                    tokens.append(.literal(value))
                } else if let defaultValue {
                    tokens.append(.literal(defaultValue))
                } else {
                    return nil
                }
            }
        }
        return tokens
    }
}

extension [GlobPattern.Token] {
    /// The tokens as one string, wildcards kept as written (for exact comparisons).
    var joinedText: String {
        var text = ""
        for token in self {
            switch token {
            case .pattern(let piece), .literal(let piece): text += piece
            }
        }
        return text
    }
}
