/// Walks a compiled query over one message.
struct SQLEvaluator {
    let semantics: SQLSemantics
    let version: SQLVersion
    let context: SQLContext
    /// The payload as published, for `encode(*, 'base64')`.
    let rawPayload: UnsafeRawBufferPointer

    // MARK: Queries

    /// Runs the top-level query: WHERE first, then SELECT.
    func run(_ query: SQLQuery, document: SQLValue) throws(SQLEvaluationError) -> SQLResult {
        if let condition = query.condition, !isTrue(evaluate(condition, in: document)) {
            return .notMatched
        }
        return .matched(try select(query.selection, from: document))
    }

    /// Whether a WHERE clause (or a searched CASE branch) holds: `true`, or the string `true`.
    @inline(__always)
    func isTrue(_ value: SQLValue) -> Bool {
        value.boolValue == true
    }

    func select(_ selection: SQLQuery.Selection, from document: SQLValue) throws(SQLEvaluationError) -> SQLValue {
        switch selection {
        case .value(let expression):
            return evaluate(expression, in: document)
        case .projections(let projections):
            if projections.count == 1, case .all(alias: nil) = projections[0] {
                return document
            }
            var output = SQLObject()
            output.reserveCapacity(projections.count)
            for projection in projections {
                switch projection {
                case .all(let alias?):
                    output[alias] = document
                case .all(alias: nil):
                    guard case .object(let members) = document else {
                        throw SQLEvaluationError(
                            "SELECT * combined with other items needs a payload that is a JSON object, not \(document.typeName)"
                        )
                    }
                    if output.isEmpty {
                        output = members
                    } else {
                        for member in members.members { output[member.key] = member.value }
                    }
                case .allOf(let expression):
                    if case .object(let members) = evaluate(expression, in: document) {
                        for member in members.members { output[member.key] = member.value }
                    }
                case .expression(let expression, let name):
                    output[name] = evaluate(expression, in: document)
                }
            }
            return .object(output)
        }
    }

    /// A nested query: over each element of an array source (an array of results), or
    /// over an object source (one result).
    func evaluateSubquery(_ query: SQLQuery, in document: SQLValue) -> SQLValue {
        guard case .expression(let sourceExpression) = query.source else { return .undefined }
        let source = evaluate(sourceExpression, in: document)
        func result(for element: SQLValue) -> SQLValue {
            if let condition = query.condition, !isTrue(evaluate(condition, in: element)) { return .undefined }
            return (try? select(query.selection, from: element)) ?? .undefined
        }
        switch source {
        case .array(let elements):
            var results: [SQLValue] = []
            results.reserveCapacity(elements.count)
            for element in elements {
                let value = result(for: element)
                if !value.isUndefined { results.append(value) }
            }
            return .array(results)
        case .object:
            return result(for: source)
        default:
            return .undefined
        }
    }

    // MARK: Expressions

    func evaluate(_ expression: SQLExpression, in document: SQLValue) -> SQLValue {
        switch expression {
        case .literal(let value):
            return value
        case .field(let name):
            return document[name]
        case .member(let base, let name):
            return evaluate(base, in: document)[name]
        case .index(let base, let position):
            let collection = evaluate(base, in: document)
            guard case .array(let elements) = collection,
                let offset = evaluate(position, in: document).intValue, offset >= 0, offset < elements.count
            else { return .undefined }
            return elements[Int(offset)]
        case .document:
            return document
        case .array(let elements):
            var values: [SQLValue] = []
            values.reserveCapacity(elements.count)
            for element in elements {
                let value = evaluate(element, in: document)
                if !value.isUndefined { values.append(value) }
            }
            return .array(values)
        case .object(let members):
            var object = SQLObject()
            object.reserveCapacity(members.count)
            for member in members {
                object[member.key] = evaluate(member.value, in: document)
            }
            return .object(object)
        case .unary(let op, let operand):
            let value = evaluate(operand, in: document)
            switch op {
            case .negate: return semantics.negate(value)
            case .not: return semantics.not(value)
            }
        case .binary(let op, let leftExpression, let rightExpression):
            let left = evaluate(leftExpression, in: document)
            let right = evaluate(rightExpression, in: document)
            switch op {
            case .and: return semantics.and(left, right)
            case .or: return semantics.or(left, right)
            case .equal: return semantics.equals(left, right)
            case .notEqual: return semantics.notEquals(left, right)
            case .less: return semantics.compare(left, right) { $0 < 0 }
            case .lessOrEqual: return semantics.compare(left, right) { $0 <= 0 }
            case .greater: return semantics.compare(left, right) { $0 > 0 }
            case .greaterOrEqual: return semantics.compare(left, right) { $0 >= 0 }
            case .isIn: return semantics.isIn(left, right)
            case .add: return semantics.add(left, right)
            case .subtract: return semantics.subtract(left, right)
            case .multiply: return semantics.multiply(left, right)
            case .divide: return semantics.divide(left, right)
            case .remainder: return semantics.remainder(left, right)
            }
        case .caseWhen(let caseExpression):
            return evaluateCase(caseExpression, in: document)
        case .call(let call):
            return evaluateCall(call, in: document)
        case .cast(let operand, let type):
            return cast(evaluate(operand, in: document), to: type)
        case .subquery(let query):
            return evaluateSubquery(query, in: document)
        }
    }

    private func evaluateCase(_ expression: SQLExpression.CaseExpression, in document: SQLValue) -> SQLValue {
        if let operandExpression = expression.operand {
            let operand = evaluate(operandExpression, in: document)
            if operand.isUndefined { return .undefined }
            for branch in expression.branches {
                let candidate = evaluate(branch.when, in: document)
                if !candidate.isUndefined && semantics.sqlEqual(operand, candidate) {
                    return evaluate(branch.then, in: document)
                }
            }
        } else {
            for branch in expression.branches where isTrue(evaluate(branch.when, in: document)) {
                return evaluate(branch.then, in: document)
            }
        }
        if let otherwise = expression.otherwise { return evaluate(otherwise, in: document) }
        return .undefined
    }

    /// `cast(value AS type)`: the standard conversions, plus numbers to and from booleans.
    func cast(_ value: SQLValue, to type: SQLExpression.CastType) -> SQLValue {
        switch type {
        case .string:
            return value.stringValue.map(SQLValue.string) ?? .undefined
        case .int:
            switch value {
            case .bool(let flag): return .int(flag ? 1 : 0)
            case .int, .decimal, .string: return value.flooredIntValue.map(SQLValue.int) ?? .undefined
            default: return .undefined
            }
        case .double, .decimal:
            switch value {
            case .bool(let flag): return semantics.decimal(flag ? 1 : 0)
            case .int(let number) where type == .decimal && semantics.wholeNumbersAsInt: return .int(number)
            default: return value.decimalValue.map { semantics.decimal($0) } ?? .undefined
            }
        case .bool:
            switch value {
            case .int(let number): return .bool(number != 0)
            case .decimal(let number): return .bool(number != 0)
            default: return value.boolValue.map(SQLValue.bool) ?? .undefined
            }
        }
    }
}
