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

    func date(_ column: String) throws -> Date {
        Date(timeIntervalSince1970: Double(try int64(column)) / 1000)
    }
}

/// Tags in and out of their JSON column.
enum TagsColumn {
    static func encode(_ tags: [IAMTag]) throws -> String {
        String(decoding: try JSONEncoder().encode(tags), as: UTF8.self)
    }

    static func decode(_ text: String) throws -> [IAMTag] {
        try JSONDecoder().decode([IAMTag].self, from: Data(text.utf8))
    }
}
