import Foundation

/// Paging positions (the sort key of the last item returned) as opaque `NextToken`s.
enum PageToken {
    private static let prefix = "sns1:"
    /// Items per page of every SNS listing, as AWS.
    static let pageSize = 100

    static func encode(_ key: String) -> String {
        Data((prefix + key).utf8).base64EncodedString()
    }

    /// The key inside `token`, or nil for the first page.
    static func decode(_ token: String?) throws(NotificationError) -> String? {
        guard let token else { return nil }
        guard let data = Data(base64Encoded: token), let text = String(data: data, encoding: .utf8),
            text.hasPrefix(prefix)
        else {
            throw .invalidParameter("Invalid parameter: NextToken")
        }
        return String(text.dropFirst(prefix.count))
    }

    /// Cuts `rows` (fetched with one extra) to a page; the token is the key of the last row kept.
    static func page<Row, Item: Sendable>(
        _ rows: [Row], key: (Row) -> String, item: (Row) throws -> Item
    ) rethrows -> NotificationService.Page<Item> {
        let kept = rows.prefix(pageSize)
        let next = rows.count > pageSize ? kept.last.map { encode(key($0)) } : nil
        return NotificationService.Page(items: try kept.map(item), nextToken: next)
    }
}
