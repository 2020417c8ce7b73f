import Logging
import MQTTProtocol

/// A throughput and latency run: publishers send stamped messages, subscribers receive
/// them, and the report tells how many arrived per second, how late, and what was lost.
///
/// ```swift
/// var configuration = LoadTest.Configuration()
/// configuration.publishers = 100
/// configuration.topicMode = .perPublisher   // fan-in on bench/#
/// let report = try await LoadTest(target: BenchTarget(port: 1883), configuration: configuration).run()
/// print(report.deliveredPerSecond)
/// ```
public struct LoadTest: Sendable {
    /// How publishers pick topics and subscribers filters.
    public enum TopicMode: String, Sendable, Codable, CaseIterable {
        /// Every publisher sends on `PREFIX/shared`; subscribers subscribe to that topic.
        case shared
        /// Publisher `i` sends on `PREFIX/i`; subscribers subscribe to `PREFIX/#`.
        case perPublisher = "per-publisher"
    }

    /// How long publishers send.
    public enum Length: Sendable, Hashable {
        /// For this many seconds after the warm-up.
        case seconds(Double)
        /// This many messages per publisher, warm-up included.
        case messages(Int)
    }

    /// The shape of the load.
    public struct Configuration: Sendable {
        /// Publishing connections.
        public var publishers: Int = 1
        /// Subscribing connections; each receives every publisher's messages.
        public var subscribers: Int = 1
        public var topicMode: TopicMode = .shared
        /// The first topic level.
        public var topicPrefix: String = "bench"
        /// The QoS of publications and subscriptions (0 or 1).
        public var qos: MQTTQoS = .atMostOnce
        /// Bytes per payload; at least 16 (the stamp).
        public var payloadSize: Int = 64
        public var length: Length = .seconds(10)
        /// Messages per second over all publishers; 0 sends as fast as possible. Measure
        /// latency only at a fixed rate: an unlimited run measures queueing.
        public var rate: Double = 0
        /// Unacknowledged QoS 1 messages per publisher.
        public var inflight: Int = 100
        /// Seconds of sending before measuring starts.
        public var warmup: Double = 1
        /// Messages per write and flush; `nil` picks about 16 KiB worth.
        public var batchSize: Int?
        /// Bytes a subscriber's socket must hold before a read is worth waking up for
        /// (`SO_RCVLOWAT`, Linux), so that the generator reads in large pieces even from a
        /// broker that writes one packet per system call. `nil` picks 4 KiB (at most 16
        /// packets) at QoS 0 when the rate is unlimited, else off: latency runs read every
        /// byte at once, and QoS 1 subscribers acknowledge at once.
        public var readLowWatermark: Int?
        /// Event loop threads of the generator. With 2 or more, publishers and subscribers
        /// run on separate threads.
        public var threads: Int = 1
        /// After sending stops, how long to wait for late messages once none arrive.
        public var drainIdle: Double = 1
        /// The broker's process id, to report its CPU time over the window (Linux).
        public var brokerPID: Int32?

        /// The default load: one publisher, one subscriber, QoS 0, 64 bytes, 10 s.
        public init() {}

        /// Checks the values against each other.
        ///
        /// - Throws: ``BenchError`` naming the first bad value.
        public func validate() throws {
            guard (1...BenchPayload.maximumPublishers).contains(self.publishers) else {
                throw BenchError("the number of publishers must be 1...\(BenchPayload.maximumPublishers)")
            }
            guard self.subscribers >= 0 else { throw BenchError("the number of subscribers cannot be negative") }
            guard self.payloadSize >= BenchPayload.minimumSize else {
                throw BenchError("the payload must be at least \(BenchPayload.minimumSize) bytes")
            }
            guard self.qos != .exactlyOnce else { throw BenchError("QoS 2 is not supported by the load generator") }
            guard (1...65_535).contains(self.inflight) else {
                throw BenchError("the in-flight window must be 1...65535")
            }
            guard self.rate >= 0, self.warmup >= 0, self.drainIdle >= 0 else {
                throw BenchError("rates and times cannot be negative")
            }
            guard self.threads >= 1 else { throw BenchError("at least one thread is needed") }
            if let batchSize, batchSize < 1 { throw BenchError("the batch size must be at least 1") }
            switch self.length {
            case .seconds(let seconds) where seconds <= 0: throw BenchError("the duration must be positive")
            case .messages(let count) where count < 1 || count > Int(UInt32.max):
                throw BenchError("the message count must be 1...\(UInt32.max)")
            default: break
            }
        }

        /// The topic publisher `index` sends on.
        func topic(publisher index: Int) -> String {
            switch self.topicMode {
            case .shared: "\(self.topicPrefix)/shared"
            case .perPublisher: "\(self.topicPrefix)/\(index)"
            }
        }

        /// The `SO_RCVLOWAT` of subscribers for packets of `packetSize` bytes (see
        /// ``readLowWatermark``).
        func subscriberReadLowWatermark(packetSize: Int) -> Int {
            if let readLowWatermark { return readLowWatermark }
            // At QoS 1 a subscriber that waits for more bytes delays its PUBACKs, and with
            // them the TCP acknowledgements that a broker using Nagle's algorithm waits for.
            guard self.rate == 0, self.qos == .atMostOnce else { return 0 }
            return min(4096, 16 * packetSize)
        }

        /// The filter every subscriber subscribes to.
        var subscriptionFilter: String {
            switch self.topicMode {
            case .shared: "\(self.topicPrefix)/shared"
            case .perPublisher: "\(self.topicPrefix)/#"
            }
        }
    }

    /// Where the load goes.
    public var target: BenchTarget
    /// The load.
    public var configuration: Configuration
    var logger: Logger

    /// Creates a run; nothing connects before ``run()``.
    public init(target: BenchTarget, configuration: Configuration, logger: Logger = Logger(label: "thingport.bench")) {
        self.target = target
        self.configuration = configuration
        self.logger = logger
    }
}
