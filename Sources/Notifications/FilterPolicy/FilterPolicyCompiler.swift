import JSON

/// Validates a parsed filter policy the way SNS does and turns it into alternatives of
/// fields (the policy in disjunctive normal form: `$or` multiplies the alternatives).
///
/// Error texts are the ones SNS returns (its policies are compiled by AWS Event Ruler).
struct FilterPolicyCompiler {
    typealias Field = FilterPolicy.Field
    typealias Condition = FilterPolicy.Condition
    typealias ValidationError = FilterPolicy.ValidationError

    let scope: FilterPolicy.Scope

    /// Match-expression names that keep `$or` from being read as an operator when they
    /// appear as keys of its objects.
    private static let reservedNames: Set<String> = [
        "anything-but", "cidr", "equals-ignore-case", "exists", "numeric", "prefix", "suffix", "wildcard",
    ]

    func compile(_ document: JSONValue) throws(ValidationError) -> [[Field]] {
        guard case .object(let members) = document else { throw .policy("Filter is not an object") }
        let alternatives = members.isEmpty ? [[]] : try compileObject(members, path: "", depth: 1)
        // SNS checks the scope only once the policy is otherwise well formed.
        if scope == .messageAttributes, alternatives.contains(where: { $0.contains { $0.depth > 1 } }) {
            throw ValidationError("Filter policy scope MessageAttributes does not support nested filter policy")
        }
        for fields in alternatives where fields.count > FilterPolicy.maximumKeys {
            throw .policy("Filter policy can not have more than \(FilterPolicy.maximumKeys) keys")
        }
        var combinations = 0
        for fields in alternatives {
            var product = 1
            for field in fields {
                product *= field.conditions.count * field.depth
                if product > FilterPolicy.maximumCombinations { break }
            }
            combinations += product
            if combinations > FilterPolicy.maximumCombinations { throw .policy("Filter policy is too complex") }
        }
        return alternatives
    }

    // MARK: Structure

    /// The alternatives an object of the policy stands for.
    private func compileObject(_ members: [JSONValue.Member], path: String, depth: Int) throws(ValidationError)
        -> [[Field]]
    {
        guard !members.isEmpty else { throw .policy("Empty objects are not allowed") }
        var alternatives: [[Field]] = [[]]
        for member in members {
            let memberPath = path.isEmpty ? member.key : path + "." + member.key
            switch member.value {
            case .array(let elements) where member.key == "$or" && isOrGroup(elements):
                var choices: [[Field]] = []
                for element in elements {
                    choices += try compileObject(element.members ?? [], path: path, depth: depth)
                }
                alternatives = try combine(alternatives, with: choices)
            case .array(let elements):
                let field = Field(path: memberPath, conditions: try conditions(elements), depth: depth)
                alternatives = alternatives.map { merge($0, [field]) }
            case .object(let nested):
                alternatives = try combine(
                    alternatives, with: try compileObject(nested, path: memberPath, depth: depth + 1))
            default:
                throw .policy("\"\(member.key)\" must be an object or an array")
            }
        }
        return alternatives
    }

    /// SNS reads `"$or"` as an operator only when it holds at least two objects and none of
    /// them uses a match-expression name as a key; otherwise it is an ordinary key.
    private func isOrGroup(_ elements: [JSONValue]) -> Bool {
        guard elements.count >= 2 else { return false }
        return elements.allSatisfy { element in
            guard case .object(let members) = element else { return false }
            return !members.contains { Self.reservedNames.contains($0.key) }
        }
    }

    /// Every alternative of `left` joined with every one of `right`.
    private func combine(_ left: [[Field]], with right: [[Field]]) throws(ValidationError) -> [[Field]] {
        // Each alternative adds at least one combination, so past the limit the policy is too
        // complex whatever its values; stopping here also bounds the expansion.
        guard left.count * right.count <= FilterPolicy.maximumCombinations else {
            throw .policy("Filter policy is too complex")
        }
        return left.flatMap { fields in right.map { merge(fields, $0) } }
    }

    /// `fields` with `more` added; a key given again replaces the earlier one.
    private func merge(_ fields: [Field], _ more: [Field]) -> [Field] {
        var merged = fields
        for field in more {
            if let index = merged.firstIndex(where: { $0.path == field.path }) {
                merged[index] = field
            } else {
                merged.append(field)
            }
        }
        return merged
    }

    // MARK: Conditions

    private func conditions(_ elements: [JSONValue]) throws(ValidationError) -> [Condition] {
        guard !elements.isEmpty else { throw .policy("Empty arrays are not allowed") }
        var conditions: [Condition] = []
        conditions.reserveCapacity(elements.count)
        for element in elements {
            switch element {
            case .string(let text): conditions.append(.exactString(text))
            case .number(let text): conditions.append(.exactNumber(FilterPolicy.Number(text: text)))
            case .bool(let flag): conditions.append(.exactBool(flag))
            case .null: conditions.append(.exactNull)
            case .object(let members): conditions.append(try matchExpression(members))
            case .array: throw .policy("Match value must be String, number, true, false, or null")
            }
        }
        return conditions
    }

