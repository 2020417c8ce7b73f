/// One condition, with its policy values substituted and parsed for its operator.
struct CompiledCondition: Sendable {
    /// The policy values, prepared for one operator family. Values whose variables could
    /// not be resolved, or that do not parse for the operator, are left out: they match
    /// nothing.
    enum Values: Sendable {
        case stringEquals([String])
        case stringEqualsIgnoreCase([String])
        case stringLike([GlobPattern])
        case numeric([Double], Comparison)
        case date([Double], Comparison)
        case bool([Bool])
        case binary([String])
        case ipAddress([IPAddressRange])
        case arn([ArnPattern])
        case null([Bool])
    }

    /// How a request value compares with a policy value.
    enum Comparison: Sendable {
        case equal, lessThan, lessThanOrEqual, greaterThan, greaterThanOrEqual

        @inline(__always)
        func holds(_ request: Double, _ policy: Double) -> Bool {
            switch self {
            case .equal: request == policy
            case .lessThan: request < policy
            case .lessThanOrEqual: request <= policy
            case .greaterThan: request > policy
            case .greaterThanOrEqual: request >= policy
            }
        }
    }

    /// The normalized context key.
    let key: String
    let conditionOperator: ConditionOperator
    let values: Values

    init(_ condition: PolicyCondition, substitutesVariables: Bool, lookup: (String) -> PolicyContext.Value?) {
        let conditionOperator = condition.operator
        let kind = conditionOperator.kind
        self.key = PolicyContext.normalizedKey(condition.key)
        self.conditionOperator = conditionOperator

        // Variables only in string and ARN operators; elsewhere the text is taken as is.
        let substitutes = substitutesVariables && kind.acceptsVariables
        let resolved: [[GlobPattern.Token]] = condition.values.compactMap {
            PolicyTemplate($0, substitutesVariables: substitutes).resolve(lookup)
        }
        let texts = resolved.map(\.joinedText)

        switch kind {
        case .stringEquals, .stringNotEquals:
            values = .stringEquals(texts)
        case .stringEqualsIgnoreCase, .stringNotEqualsIgnoreCase:
            values = .stringEqualsIgnoreCase(texts)
        case .stringLike, .stringNotLike:
            values = .stringLike(resolved.map { GlobPattern(tokens: $0) })
        case .numericEquals, .numericNotEquals:
            values = .numeric(texts.compactMap(Double.init), .equal)
        case .numericLessThan:
            values = .numeric(texts.compactMap(Double.init), .lessThan)
        case .numericLessThanEquals:
            values = .numeric(texts.compactMap(Double.init), .lessThanOrEqual)
        case .numericGreaterThan:
            values = .numeric(texts.compactMap(Double.init), .greaterThan)
        case .numericGreaterThanEquals:
            values = .numeric(texts.compactMap(Double.init), .greaterThanOrEqual)
        case .dateEquals, .dateNotEquals:
            values = .date(texts.compactMap(PolicyTimestamp.parse), .equal)
        case .dateLessThan:
            values = .date(texts.compactMap(PolicyTimestamp.parse), .lessThan)
        case .dateLessThanEquals:
            values = .date(texts.compactMap(PolicyTimestamp.parse), .lessThanOrEqual)
        case .dateGreaterThan:
            values = .date(texts.compactMap(PolicyTimestamp.parse), .greaterThan)
        case .dateGreaterThanEquals:
            values = .date(texts.compactMap(PolicyTimestamp.parse), .greaterThanOrEqual)
        case .bool:
            values = .bool(texts.compactMap(Self.parseBool))
        case .binaryEquals:
            values = .binary(texts)
        case .ipAddress, .notIpAddress:
            values = .ipAddress(texts.compactMap(IPAddressRange.init))
        case .arnEquals, .arnLike, .arnNotEquals, .arnNotLike:
            values = .arn(resolved.map { ArnPattern(tokens: $0) })
        case .null:
            values = .null(texts.compactMap(Self.parseBool))
        }
    }

    static func parseBool(_ text: String) -> Bool? {
        switch text.lowercased() {
        case "true": true
        case "false": false
        default: nil
        }
    }

