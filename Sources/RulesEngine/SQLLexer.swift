/// Splits a SQL statement into tokens.
///
/// Strings are quoted with `'` or `"`; inside them a backslash escapes as in JSON
/// (`\'`, `\"`, `\\`, `\n`, `\t`, `\uXXXX`…) and a doubled quote stands for itself.
struct SQLLexer {
    private let sql: String
    private let bytes: [UInt8]
    private var position = 0

    init(_ sql: String) {
        self.sql = sql
        self.bytes = Array(sql.utf8)
    }

    /// All the tokens, ending with ``SQLToken/Kind/end``.
    static func tokenize(_ sql: String) throws(SQLParseError) -> [SQLToken] {
        var lexer = SQLLexer(sql)
        var tokens: [SQLToken] = []
        while true {
            let token = try lexer.next()
            tokens.append(token)
            if token.kind == .end { return tokens }
        }
    }

    private func error(_ message: String, at offset: Int) -> SQLParseError {
        SQLParseError(message, offset: offset, in: sql)
    }

    private mutating func next() throws(SQLParseError) -> SQLToken {
        while position < bytes.count, isWhitespace(bytes[position]) { position += 1 }
        let start = position
        guard position < bytes.count else { return SQLToken(kind: .end, offset: start) }
        let byte = bytes[position]
        if isIdentifierStart(byte) {
            while position < bytes.count, isIdentifierPart(bytes[position]) { position += 1 }
            let name = String(decoding: bytes[start..<position], as: UTF8.self)
            return SQLToken(kind: .identifier(name), offset: start)
        }
        if isDigit(byte) {
            return try number()
        }
        if byte == UInt8(ascii: "'") || byte == UInt8(ascii: "\"") {
            return try string(quote: byte)
        }
        position += 1
        let symbol: SQLToken.Symbol
        switch byte {
        case UInt8(ascii: "("): symbol = .leftParen
        case UInt8(ascii: ")"): symbol = .rightParen
        case UInt8(ascii: "["): symbol = .leftBracket
        case UInt8(ascii: "]"): symbol = .rightBracket
        case UInt8(ascii: "{"): symbol = .leftBrace
        case UInt8(ascii: "}"): symbol = .rightBrace
        case UInt8(ascii: ","): symbol = .comma
        case UInt8(ascii: "."): symbol = .dot
        case UInt8(ascii: ":"): symbol = .colon
        case UInt8(ascii: "*"): symbol = .star
        case UInt8(ascii: "+"): symbol = .plus
        case UInt8(ascii: "-"): symbol = .minus
        case UInt8(ascii: "/"): symbol = .slash
        case UInt8(ascii: "%"): symbol = .percent
        case UInt8(ascii: "="): symbol = .equal
        case UInt8(ascii: "<"):
            if consume(UInt8(ascii: ">")) {
                symbol = .notEqual
            } else if consume(UInt8(ascii: "=")) {
                symbol = .lessOrEqual
            } else {
                symbol = .less
            }
        case UInt8(ascii: ">"):
            symbol = consume(UInt8(ascii: "=")) ? .greaterOrEqual : .greater
        case UInt8(ascii: "!") where consume(UInt8(ascii: "=")):
            symbol = .bangEqual
        default:
            throw error("Unexpected character '\(Character(Unicode.Scalar(byte)))'", at: start)
        }
        return SQLToken(kind: .symbol(symbol), offset: start)
    }

    private mutating func consume(_ byte: UInt8) -> Bool {
        guard position < bytes.count, bytes[position] == byte else { return false }
        position += 1
        return true
    }

    private mutating func number() throws(SQLParseError) -> SQLToken {
        let start = position
        while position < bytes.count, isDigit(bytes[position]) { position += 1 }
        var integral = true
        if position + 1 < bytes.count, bytes[position] == UInt8(ascii: "."), isDigit(bytes[position + 1]) {
            integral = false
            position += 1
            while position < bytes.count, isDigit(bytes[position]) { position += 1 }
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: "e") || bytes[position] == UInt8(ascii: "E") {
            integral = false
            position += 1
            if position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") {
                position += 1
            }
            guard position < bytes.count, isDigit(bytes[position]) else {
                throw error("Malformed number: an exponent needs digits", at: start)
            }
            while position < bytes.count, isDigit(bytes[position]) { position += 1 }
        }
        if position < bytes.count, isIdentifierStart(bytes[position]) {
            throw error("Malformed number: a letter follows the digits", at: start)
        }
        let text = String(decoding: bytes[start..<position], as: UTF8.self)
        if integral, let value = Int64(text) {
            return SQLToken(kind: .integer(value), offset: start)
        }
        guard let value = Double(text), value.isFinite else {
            throw error("Number out of range: \(text)", at: start)
        }
        return SQLToken(kind: .decimal(value), offset: start)
    }

    private mutating func string(quote: UInt8) throws(SQLParseError) -> SQLToken {
        let start = position
        position += 1
        var buffer: [UInt8] = []
        while position < bytes.count {
            let byte = bytes[position]
            position += 1
            if byte == quote {
                // A doubled quote stands for one quote character.
                if position < bytes.count, bytes[position] == quote {
                    buffer.append(quote)
                    position += 1
                    continue
                }
                let text = String(decoding: buffer, as: UTF8.self)
                return SQLToken(kind: .string(text, singleQuoted: quote == UInt8(ascii: "'")), offset: start)
            }
            if byte == UInt8(ascii: "\\") {
                try escape(into: &buffer)
                continue
            }
            buffer.append(byte)
        }
        throw error("Unterminated string literal", at: start)
    }

    private mutating func escape(into buffer: inout [UInt8]) throws(SQLParseError) {
        let escapeStart = position - 1
        guard position < bytes.count else { throw error("Unterminated string literal", at: escapeStart) }
        let byte = bytes[position]
        position += 1
        switch byte {
        case UInt8(ascii: "'"), UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): buffer.append(byte)
        case UInt8(ascii: "n"): buffer.append(0x0A)
        case UInt8(ascii: "t"): buffer.append(0x09)
        case UInt8(ascii: "r"): buffer.append(0x0D)
        case UInt8(ascii: "b"): buffer.append(0x08)
        case UInt8(ascii: "f"): buffer.append(0x0C)
        case UInt8(ascii: "u"):
            guard position + 4 <= bytes.count,
                let code = UInt32(String(decoding: bytes[position..<position + 4], as: UTF8.self), radix: 16),
                let scalar = Unicode.Scalar(code)
            else { throw error("Invalid \\u escape in string literal", at: escapeStart) }
            position += 4
            buffer.append(contentsOf: String(Character(scalar)).utf8)
        default:
            throw error("Invalid escape sequence in string literal", at: escapeStart)
        }
    }

    private func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x0C
    }

    private func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    private func isIdentifierStart(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
            || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "$") || byte >= 0x80
    }

    private func isIdentifierPart(_ byte: UInt8) -> Bool {
        isIdentifierStart(byte) || isDigit(byte)
    }
}
