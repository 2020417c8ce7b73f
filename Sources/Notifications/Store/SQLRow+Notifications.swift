import Foundation
import JSON
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
}

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

/// Delivery payloads in and out of their JSON `TEXT` column: written with the JSON module as the
/// members `DeliveryPayload`'s `Codable` conformance reads (absent optionals left out, keys in a
/// fixed order), read back with that conformance.
enum PayloadColumn {
    static func encode(_ payload: DeliveryPayload) -> String {
        var members: [JSONValue.Member] = [
            .init(key: "kind", value: JSONValue(payload.kind.rawValue)),
            .init(key: "messageId", value: JSONValue(payload.messageId)),
            .init(key: "topicArn", value: JSONValue(payload.topicArn)),
        ]
        if let subject = payload.subject { members.append(.init(key: "subject", value: JSONValue(subject))) }
        members.append(.init(key: "message", value: JSONValue(payload.message)))
        members.append(
            .init(
                key: "messageAttributes",
                value: JSONValue(
                    payload.messageAttributes.mapValues { attribute -> JSONValue in
                        .object([
                            .init(key: "Type", value: JSONValue(attribute.type)),
                            .init(key: "Value", value: JSONValue(attribute.value)),
                        ])
                    })))
        members.append(.init(key: "timestamp", value: JSONValue(payload.timestamp)))
        if let token = payload.token { members.append(.init(key: "token", value: JSONValue(token))) }
        members += [
            .init(key: "subscriptionArn", value: JSONValue(payload.subscriptionArn)),
            .init(key: "protocol", value: JSONValue(payload.protocol)),
            .init(key: "endpoint", value: JSONValue(payload.endpoint)),
            .init(key: "rawMessageDelivery", value: .bool(payload.rawMessageDelivery)),
        ]
        return JSONValue.object(members).serializedString()
    }

    static func decode(_ text: String) throws -> DeliveryPayload {
        try JSONDecoder().decode(DeliveryPayload.self, from: Data(text.utf8))
    }
}
