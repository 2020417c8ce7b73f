import Foundation
import Notifications

/// `GET /_thingport/sns/deliveries` (SigV4-signed): the delivery pipeline's counters per topic
/// and protocol since the server started, as JSON —
/// `{"Deliveries": [{"Topic", "Protocol", "Delivered", "Failed", "Retried", "Dropped"}]}`,
/// sorted by topic then protocol.
enum DeliveryCountersDocument {
    /// The route's path.
    static let path = "/_thingport/sns/deliveries"

    private struct Document: Encodable {
        struct Row: Encodable {
            let topic: String
            let `protocol`: String
            let delivered: Int
            let failed: Int
            let retried: Int
            let dropped: Int

            enum CodingKeys: String, CodingKey {
                case topic = "Topic"
                case `protocol` = "Protocol"
                case delivered = "Delivered"
                case failed = "Failed"
                case retried = "Retried"
                case dropped = "Dropped"
            }
        }

        let deliveries: [Row]

        enum CodingKeys: String, CodingKey {
            case deliveries = "Deliveries"
        }
    }

    /// `statistics` as JSON.
    static func json(of statistics: DeliveryStatistics) throws -> String {
        let rows = statistics.counts
            .sorted { ($0.key.topic, $0.key.protocol) < ($1.key.topic, $1.key.protocol) }
            .map { key, counts in
                Document.Row(
                    topic: key.topic, protocol: key.protocol, delivered: counts.delivered, failed: counts.failed,
                    retried: counts.retried, dropped: counts.dropped)
            }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(Document(deliveries: rows)), as: UTF8.self)
    }
}
