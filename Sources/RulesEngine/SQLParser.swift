import MQTTProtocol

/// A recursive-descent parser from tokens to a compiled ``SQLQuery``.
///
/// Grammar, from the loosest binding to the tightest:
/// `OR` < `AND` < `NOT` < comparisons (`= <> != < <= > >= IN`) < `+ -` < `* / %` <
/// unary `-` < postfix `.name` and `[index]` < primaries (literals, names, calls,
/// `CASE`, parentheses, nested `SELECT`, `[…]` and `{…}` literals).
struct SQLParser {
    /// Words that cannot name a field or an alias.
    static let reserved: Set<String> = [
        "SELECT", "FROM", "WHERE", "AS", "AND", "OR", "NOT", "IN", "CASE", "WHEN", "THEN", "ELSE", "END",
        "TRUE", "FALSE", "NULL",
    ]

    private let sql: String
    private let version: SQLVersion
    private let semantics: SQLSemantics
    private let tokens: [SQLToken]
    private var index = 0

    private init(sql: String, version: SQLVersion, tokens: [SQLToken]) {
        self.sql = sql
        self.version = version
        self.semantics = SQLSemantics(version: version)
        self.tokens = tokens
    }

    /// Parses a whole statement: `SELECT … FROM 'topic/filter' [WHERE …]`.
    static func parse(_ sql: String, version: SQLVersion) throws(SQLParseError) -> SQLQuery {
        var parser = SQLParser(sql: sql, version: version, tokens: try SQLLexer.tokenize(sql))
        return try parser.parseStatement()
    }

    // MARK: Tokens

    private var current: SQLToken { tokens[index] }

    private func peek(_ offset: Int = 1) -> SQLToken {
        tokens[min(index + offset, tokens.count - 1)]
    }

    private mutating func advance() {
        if index < tokens.count - 1 { index += 1 }
    }

    private mutating func consumeKeyword(_ word: String) -> Bool {
        guard current.isKeyword(word) else { return false }
        advance()
        return true
    }

    private mutating func consumeSymbol(_ symbol: SQLToken.Symbol) -> Bool {
        guard current.isSymbol(symbol) else { return false }
        advance()
        return true
    }

    private func error(_ message: String, at token: SQLToken) -> SQLParseError {
        SQLParseError(message, offset: token.offset, in: sql)
    }

    private mutating func expectSymbol(_ symbol: SQLToken.Symbol, _ context: String) throws(SQLParseError) {
        guard consumeSymbol(symbol) else {
            throw error("Expected '\(symbol.rawValue)' \(context), found \(current.quoted)", at: current)
        }
    }

    private func requireV2(_ feature: String, at token: SQLToken) throws(SQLParseError) {
        guard version.isV2 else {
            throw error("\(feature) requires SQL version 2016-03-23 (awsIotSqlVersion is 2015-10-08)", at: token)
        }
    }

    // MARK: Statements

    private mutating func parseStatement() throws(SQLParseError) -> SQLQuery {
        guard consumeKeyword("SELECT") else {
            throw error("Expected SELECT at the start of the statement, found \(current.quoted)", at: current)
        }
        let selection = try parseSelection()
        guard consumeKeyword("FROM") else {
            throw error("Expected FROM after the SELECT list, found \(current.quoted)", at: current)
        }
        let topicToken = current
        guard case .string(let filter, let singleQuoted) = topicToken.kind else {
            throw error("Expected a topic filter in single quotes after FROM, found \(current.quoted)", at: current)
        }
        guard singleQuoted else {
            throw error("The topic filter after FROM must be enclosed in single quotes", at: topicToken)
        }
        guard MQTTTopic.isValidTopicFilter(filter) else {
            throw error("Invalid topic filter '\(filter)'", at: topicToken)
        }
        advance()
        var condition: SQLExpression?
        if consumeKeyword("WHERE") {
            condition = try parseExpression()
        }
        guard current.kind == .end else {
            throw error("Unexpected \(current.quoted) after the end of the statement", at: current)
        }
        return SQLQuery(selection: selection, source: .topic(filter), condition: condition)
    }

