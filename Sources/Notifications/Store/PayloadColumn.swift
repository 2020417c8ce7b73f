import Foundation
import JSON

/// Delivery payloads in and out of their JSON `TEXT` column: written with the JSON module as the
/// members `DeliveryPayload`'s `Codable` conformance reads (absent optionals left out, keys in a
/// fixed order, message attributes by name), read back with that conformance.
enum PayloadColumn {
    /// The column text of `payload`.
    static func encode(_ payload: DeliveryPayload) -> String {
        var encoder = Encoder()
        return encoder.encode(payload)
    }

    /// The payload of a column text.
    static func decode(_ text: String) throws -> DeliveryPayload {
        try JSONDecoder().decode(DeliveryPayload.self, from: Data(text.utf8))
    }

    /// Writes the payloads of one batch of rows. The members of the message (kind to token) come
    /// first and those of the subscription last, so a message fanned out to many subscriptions
    /// has its message members written once and copied for every subscription.
    struct Encoder {
        /// The members every delivery of one message shares.
        private struct Message: Equatable {
            var kind: DeliveryPayload.Kind
            var messageId: String
            var topicArn: String
            var subject: String?
            var message: String
            var messageAttributes: [String: DeliveryPayload.MessageAttribute]
            var timestamp: String
            var token: String?

            init(_ payload: DeliveryPayload) {
                kind = payload.kind
                messageId = payload.messageId
                topicArn = payload.topicArn
                subject = payload.subject
                message = payload.message
                messageAttributes = payload.messageAttributes
                timestamp = payload.timestamp
                token = payload.token
            }
        }

        /// How many messages' texts are kept (a `MessageStructure=json` message has one text per
        /// protocol, and the deliveries of a batch alternate between them).
        private static let capacity = 4
        /// Recently written message members, most recent first: `{"kind":…,` up to the token.
        private var recent: [(message: Message, text: [UInt8])] = []

        /// The column text of `payload`.
        mutating func encode(_ payload: DeliveryPayload) -> String {
            var output = messageMembers(Message(payload))
            Self.member("subscriptionArn", payload.subscriptionArn, into: &output)
            Self.member("protocol", payload.protocol, into: &output)
            Self.member("endpoint", payload.endpoint, into: &output)
            output.append(contentsOf: #""rawMessageDelivery":"#.utf8)
            output.append(contentsOf: (payload.rawMessageDelivery ? "true}" : "false}").utf8)
            return String(decoding: output, as: UTF8.self)
        }

        private mutating func messageMembers(_ message: Message) -> [UInt8] {
            if let index = recent.firstIndex(where: { $0.message == message }) {
                if index > 0 { recent.insert(recent.remove(at: index), at: 0) }
                return recent[0].text
            }
            var output: [UInt8] = [UInt8(ascii: "{")]
            output.reserveCapacity(256 + message.message.utf8.count)
            Self.member("kind", message.kind.rawValue, into: &output)
            Self.member("messageId", message.messageId, into: &output)
            Self.member("topicArn", message.topicArn, into: &output)
            if let subject = message.subject { Self.member("subject", subject, into: &output) }
            Self.member("message", message.message, into: &output)
            output.append(contentsOf: #""messageAttributes":{"#.utf8)
            for (offset, name) in message.messageAttributes.keys.sorted().enumerated() {
                let attribute = message.messageAttributes[name]!
                if offset > 0 { output.append(UInt8(ascii: ",")) }
                JSONValue.writeString(name, into: &output)
                output.append(contentsOf: #":{"Type":"#.utf8)
                JSONValue.writeString(attribute.type, into: &output)
                output.append(contentsOf: #","Value":"#.utf8)
                JSONValue.writeString(attribute.value, into: &output)
                output.append(UInt8(ascii: "}"))
            }
            output.append(contentsOf: "},".utf8)
            Self.member("timestamp", message.timestamp, into: &output)
            if let token = message.token { Self.member("token", token, into: &output) }
            recent.insert((message, output), at: 0)
            if recent.count > Self.capacity { recent.removeLast() }
            return output
        }

        /// Appends `"key":"value",`.
        private static func member(_ key: String, _ value: String, into output: inout [UInt8]) {
            JSONValue.writeString(key, into: &output)
            output.append(UInt8(ascii: ":"))
            JSONValue.writeString(value, into: &output)
            output.append(UInt8(ascii: ","))
        }
    }
}