    /// A `{"operator": operand}` object of a key's array.
    private func matchExpression(_ members: [JSONValue.Member]) throws(ValidationError) -> Condition {
        guard let first = members.first else { throw .policy("Match expression name not found") }
        let condition: Condition
        var extraKeyMessage = "Only one key allowed in match expression"
        switch first.key {
        case "prefix":
            condition = .prefix(try patternString(first))
        case "suffix":
            condition = .suffix(try patternString(first))
        case "equals-ignore-case":
            condition = .equalsIgnoreCase(try patternString(first).lowercased())
        case "exists":
            guard case .bool(let flag) = first.value else {
                throw .policy("exists match pattern must be either true or false.")
            }
            condition = .exists(flag)
        case "anything-but":
            condition = .anythingBut(try anythingBut(first.value))
            extraKeyMessage = "Too many elements in numeric expression"
        case "numeric":
            guard case .array(let operands) = first.value else { throw .policy("Value of numeric must be an array.") }
            condition = .numeric(try numericRange(operands))
            extraKeyMessage = "Too many elements in numeric expression"
        default:
            throw .policy("Unrecognized match type \(first.key)")
        }
        guard members.count == 1 else { throw .policy(extraKeyMessage) }
        return condition
    }

    private func patternString(_ member: JSONValue.Member) throws(ValidationError) -> String {
        guard case .string(let text) = member.value else {
            throw .policy("\(member.key) match pattern must be a string")
        }
        return text
    }

    private func anythingBut(_ operand: JSONValue) throws(ValidationError) -> Condition.AnythingBut {
        switch operand {
        case .string(let text):
            return .strings([text])
        case .number(let text):
            return .numbers([FilterPolicy.Number(text: text)])
        case .array(let elements):
            var strings: Set<String> = []
            var numbers: [FilterPolicy.Number] = []
            for element in elements {
                switch element {
                case .string(let text): strings.insert(text)
                case .number(let text): numbers.append(FilterPolicy.Number(text: text))
                default: throw .policy("Inside anything but list, start|null|boolean is not supported.")
                }
            }
            guard strings.isEmpty != numbers.isEmpty else {
                throw .policy(
                    "Inside anything but list, either all values are number or string, mixed type is not supported")
            }
            return strings.isEmpty ? .numbers(numbers) : .strings(strings)
        case .object(let members):
            guard let first = members.first else { throw .policy("Anything-But expression name not found") }
            guard first.key == "prefix" || first.key == "suffix" else {
                throw .policy("Unsupported anything-but pattern: \(first.key)")
            }
            let pattern = try patternString(first)
            guard !pattern.isEmpty else { throw .policy("Null prefix/suffix not allowed") }
            guard members.count == 1 else { throw .policy("Only one key allowed in match expression") }
            return first.key == "prefix" ? .prefix(pattern) : .suffix(pattern)
        case .bool, .null:
            throw .policy("Value of anything-but must be an array or single string/number value.")
        }
    }

    // MARK: Numeric

    /// `["op", n]` with op one of `=`, `<`, `<=`, `>`, `>=`, or a range
    /// `[">" or ">=", low, "<" or "<=", high]`.
    private func numericRange(_ operands: [JSONValue]) throws(ValidationError) -> FilterPolicy.NumericRange {
        guard let first = operands.first else { throw .policy("Invalid member in numeric match: ]") }
        guard case .string(let op) = first else {
            throw .policy("Invalid member in numeric match: \(tokenText(first))")
        }
        guard ["=", "<", "<=", ">", ">="].contains(op) else {
            throw .policy("Unrecognized numeric range operator: \(op)")
        }
        let value = try numericOperand(operands, at: 1, operator: op == "=" ? "equals" : op)
        var range = FilterPolicy.NumericRange()
        switch op {
        case "=", "<", "<=":
            guard operands.count == 2 else { throw .policy("Too many elements in numeric expression") }
            let bound = FilterPolicy.NumericRange.Bound(key: try rangeKey(value), isInclusive: op != "<")
            range.upper = bound
            if op == "=" { range.lower = bound }
        default:
            range.lower = .init(key: try rangeKey(value), isInclusive: op == ">=")
            guard operands.count > 2 else { break }
            guard case .string(let topOperator) = operands[2] else {
                throw .policy("Bad value in numeric range: \(tokenText(operands[2]))")
            }
            guard topOperator == "<" || topOperator == "<=" else {
                throw .policy("Bad numeric range operator: \(topOperator)")
            }
            let top = try numericOperand(operands, at: 3, operator: topOperator)
            guard operands.count == 4 else { throw .policy("Too many terms in numeric range expression") }
            range.upper = .init(key: try rangeKey(top), isInclusive: topOperator == "<=")
            guard range.upper!.key > range.lower!.key else { throw .policy("Bottom must be less than top") }
        }
        return range
    }

    private func numericOperand(_ operands: [JSONValue], at index: Int, operator name: String) throws(ValidationError)
        -> FilterPolicy.Number
    {
        guard index < operands.count, case .number(let text) = operands[index] else {
            throw .policy("Value of \(name) must be numeric")
        }
        return FilterPolicy.Number(text: text)
    }

    private func rangeKey(_ number: FilterPolicy.Number) throws(ValidationError) -> Int64 {
        guard let key = number.key else { throw .policy("Value must be between -1.0E9 and 1.0E9, inclusive") }
        return key
    }

    /// How the JSON reader shows a token in messages: its text, or the bracket it opens.
    private func tokenText(_ value: JSONValue) -> String {
        switch value {
        case .null: "null"
        case .bool(let flag): flag ? "true" : "false"
        case .number(let text), .string(let text): text
        case .array: "["
        case .object: "{"
        }
    }
}