    /// The SELECT list, after `SELECT`.
    private mutating func parseSelection() throws(SQLParseError) -> SQLQuery.Selection {
        // `VALUE` is a keyword only where an expression follows it; `SELECT value FROM`
        // selects a field called `value`.
        if current.isKeyword("VALUE") {
            let next = peek()
            let isField =
                next.isKeyword("FROM") || next.isKeyword("AS") || next.isSymbol(.comma) || next.isSymbol(.dot)
                || next.kind == .end
                // `value[0]` indexes a field; `VALUE [a, b]` selects an array literal.
                || (next.isSymbol(.leftBracket) && next.offset == current.offset + 5)
            if !isField {
                advance()
                let expression = try parseExpression()
                if current.isSymbol(.comma) {
                    throw error("SELECT VALUE takes exactly one expression", at: current)
                }
                return .value(expression)
            }
        }
        var projections: [SQLProjection] = []
        repeat {
            projections.append(try parseProjection(position: projections.count + 1))
        } while consumeSymbol(.comma)
        return .projections(projections)
    }

    private mutating func parseProjection(position: Int) throws(SQLParseError) -> SQLProjection {
        if consumeSymbol(.star) {
            let alias = consumeKeyword("AS") ? try parseAlias() : nil
            return .all(alias: alias)
        }
        if current.kind == .end || current.isKeyword("FROM") {
            throw error("Expected an expression or '*' in the SELECT list, found \(current.quoted)", at: current)
        }
        let expression = try parseExpression()
        if current.isSymbol(.dot) && peek().isSymbol(.star) {
            advance()
            advance()
            return .allOf(expression)
        }
        let name = consumeKeyword("AS") ? try parseAlias() : defaultName(of: expression, position: position)
        return .expression(expression, name: name)
    }

    /// An alias after `AS`: a name, names joined by dots (kept as one key), or a string.
    private mutating func parseAlias() throws(SQLParseError) -> String {
        if case .string(let text, _) = current.kind {
            advance()
            return text
        }
        var parts: [String] = []
        repeat {
            guard case .identifier(let name) = current.kind, !Self.reserved.contains(name.uppercased()) else {
                throw error("Expected a name after AS, found \(current.quoted)", at: current)
            }
            parts.append(name)
            advance()
        } while consumeSymbol(.dot)
        return parts.joined(separator: ".")
    }

    /// The output key of an unaliased projection: the last name of a path, the name of a
    /// function, or `_N` for the N-th projection otherwise.
    private func defaultName(of expression: SQLExpression, position: Int) -> String {
        switch expression {
        case .field(let name), .member(_, let name): name
        case .index(let base, _): defaultName(of: base, position: position)
        case .call(let call): call.function.rawValue
        case .cast: "cast"
        default: "_\(position)"
        }
    }

    // MARK: Expressions

    private mutating func parseExpression() throws(SQLParseError) -> SQLExpression {
        try parseOr()
    }

    private mutating func parseOr() throws(SQLParseError) -> SQLExpression {
        var left = try parseAnd()
        while consumeKeyword("OR") {
            left = .binary(.or, left, try parseAnd())
        }
        return left
    }

    private mutating func parseAnd() throws(SQLParseError) -> SQLExpression {
        var left = try parseNot()
        while consumeKeyword("AND") {
            left = .binary(.and, left, try parseNot())
        }
        return left
    }

    private mutating func parseNot() throws(SQLParseError) -> SQLExpression {
        if consumeKeyword("NOT") {
            return .unary(.not, try parseNot())
        }
        return try parseComparison()
    }

    private mutating func parseComparison() throws(SQLParseError) -> SQLExpression {
        var left = try parseAdditive()
        while true {
            let op: SQLExpression.BinaryOperator
            switch current.kind {
            case .symbol(.equal): op = .equal
            case .symbol(.notEqual), .symbol(.bangEqual): op = .notEqual
            case .symbol(.less): op = .less
            case .symbol(.lessOrEqual): op = .lessOrEqual
            case .symbol(.greater): op = .greater
            case .symbol(.greaterOrEqual): op = .greaterOrEqual
            default:
                if current.isKeyword("IN") {
                    advance()
                    left = .binary(.isIn, left, try parseAdditive())
                    continue
                }
                if current.isKeyword("NOT") && peek().isKeyword("IN") {
                    advance()
                    advance()
                    left = .unary(.not, .binary(.isIn, left, try parseAdditive()))
                    continue
                }
                return left
            }
            advance()
            left = .binary(op, left, try parseAdditive())
        }
    }

    private mutating func parseAdditive() throws(SQLParseError) -> SQLExpression {
        var left = try parseMultiplicative()
        while true {
            if consumeSymbol(.plus) {
                left = .binary(.add, left, try parseMultiplicative())
            } else if consumeSymbol(.minus) {
                left = .binary(.subtract, left, try parseMultiplicative())
            } else {
                return left
            }
        }
    }

