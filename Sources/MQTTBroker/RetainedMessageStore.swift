import MQTTProtocol
import NIOConcurrencyHelpers

/// The last retained message of every topic [MQTT-3.3.1-5].
final class RetainedMessageStore: Sendable {
    private let messages = NIOLockedValueBox<[String: BrokerMessage]>([:])

    /// Stores `message` for its topic, or clears the topic when the payload is empty
    /// [MQTT-3.3.1-10], [MQTT-3.3.1-11].
    func retain(_ message: BrokerMessage) {
        messages.withLockedValue { messages in
            if message.payload.readableBytes == 0 {
                messages.removeValue(forKey: message.topic)
            } else {
                messages[message.topic] = message
            }
        }
    }

    /// The retained messages whose topics match `filter`.
    func matching(filter: String) -> [BrokerMessage] {
        messages.withLockedValue { messages in
            if !filter.utf8.contains(UInt8(ascii: "+")) && !filter.utf8.contains(UInt8(ascii: "#")) {
                return messages[filter].map { [$0] } ?? []
            }
            return messages.values.filter { MQTTTopic.matches(filter: filter, topic: $0.topic) }
        }
    }

    /// How many topics have a retained message.
    var count: Int { messages.withLockedValue { $0.count } }

    /// Forgets every retained message.
    func removeAll() { messages.withLockedValue { $0.removeAll() } }
}
