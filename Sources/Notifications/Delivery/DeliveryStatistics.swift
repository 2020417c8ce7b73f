/// A point-in-time copy of the delivery pipeline's counters, per topic and protocol.
public struct DeliveryStatistics: Sendable, Hashable {
    /// A topic and a protocol.
    public struct Key: Sendable, Hashable, CustomStringConvertible {
        /// The topic name.
        public var topic: String
        /// `email`, `email-json`, `http` or `https`.
        public var `protocol`: String

        /// Creates a key.
        public init(topic: String, protocol: String) {
            self.topic = topic
            self.protocol = `protocol`
        }

        public var description: String { "\(self.topic)/\(self.protocol)" }
    }

    /// The counts of one topic and protocol.
    public struct Counts: Sendable, Hashable {
        /// Deliveries that reached their endpoint (2xx answer, or mail accepted).
        public var delivered = 0
        /// Deliveries given up: a permanent failure, or the retry policy exhausted.
        public var failed = 0
        /// Failed attempts that were scheduled to be tried again.
        public var retried = 0
        /// Deliveries dropped unsent: their subscription was deleted, or a notification for a
        /// subscription that is not confirmed, or a confirmation for one that already is.
        public var dropped = 0

        /// Creates counts.
        public init(delivered: Int = 0, failed: Int = 0, retried: Int = 0, dropped: Int = 0) {
            self.delivered = delivered
            self.failed = failed
            self.retried = retried
            self.dropped = dropped
        }
    }

    /// The counts by topic and protocol; pairs with nothing counted are absent.
    public var counts: [Key: Counts]

    /// Creates statistics.
    public init(counts: [Key: Counts] = [:]) {
        self.counts = counts
    }

    /// The counts of one topic and protocol (zero when nothing was counted).
    public func counts(topic: String, protocol: String) -> Counts {
        self.counts[Key(topic: topic, protocol: `protocol`)] ?? Counts()
    }

    /// The sum over all topics and protocols.
    public var total: Counts {
        self.counts.values.reduce(into: Counts()) { sum, counts in
            sum.delivered += counts.delivered
            sum.failed += counts.failed
            sum.retried += counts.retried
            sum.dropped += counts.dropped
        }
    }
}