    /// Whether the condition holds, given the request's value for the key (`nil` when the
    /// key is absent), following AWS's rules:
    /// - `Null`: `true` holds when the key is absent, `false` when it is present;
    /// - an absent key: `…IfExists` and `ForAllValues:` hold, `ForAnyValue:` does not,
    ///   otherwise negated operators hold and the others do not;
    /// - `ForAllValues:` needs every request value to match (vacuously true when empty),
    ///   `ForAnyValue:` at least one; without a qualifier any request value may match;
    /// - several policy values are alternatives (OR); a negated operator holds when none
    ///   matches (NOR).
    func evaluate(_ value: PolicyContext.Value?) -> Bool {
        if case .null(let expectations) = values {
            let isAbsent =
                switch value {
                case .none: true
                case .some(.multiple(let list)): list.isEmpty
                case .some(.single): false
                }
            return expectations.contains(isAbsent)
        }
        let negated = conditionOperator.kind.isNegated
        guard let value else {
            if conditionOperator.ifExists { return true }
            switch conditionOperator.qualifier {
            case .forAllValues: return true
            case .forAnyValue: return false
            case nil: return negated
            }
        }
        switch conditionOperator.qualifier {
        case .forAllValues:
            switch value {
            case .single(let item): return matchesAny(item) != negated
            case .multiple(let items):
                for item in items where matchesAny(item) == negated { return false }
                return true
            }
        case .forAnyValue:
            switch value {
            case .single(let item): return matchesAny(item) != negated
            case .multiple(let items):
                for item in items where matchesAny(item) != negated { return true }
                return false
            }
        case nil:
            switch value {
            case .single(let item): return matchesAny(item) != negated
            case .multiple(let items):
                var matched = false
                for item in items where matchesAny(item) {
                    matched = true
                    break
                }
                return matched != negated
            }
        }
    }

    /// Whether the request value matches at least one policy value under the operator's
    /// positive form (`StringNotEquals` is tested as `StringEquals`, and so on).
    private func matchesAny(_ item: String) -> Bool {
        switch values {
        case .stringEquals(let expected), .binary(let expected):
            return expected.contains(item)
        case .stringEqualsIgnoreCase(let expected):
            return expected.contains { equalsIgnoringCase($0, item) }
        case .stringLike(let patterns):
            return patterns.contains { $0.matches(item) }
        case .numeric(let numbers, let comparison):
            guard let number = Double(item) else { return false }
            return numbers.contains { comparison.holds(number, $0) }
        case .date(let dates, let comparison):
            guard let date = PolicyTimestamp.parse(item) else { return false }
            return dates.contains { comparison.holds(date, $0) }
        case .bool(let flags):
            guard let flag = Self.parseBool(item) else { return false }
            return flags.contains(flag)
        case .ipAddress(let ranges):
            guard let address = IPAddressRange.parseAddress(item[...]) else { return false }
            return ranges.contains { $0.contains(address) }
        case .arn(let patterns):
            return patterns.contains { $0.matches(item) }
        case .null:
            return false
        }
    }
}

/// Case-insensitive equality: ASCII folding without allocating, full Unicode lowercasing
/// when either side is not ASCII.
func equalsIgnoringCase(_ lhs: String, _ rhs: String) -> Bool {
    let asciiResult: Bool? = withUTF8Bytes(lhs) { left in
        withUTF8Bytes(rhs) { right in
            var index = 0
            var isASCII = true
            var equal = left.count == right.count
            while equal && index < left.count {
                let a = left[index]
                let b = right[index]
                if a >= 0x80 || b >= 0x80 {
                    isASCII = false
                    break
                }
                if a.asciiLowercased != b.asciiLowercased { equal = false }
                index += 1
            }
            if !equal {
                // Different lengths can still be equal under Unicode case folding.
                return left.contains { $0 >= 0x80 } || right.contains { $0 >= 0x80 } ? nil : false
            }
            return isASCII ? true : nil
        }
    }
    return asciiResult ?? (lhs.lowercased() == rhs.lowercased())
}
