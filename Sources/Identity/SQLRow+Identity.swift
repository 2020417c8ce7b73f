import Foundation
import SQLKit

/// Tags in and out of their JSON column.
enum TagsColumn {
    static func encode(_ tags: [IAMTag]) throws -> String {
        String(decoding: try JSONEncoder().encode(tags), as: UTF8.self)
    }

    static func decode(_ text: String) throws -> [IAMTag] {
        try JSONDecoder().decode([IAMTag].self, from: Data(text.utf8))
    }
}
