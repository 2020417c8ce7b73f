import Metrics
import NIOConcurrencyHelpers

/// The pipeline's counters: exported through swift-metrics as `sns_deliveries_total` with dimensions
/// `topic`, `protocol` and `outcome` (`delivered`, `failed`, `retried`, `dropped`), and readable as
/// ``DeliveryStatistics``.
final class DeliveryCounters: Sendable {
    enum Outcome: String, Sendable {
        case delivered, failed, retried, dropped
    }

    private struct State {
        var statistics = DeliveryStatistics()
        var metrics: [MetricKey: Counter] = [:]
    }

    private struct MetricKey: Hashable {
        var key: DeliveryStatistics.Key
        var outcome: String
    }

    static let metricLabel = "sns_deliveries_total"

    private let state = NIOLockedValueBox(State())

    func record(_ outcome: Outcome, topic: String, protocol: String) {
        let key = DeliveryStatistics.Key(topic: topic, protocol: `protocol`)
        let counter = self.state.withLockedValue { state -> Counter in
            var counts = state.statistics.counts[key] ?? DeliveryStatistics.Counts()
            switch outcome {
            case .delivered: counts.delivered += 1
            case .failed: counts.failed += 1
            case .retried: counts.retried += 1
            case .dropped: counts.dropped += 1
            }
            state.statistics.counts[key] = counts
            let metricKey = MetricKey(key: key, outcome: outcome.rawValue)
            if let counter = state.metrics[metricKey] {
                return counter
            }
            let counter = Counter(
                label: Self.metricLabel,
                dimensions: [("topic", topic), ("protocol", `protocol`), ("outcome", outcome.rawValue)])
            state.metrics[metricKey] = counter
            return counter
        }
        counter.increment()
    }

    var snapshot: DeliveryStatistics {
        self.state.withLockedValue { $0.statistics }
    }
}
