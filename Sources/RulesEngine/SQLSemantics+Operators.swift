/// The operators of the AWS IoT SQL reference ("Operators"), with its tables of operand
/// types: anything the tables do not list yields `Undefined`.
extension SQLSemantics {
    // MARK: Logic

    /// `AND`: booleans, or the strings `true`/`false` in any case.
    func and(_ left: SQLValue, _ right: SQLValue) -> SQLValue {
        guard let l = left.boolValue, let r = right.boolValue else { return .undefined }
        return .bool(l && r)
    }

    /// `OR`: booleans, or the strings `true`/`false` in any case.
    func or(_ left: SQLValue, _ right: SQLValue) -> SQLValue {
        guard let l = left.boolValue, let r = right.boolValue else { return .undefined }
        return .bool(l || r)
    }

    /// `NOT`: a boolean, or the string `true`/`false` in any case.
    func not(_ operand: SQLValue) -> SQLValue {
        guard let value = operand.boolValue else { return .undefined }
        return .bool(!value)
    }

    // MARK: Equality

    /// `=`: `Undefined` if either side is; numbers compare across `Int` and `Decimal`;
    /// arrays element by element in order; objects by keys and values in any order;
    /// values of different types are not equal.
    func equals(_ left: SQLValue, _ right: SQLValue) -> SQLValue {
        if left.isUndefined || right.isUndefined { return .undefined }
        return .bool(sqlEqual(left, right))
    }

    /// `<>` and `!=`: the negation of `=`, `Undefined` if either side is.
    func notEquals(_ left: SQLValue, _ right: SQLValue) -> SQLValue {
        if left.isUndefined || right.isUndefined { return .undefined }
        return .bool(!sqlEqual(left, right))
    }

    func sqlEqual(_ left: SQLValue, _ right: SQLValue) -> Bool {
        switch (left, right) {
        case (.int(let l), .int(let r)): return l == r
        case (.int(let l), .decimal(let r)): return Double(l) == r
        case (.decimal(let l), .int(let r)): return l == Double(r)
        case (.decimal(let l), .decimal(let r)): return l == r
        case (.string(let l), .string(let r)): return l == r
        case (.bool(let l), .bool(let r)): return l == r
        case (.null, .null): return true
        case (.array(let l), .array(let r)):
            guard l.count == r.count else { return false }
            for index in l.indices where !sqlEqual(l[index], r[index]) { return false }
            return true
        case (.object(let l), .object(let r)):
            guard l.count == r.count else { return false }
            for member in l.members {
                let other = r[member.key]
                if other.isUndefined || !sqlEqual(member.value, other) { return false }
            }
            return true
        case (.binary(let l), .binary(let r)): return l == r
        default: return false
        }
    }

    // MARK: Ordering

    /// `<`, `<=`, `>`, `>=`: both sides converted to `Decimal` (numbers and numeric
    /// strings); anything else is `Undefined`.
    func compare(_ left: SQLValue, _ right: SQLValue, _ holds: (Int) -> Bool) -> SQLValue {
        switch (left, right) {
        case (.int(let l), .int(let r)):
            return .bool(holds(l < r ? -1 : l == r ? 0 : 1))
        default:
            guard let l = left.decimalValue, let r = right.decimalValue else { return .undefined }
            return .bool(holds(l < r ? -1 : l == r ? 0 : 1))
        }
    }

    // MARK: Arithmetic

    /// `+`: string concatenation when either side is a string (the other converted to a
    /// string), otherwise addition of numbers.
    func add(_ left: SQLValue, _ right: SQLValue) -> SQLValue {
        switch (left, right) {
        case (.int(let l), .int(let r)):
            let (sum, overflow) = l.addingReportingOverflow(r)
            return overflow ? decimal(Double(l) + Double(r)) : .int(sum)
        case (.int, .decimal), (.decimal, .int), (.decimal, .decimal):
            return decimal(left.decimalValue! + right.decimalValue!)
        case (.string(let l), _):
            guard let r = right.stringValue else { return .undefined }
            return .string(l + r)
        case (_, .string(let r)):
            guard let l = left.stringValue else { return .undefined }
            return .string(l + r)
        default:
            return .undefined
        }
    }

    /// `-`: numbers, and numeric strings as `Decimal`.
    func subtract(_ left: SQLValue, _ right: SQLValue) -> SQLValue {
        if case .int(let l) = left, case .int(let r) = right {
            let (difference, overflow) = l.subtractingReportingOverflow(r)
            return overflow ? decimal(Double(l) - Double(r)) : .int(difference)
        }
        guard let l = left.decimalValue, let r = right.decimalValue else { return .undefined }
        return decimal(l - r)
    }

    /// `*`: numbers, and numeric strings as `Decimal`.
    func multiply(_ left: SQLValue, _ right: SQLValue) -> SQLValue {
        if case .int(let l) = left, case .int(let r) = right {
            let (product, overflow) = l.multipliedReportingOverflow(by: r)
            return overflow ? decimal(Double(l) * Double(r)) : .int(product)
        }
        guard let l = left.decimalValue, let r = right.decimalValue else { return .undefined }
        return decimal(l * r)
    }

    /// `/`: `Int` division truncates toward zero; division by zero is `Undefined`.
    func divide(_ left: SQLValue, _ right: SQLValue) -> SQLValue {
        if case .int(let l) = left, case .int(let r) = right {
            guard r != 0 else { return .undefined }
            let (quotient, overflow) = l.dividedReportingOverflow(by: r)
            return overflow ? decimal(Double(l) / Double(r)) : .int(quotient)
        }
        guard let l = left.decimalValue, let r = right.decimalValue, r != 0 else { return .undefined }
        return decimal(l / r)
    }

    /// `%`, `mod` and `remainder`: the remainder takes the sign of the dividend.
    func remainder(_ left: SQLValue, _ right: SQLValue) -> SQLValue {
        if case .int(let l) = left, case .int(let r) = right {
            guard r != 0 else { return .undefined }
            let (remainder, overflow) = l.remainderReportingOverflow(dividingBy: r)
            return .int(overflow ? 0 : remainder)
        }
        guard let l = left.decimalValue, let r = right.decimalValue, r != 0 else { return .undefined }
        return decimal(l.truncatingRemainder(dividingBy: r))
    }

    /// Unary `-`: numbers, and numeric strings as `Decimal`.
    func negate(_ operand: SQLValue) -> SQLValue {
        switch operand {
        case .int(let value):
            return value == .min ? decimal(-Double(value)) : .int(-value)
        case .decimal(let value):
            return .decimal(-value)
        default:
            guard let value = operand.decimalValue else { return .undefined }
            return decimal(-value)
        }
    }

    // MARK: Membership

    /// `IN`: whether the right-hand array holds an element `=` to the left-hand value.
    func isIn(_ value: SQLValue, _ collection: SQLValue) -> SQLValue {
        guard !value.isUndefined, case .array(let elements) = collection else { return .undefined }
        return .bool(elements.contains { sqlEqual(value, $0) })
    }
}