    private mutating func parseMultiplicative() throws(SQLParseError) -> SQLExpression {
        var left = try parseUnary()
        while true {
            if consumeSymbol(.star) {
                left = .binary(.multiply, left, try parseUnary())
            } else if consumeSymbol(.slash) {
                left = .binary(.divide, left, try parseUnary())
            } else if consumeSymbol(.percent) {
                left = .binary(.remainder, left, try parseUnary())
            } else {
                return left
            }
        }
    }

    private mutating func parseUnary() throws(SQLParseError) -> SQLExpression {
        if consumeSymbol(.minus) {
            let operand = try parseUnary()
            // Fold negative number literals.
            switch operand {
            case .literal(let value) where value.isNumber: return .literal(semantics.negate(value))
            default: break
            }
            return .unary(.negate, operand)
        }
        if consumeSymbol(.plus) {
            return try parseUnary()
        }
        return try parsePostfix()
    }

    private mutating func parsePostfix() throws(SQLParseError) -> SQLExpression {
        var expression = try parsePrimary()
        while true {
            if current.isSymbol(.dot) {
                // `path.*` ends the expression: the projection takes the `*`.
                if peek().isSymbol(.star) { return expression }
                advance()
                guard case .identifier(let name) = current.kind, !Self.reserved.contains(name.uppercased()) else {
                    throw error("Expected a name after '.', found \(current.quoted)", at: current)
                }
                advance()
                expression = .member(expression, name)
            } else if consumeSymbol(.leftBracket) {
                let position = try parseExpression()
                try expectSymbol(.rightBracket, "after the array index")
                expression = .index(expression, position)
            } else {
                return expression
            }
        }
    }

    private mutating func parsePrimary() throws(SQLParseError) -> SQLExpression {
        let token = current
        switch token.kind {
        case .integer(let value):
            advance()
            return .literal(.int(value))
        case .decimal(let value):
            advance()
            return .literal(semantics.decimal(value))
        case .string(let text, _):
            advance()
            return .literal(.string(text))
        case .symbol(.leftParen):
            advance()
            if current.isKeyword("SELECT") {
                try requireV2("A nested SELECT", at: current)
                advance()
                let query = try parseNestedQuery()
                try expectSymbol(.rightParen, "after the nested SELECT")
                return .subquery(query)
            }
            let inner = try parseExpression()
            try expectSymbol(.rightParen, "to close the parenthesis")
            return inner
        case .symbol(.leftBracket):
            try requireV2("An array literal", at: token)
            advance()
            var elements: [SQLExpression] = []
            if !consumeSymbol(.rightBracket) {
                repeat {
                    elements.append(try parseExpression())
                } while consumeSymbol(.comma)
                try expectSymbol(.rightBracket, "to close the array literal")
            }
            return .array(elements)
        case .symbol(.leftBrace):
            try requireV2("An object literal", at: token)
            advance()
            return try parseObjectLiteral()
        case .symbol(.star):
            throw error("'*' is allowed only as a SELECT item or a function argument", at: token)
        case .identifier(let name):
            if peek().isSymbol(.leftParen) {
                return try parseCall(name: name, at: token)
            }
            let upper = name.uppercased()
            switch upper {
            case "TRUE":
                advance()
                return .literal(.bool(true))
            case "FALSE":
                advance()
                return .literal(.bool(false))
            case "NULL":
                advance()
                return .literal(.null)
            case "CASE":
                advance()
                return try parseCase(at: token)
            default:
                if Self.reserved.contains(upper) {
                    throw error("Expected an expression, found keyword \(upper)", at: token)
                }
                advance()
                return .field(name)
            }
        case .end:
            throw error("Unexpected end of statement, expected an expression", at: token)
        case .symbol:
            throw error("Expected an expression, found \(token.quoted)", at: token)
        }
    }

    private mutating func parseNestedQuery() throws(SQLParseError) -> SQLQuery {
        let selection = try parseSelection()
        guard consumeKeyword("FROM") else {
            throw error("Expected FROM in the nested SELECT, found \(current.quoted)", at: current)
        }
        let source = try parseExpression()
        var condition: SQLExpression?
        if consumeKeyword("WHERE") {
            condition = try parseExpression()
        }
        return SQLQuery(selection: selection, source: .expression(source), condition: condition)
    }

