extension SQLValue {
    /// Parses a JSON document; `nil` when `bytes` is not one well-formed JSON value.
    ///
    /// - Parameter wholeNumbersAsInt: whether numbers such as `10.0` become `Int` values,
    ///   as SQL version 2016-03-23 does.
    public static func parseJSON(_ bytes: UnsafeRawBufferPointer, wholeNumbersAsInt: Bool = true) -> SQLValue? {
        JSONParser.parse(bytes, wholeNumbersAsInt: wholeNumbersAsInt)
    }

    /// Parses a JSON document; `nil` when `text` is not one well-formed JSON value.
    public static func parseJSON(_ text: String, wholeNumbersAsInt: Bool = true) -> SQLValue? {
        var text = text
        return text.withUTF8 { JSONParser.parse(UnsafeRawBufferPointer($0), wholeNumbersAsInt: wholeNumbersAsInt) }
    }

    /// A `Decimal` result in SQL 2016-03-23: whole values that fit `Int64` become `Int`.
    static func number(_ double: Double) -> SQLValue {
        if double == double.rounded(.towardZero), abs(double) < 9.2e18 { return .int(Int64(double)) }
        return .decimal(double)
    }
}
