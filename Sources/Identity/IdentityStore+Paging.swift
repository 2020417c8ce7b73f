import Foundation

extension IdentityStore {
    /// One page of a listing (`IsTruncated` and `Marker`).
    public struct Page<Item: Sendable>: Sendable {
        /// The items of this page, in the listing's order.
        public var items: [Item]
        /// The marker of the next page, nil on the last page.
        public var marker: String?

        /// Creates a page.
        public init(items: [Item], marker: String?) {
            self.items = items
            self.marker = marker
        }

        /// Whether more items follow (`IsTruncated`).
        public var isTruncated: Bool { marker != nil }
    }

    /// `MaxItems` when the request has none, as AWS.
    static let defaultMaxItems = 100
    /// The largest `MaxItems` the model allows.
    static let largestMaxItems = 1000
}

extension IdentityStore.Page: Equatable where Item: Equatable {}

/// Paging positions (the sort key of the last item returned) as opaque markers.
enum Marker {
    private static let prefix = "tp1:"

    static func encode(_ key: String) -> String {
        Data((prefix + key).utf8).base64EncodedString()
    }

    /// The key inside `marker`, or nil for the first page.
    static func decode(_ marker: String?) throws(IdentityError) -> String? {
        guard let marker else { return nil }
        guard let data = Data(base64Encoded: marker), let text = String(data: data, encoding: .utf8),
            text.hasPrefix(prefix)
        else {
            throw IdentityError(code: .validationError, message: "Invalid Marker.")
        }
        return String(text.dropFirst(prefix.count))
    }

    /// The page size for `maxItems`, checked against the model's range.
    static func size(_ maxItems: Int?) throws(IdentityError) -> Int {
        guard let maxItems else { return IdentityStore.defaultMaxItems }
        guard (1...IdentityStore.largestMaxItems).contains(maxItems) else {
            throw Validation.failure(
                String(maxItems), member: "maxItems",
                constraint: maxItems < 1
                    ? "Member must have value greater than or equal to 1"
                    : "Member must have value less than or equal to \(IdentityStore.largestMaxItems)")
        }
        return maxItems
    }

    /// Cuts `rows` (fetched with one extra) to `size`, with the marker of the last row kept.
    static func page<Row, Item: Sendable>(
        _ rows: [Row], size: Int, key: (Row) throws -> String, item: (Row) throws -> Item
    ) throws -> IdentityStore.Page<Item> {
        let kept = rows.prefix(size)
        let next = rows.count > size ? try kept.last.map { encode(try key($0)) } : nil
        return IdentityStore.Page(items: try kept.map(item), marker: next)
    }
}