    private mutating func parseObjectLiteral() throws(SQLParseError) -> SQLExpression {
        var members: [SQLExpression.ObjectMember] = []
        if consumeSymbol(.rightBrace) { return .object(members) }
        repeat {
            let key: String
            switch current.kind {
            case .string(let text, _): key = text
            case .identifier(let name): key = name
            default: throw error("Expected a key in the object literal, found \(current.quoted)", at: current)
            }
            advance()
            try expectSymbol(.colon, "after the key '\(key)'")
            members.append(.init(key: key, value: try parseExpression()))
        } while consumeSymbol(.comma)
        try expectSymbol(.rightBrace, "to close the object literal")
        return .object(members)
    }

    private mutating func parseCase(at start: SQLToken) throws(SQLParseError) -> SQLExpression {
        var operand: SQLExpression?
        if !current.isKeyword("WHEN") {
            operand = try parseExpression()
        }
        var branches: [SQLExpression.CaseExpression.Branch] = []
        while consumeKeyword("WHEN") {
            let when = try parseExpression()
            guard consumeKeyword("THEN") else {
                throw error("Expected THEN after WHEN, found \(current.quoted)", at: current)
            }
            branches.append(.init(when: when, then: try parseExpression()))
        }
        guard !branches.isEmpty else {
            throw error("CASE needs at least one WHEN clause, found \(current.quoted)", at: current)
        }
        let otherwise = consumeKeyword("ELSE") ? try parseExpression() : nil
        guard consumeKeyword("END") else {
            throw error("Expected END to close the CASE that starts here", at: start)
        }
        return .caseWhen(.init(operand: operand, branches: branches, otherwise: otherwise))
    }

    // MARK: Functions

    private mutating func parseCall(name: String, at token: SQLToken) throws(SQLParseError) -> SQLExpression {
        let lowercased = name.lowercased()
        if lowercased == "cast" {
            advance()
            advance()
            return try parseCast()
        }
        guard let function = SQLFunction(name: name) else {
            if SQLFunction.unsupported.contains(lowercased) {
                throw error("Function \(name) is not supported by Thingport", at: token)
            }
            throw error("Unknown function \(name)", at: token)
        }
        if function.requiresV2 {
            try requireV2("Function \(name)", at: token)
        }
        advance()
        advance()  // (
        var arguments: [SQLExpression] = []
        if !consumeSymbol(.rightParen) {
            repeat {
                if current.isSymbol(.star) && (peek().isSymbol(.comma) || peek().isSymbol(.rightParen)) {
                    advance()
                    arguments.append(.document)
                } else {
                    arguments.append(try parseExpression())
                }
            } while consumeSymbol(.comma)
            try expectSymbol(.rightParen, "to close the arguments of \(name)")
        }
        var literalPattern: SQLRegex.Compiled?
        switch function {
        case .regexp_matches, .regexp_replace, .regexp_substr:
            if arguments.count >= 2, case .literal(let pattern) = arguments[1], let text = pattern.stringValue {
                literalPattern = SQLRegex.Compiled(regex: SQLRegex(text))
            }
        case .encode, .decode:
            if arguments.count == 2, case .literal(let scheme) = arguments[1],
                scheme.stringValue?.lowercased() != "base64"
            {
                throw error("Function \(name) supports only the 'base64' scheme", at: token)
            }
        default:
            break
        }
        var encodesRawPayload = false
        if function == .encode, let first = arguments.first, case .document = first {
            encodesRawPayload = true
        }
        return .call(
            SQLFunctionCall(
                function: function, arguments: arguments, literalPattern: literalPattern,
                encodesRawPayload: encodesRawPayload))
    }

    /// `cast(expression AS type)`, after `cast(`.
    private mutating func parseCast() throws(SQLParseError) -> SQLExpression {
        let operand = try parseExpression()
        guard consumeKeyword("AS") else {
            throw error("Expected AS in cast(value AS type), found \(current.quoted)", at: current)
        }
        let typeToken = current
        guard case .identifier(let typeName) = typeToken.kind else {
            throw error("Expected a type name after AS in cast, found \(current.quoted)", at: current)
        }
        let type: SQLExpression.CastType
        switch typeName.lowercased() {
        case "string", "nvarchar", "text", "ntext", "varchar": type = .string
        case "int", "integer": type = .int
        case "double": type = .double
        case "decimal":
            try requireV2("cast to Decimal", at: typeToken)
            type = .decimal
        case "bool", "boolean":
            try requireV2("cast to Boolean", at: typeToken)
            type = .bool
        default:
            throw error("Unknown type \(typeName) in cast", at: typeToken)
        }
        advance()
        try expectSymbol(.rightParen, "to close cast")
        return .cast(operand, type)
    }
}
