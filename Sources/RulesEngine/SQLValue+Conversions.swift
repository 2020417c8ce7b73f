/// The standard conversions of the AWS IoT SQL reference ("Data types", "Conversions"):
/// what an operator or function does with a value of a type it did not expect. `nil`
/// means the conversion fails and the operation yields ``SQLValue/undefined``.
extension SQLValue {
    /// A number that keeps the `Int`/`Decimal` distinction.
    enum Number {
        case int(Int64)
        case decimal(Double)

        var double: Double {
            switch self {
            case .int(let value): Double(value)
            case .decimal(let value): value
            }
        }
    }

    /// An `Int` or `Decimal` as is, or a numeric string as a `Decimal`.
    var number: Number? {
        switch self {
        case .int(let value): .int(value)
        case .decimal(let value): .decimal(value)
        case .string(let text): SQLValue.parseDecimalString(text).map(Number.decimal)
        default: nil
        }
    }

    /// Conversion to `Decimal`: numbers, and strings that match AWS's number pattern.
    var decimalValue: Double? { number?.double }

    /// Conversion to `Int` as the "To Int" table has it: a `Decimal` is rounded to the
    /// nearest `Int`; a string is parsed as a `Decimal` whose fraction is truncated.
    var intValue: Int64? {
        switch self {
        case .int(let value): value
        case .decimal(let value): SQLValue.clampedInt(value.rounded(.toNearestOrAwayFromZero))
        case .string(let text): SQLValue.parseDecimalString(text).map { SQLValue.clampedInt($0.rounded(.towardZero)) }
        default: nil
        }
    }

    /// Conversion to `Int` for functions whose arguments are "rounded down to the nearest
    /// Int" (bit operations, `lpad`, `substring`…): numbers and numeric strings, floored.
    var flooredIntValue: Int64? {
        switch self {
        case .int(let value): value
        case .decimal(let value): SQLValue.clampedInt(value.rounded(.down))
        case .string(let text): SQLValue.parseDecimalString(text).map { SQLValue.clampedInt($0.rounded(.down)) }
        default: nil
        }
    }

    /// Conversion to `Boolean`: booleans, and the strings `true`/`false` in any case.
    var boolValue: Bool? {
        switch self {
        case .bool(let value): return value
        case .string(let text):
            if text.utf8.count == 4, text.lowercased() == "true" { return true }
            if text.utf8.count == 5, text.lowercased() == "false" { return false }
            return nil
        default: return nil
        }
    }

    /// Conversion to `String`: numbers in standard notation, `true`/`false`, arrays and
    /// objects as JSON. `Null` and `Undefined` do not convert. A binary payload converts
    /// to its bytes read as UTF-8.
    var stringValue: String? {
        switch self {
        case .string(let text): text
        case .int(let value): String(value)
        case .decimal(let value): SQLValue.format(value)
        case .bool(let value): value ? "true" : "false"
        case .array, .object: jsonString
        case .binary(let bytes): String(decoding: bytes, as: UTF8.self)
        case .null, .undefined: nil
        }
    }

    /// Parses a string that matches AWS's pattern for numbers, `^-?\d+(\.\d+)?((?i)E-?\d+)?$`.
    static func parseDecimalString(_ text: String) -> Double? {
        let utf8 = text.utf8
        var index = utf8.startIndex
        let end = utf8.endIndex
        func skipDigits() -> Bool {
            let start = index
            while index < end, utf8[index] >= UInt8(ascii: "0"), utf8[index] <= UInt8(ascii: "9") {
                utf8.formIndex(after: &index)
            }
            return index != start
        }
        if index < end, utf8[index] == UInt8(ascii: "-") { utf8.formIndex(after: &index) }
        guard skipDigits() else { return nil }
        if index < end, utf8[index] == UInt8(ascii: ".") {
            utf8.formIndex(after: &index)
            guard skipDigits() else { return nil }
        }
        if index < end, utf8[index] == UInt8(ascii: "e") || utf8[index] == UInt8(ascii: "E") {
            utf8.formIndex(after: &index)
            if index < end, utf8[index] == UInt8(ascii: "-") { utf8.formIndex(after: &index) }
            guard skipDigits() else { return nil }
        }
        guard index == end, let value = Double(text), value.isFinite else { return nil }
        return value
    }

    /// A whole `Double` as an `Int64`, saturating at the ends of its range.
    static func clampedInt(_ value: Double) -> Int64 {
        if value.isNaN { return 0 }
        if value >= 9_223_372_036_854_775_807.0 { return .max }
        if value <= -9_223_372_036_854_775_808.0 { return .min }
        return Int64(value)
    }
}
