import Foundation

/// One page of a listing and the token that continues it.
///
/// Tokens are opaque base64 text (they also match the model's `Marker` pattern): pass
/// ``nextToken`` back as `nextToken`/`marker` to get the next page; it is nil on the last.
public struct Page<Item: Sendable>: Sendable {
    /// The items of this page, in the listing's order.
    public var items: [Item]
    /// The token of the next page, or nil when this is the last.
    public var nextToken: String?

    /// Creates a page.
    public init(items: [Item], nextToken: String?) {
        self.items = items
        self.nextToken = nextToken
    }
}

extension Page: Equatable where Item: Equatable {}

/// Encoding of paging positions (the sort key of the last item returned) as opaque tokens.
enum PageToken {
    static func encode(_ key: [String]) -> String {
        let data = try! JSONSerialization.data(withJSONObject: ["v1"] + key)
        return data.base64EncodedString()
    }

    /// The key inside `token`, which must hold `count` parts.
    static func decode(_ token: String?, parts count: Int, member: String = "nextToken") throws(RegistryError)
        -> [String]?
    {
        guard let token else { return nil }
        guard let data = Data(base64Encoded: token),
            let array = try? JSONSerialization.jsonObject(with: data) as? [String],
            array.first == "v1", array.count == count + 1
        else {
            throw RegistryError.invalidRequest("The \(member) is not valid: \(token)")
        }
        return Array(array.dropFirst())
    }

    /// The page size to use: `requested` checked against `1...maximum`, or `defaultSize`.
    static func size(_ requested: Int?, maximum: Int, defaultSize: Int? = nil, member: String = "maxResults")
        throws(RegistryError) -> Int
    {
        guard let requested else { return defaultSize ?? maximum }
        if requested < 1 {
            throw Validation.failure(
                String(requested), member: member, constraint: "Member must have value greater than or equal to 1")
        }
        if requested > maximum {
            throw Validation.failure(
                String(requested), member: member,
                constraint: "Member must have value less than or equal to \(maximum)")
        }
        return requested
    }

    /// Cuts `rows` (fetched with one extra row) to `size` and makes the token from the last
    /// row kept.
    static func page<Row, Item: Sendable>(
        _ rows: [Row], size: Int, key: (Row) -> [String], item: (Row) throws -> Item
    ) rethrows -> Page<Item> {
        let kept = rows.prefix(size)
        let next = rows.count > size ? kept.last.map { encode(key($0)) } : nil
        return Page(items: try kept.map(item), nextToken: next)
    }
}
