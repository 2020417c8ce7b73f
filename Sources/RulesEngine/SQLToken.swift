/// One token of a SQL statement.
struct SQLToken: Sendable {
    enum Kind: Sendable, Equatable {
        /// A name: a keyword, a field, a function or an alias. Keywords are recognised by
        /// the parser, case-insensitively.
        case identifier(String)
        /// An integer literal that fits `Int64`.
        case integer(Int64)
        /// A number literal with a fraction or exponent, or too large for `Int64`.
        case decimal(Double)
        /// A string literal; `singleQuoted` tells `'…'` from `"…"`.
        case string(String, singleQuoted: Bool)
        /// Punctuation and operators.
        case symbol(Symbol)
        /// The end of the statement.
        case end
    }

    enum Symbol: String, Sendable {
        case leftParen = "(", rightParen = ")", leftBracket = "[", rightBracket = "]"
        case leftBrace = "{", rightBrace = "}", comma = ",", dot = ".", colon = ":"
        case star = "*", plus = "+", minus = "-", slash = "/", percent = "%"
        case equal = "=", notEqual = "<>", bangEqual = "!=", less = "<", lessOrEqual = "<="
        case greater = ">", greaterOrEqual = ">="
    }

    let kind: Kind
    /// UTF-8 offset of the token's first byte.
    let offset: Int

    /// Whether the token is the keyword `word` (given in capitals).
    func isKeyword(_ word: String) -> Bool {
        guard case .identifier(let name) = kind, name.utf8.count == word.utf8.count else { return false }
        return name.uppercased() == word
    }

    func isSymbol(_ symbol: Symbol) -> Bool {
        kind == .symbol(symbol)
    }

    /// How the token reads in an error message.
    var quoted: String {
        switch kind {
        case .identifier(let name): "'\(name)'"
        case .integer(let value): "'\(value)'"
        case .decimal(let value): "'\(SQLValue.format(value))'"
        case .string(let text, let single): single ? "string '\(text)'" : "string \"\(text)\""
        case .symbol(let symbol): "'\(symbol.rawValue)'"
        case .end: "end of statement"
        }
    }
}
