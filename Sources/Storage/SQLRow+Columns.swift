import Foundation
import SQLKit

/// Reading columns as ``Database`` stores them on both engines: text, integers as `BIGINT`,
/// flags as `0`/`1`, times as milliseconds since 1970.
extension SQLRow {
    /// A `TEXT` column.
    public func string(_ column: String) throws -> String {
        try decode(column: column, as: String.self)
    }

    /// A nullable `TEXT` column.
    public func optionalString(_ column: String) throws -> String? {
        try decode(column: column, as: String?.self)
    }

    /// A `BIGINT` column.
    public func int64(_ column: String) throws -> Int64 {
        Int64(try decode(column: column, as: Int.self))
    }

    /// A nullable `BIGINT` column.
    public func optionalInt64(_ column: String) throws -> Int64? {
        try decode(column: column, as: Int?.self).map(Int64.init)
    }

    /// A flag stored as `0`/`1`.
    public func bool(_ column: String) throws -> Bool {
        try decode(column: column, as: Int.self) != 0
    }

    /// A time stored as milliseconds since 1970.
    public func date(_ column: String) throws -> Date {
        Date(millisecondsSince1970: try int64(column))
    }

    /// A nullable time stored as milliseconds since 1970.
    public func optionalDate(_ column: String) throws -> Date? {
        try optionalInt64(column).map(Date.init(millisecondsSince1970:))
    }
}

extension Date {
    /// The time `milliseconds` after 1970 (how ``Database`` stores times).
    public init(millisecondsSince1970 milliseconds: Int64) {
        self.init(timeIntervalSince1970: Double(milliseconds) / 1000)
    }

    /// Milliseconds since 1970, rounded (how ``Database`` stores times).
    public var millisecondsSince1970: Int64 {
        Int64((timeIntervalSince1970 * 1000).rounded())
    }
}
