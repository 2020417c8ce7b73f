import Foundation
import JSON
import SQLKit

/// Why a stored value could not be read back (a row written by something else than this store).
struct StoredValueError: Error, CustomStringConvertible {
    var description: String
}

/// String maps in and out of their JSON `TEXT` column (keys in order, so equal maps are equal
/// text).
enum AttributesColumn {
    static func encode(_ attributes: [String: String]) -> String {
        JSONValue(attributes.mapValues { JSONValue($0) }).serializedString()
    }

    static func decode(_ text: String) throws -> [String: String] {
        // Most subscriptions and topics have no attributes.
        if text == "{}" { return [:] }
        guard case .object(let members) = try JSONValue.parse(text) else {
            throw StoredValueError(description: "an attributes column does not hold a JSON object")
        }
        var attributes: [String: String] = [:]
        for member in members {
            guard let value = member.value.stringValue else {
                throw StoredValueError(description: "attribute \(member.key) is not a string")
            }
            attributes[member.key] = value
        }
        return attributes
    }
}
