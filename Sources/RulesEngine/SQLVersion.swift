/// The `awsIotSqlVersion` of a topic rule, which selects the dialect of its SQL.
public enum SQLVersion: String, Sendable, Hashable, CaseIterable {
    /// The original SQL. Whole `Decimal` values stay `Decimal`; no object or array
    /// literals, nested queries, `encode`/`decode` and other later functions.
    case v2015_10_08 = "2015-10-08"
    /// The SQL that AWS recommends: literals, nested object queries, `SELECT VALUE` of an
    /// array, `encode`/`decode`; whole numbers such as `10.0` are processed as `Int`.
    case v2016_03_23 = "2016-03-23"
    /// AWS's most recent beta; Thingport treats it as 2016-03-23.
    case beta

    /// The version AWS IoT assumes when a rule does not name one.
    public static let `default`: SQLVersion = .v2015_10_08

    /// Whether this version has the 2016-03-23 features.
    var isV2: Bool { self != .v2015_10_08 }
}
