import Foundation
import SQLKit

extension SQLRow {
    func string(_ column: String) throws -> String {
        try decode(column: column, as: String.self)
    }

    func optionalString(_ column: String) throws -> String? {
        try decode(column: column, as: String?.self)
    }

    func int64(_ column: String) throws -> Int64 {
        Int64(try decode(column: column, as: Int.self))
    }

    func optionalInt64(_ column: String) throws -> Int64? {
        try decode(column: column, as: Int?.self).map(Int64.init)
    }

    func bool(_ column: String) throws -> Bool {
        try decode(column: column, as: Int.self) != 0
    }

    func date(_ column: String) throws -> Date {
        Date(millisecondsSince1970: try int64(column))
    }

    func optionalDate(_ column: String) throws -> Date? {
        try optionalInt64(column).map(Date.init(millisecondsSince1970:))
    }
}

extension Date {
    init(millisecondsSince1970 milliseconds: Int64) {
        self.init(timeIntervalSince1970: Double(milliseconds) / 1000)
    }

    var millisecondsSince1970: Int64 {
        Int64((timeIntervalSince1970 * 1000).rounded())
    }
}

/// JSON text in and out of TEXT columns, with sorted keys so equal values store equal text.
enum JSONText {
    static func encode<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func decode<T: Decodable>(_ type: T.Type, from text: String) throws -> T {
        try JSONDecoder().decode(type, from: Data(text.utf8))
    }
}
