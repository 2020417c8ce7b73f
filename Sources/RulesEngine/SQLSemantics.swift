/// The rules that depend on the SQL version, shared by operators and functions.
struct SQLSemantics: Sendable {
    /// SQL 2016-03-23 (and beta) treat whole `Decimal` values such as `10.0` as `Int`.
    let wholeNumbersAsInt: Bool

    init(version: SQLVersion) {
        wholeNumbersAsInt = version != .v2015_10_08
    }

    /// A `Decimal` result: `Undefined` when not finite (AWS returns `Undefined` for
    /// imaginary and out-of-range results), an `Int` when whole under SQL 2016-03-23.
    @inline(__always)
    func decimal(_ value: Double) -> SQLValue {
        guard value.isFinite else { return .undefined }
        return wholeNumbersAsInt ? SQLValue.number(value) : .decimal(value)
    }

    /// An `Int` result computed as a `Double` (`ceil`, `round`…): an `Int` when it fits.
    @inline(__always)
    func integral(_ value: Double) -> SQLValue {
        guard value.isFinite else { return .undefined }
        if abs(value) < 9.2e18 { return .int(Int64(value)) }
        return .decimal(value)
    }
}
