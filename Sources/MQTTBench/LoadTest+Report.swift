extension LoadTest {
    /// What a load test measured. Rates are over the measurement window (after the
    /// warm-up); loss counts cover the whole run.
    public struct Report: Sendable, Codable {
        public var mode = "load"
        public var publishers: Int
        public var subscribers: Int
        public var topicMode: String
        public var qos: Int
        public var payloadSize: Int
        /// The fixed rate asked for, in messages per second; 0 for as fast as possible.
        public var targetRate: Double
        public var tls: Bool
        /// The length of the measurement window, in seconds.
        public var windowSeconds: Double
        /// Messages sent over the whole run.
        public var sent: UInt64
        /// Messages sent inside the window, per second.
        public var sentPerSecond: Double
        /// Messages received by subscribers over the whole run, each subscriber's copy counted.
        public var delivered: UInt64
        /// Messages received inside the window, per second.
        public var deliveredPerSecond: Double
        /// Deliveries expected: messages sent × subscribers.
        public var expectedDeliveries: UInt64
        /// Deliveries that never arrived.
        public var lost: UInt64
        public var duplicates: UInt64
        public var outOfOrder: UInt64
        /// Messages without a stamp of this run (from another client, or too short).
        public var foreign: UInt64
        public var unexpectedAcknowledgements: UInt64
        /// Connections the broker closed before the end.
        public var connectionsLost: Int
        /// Latency of messages sent and received inside the window.
        public var latency: LatencySummary?
        /// The generator's CPU time over the window (user + system).
        public var generatorCPUSeconds: Double
        /// The generator's CPU use over the window, in percent of one core.
        public var generatorCPUPercent: Double
        /// The broker's CPU time over the window, if its process id was given.
        public var brokerCPUSeconds: Double?
        /// The broker's CPU use over the window, in percent of one core.
        public var brokerCPUPercent: Double?
        /// Deliveries in the window per second of broker CPU.
        public var deliveredPerBrokerCPUSecond: Double?
    }
}

extension LoadTest.Report: CustomStringConvertible {
    /// A few lines for a person.
    public var description: String {
        func rate(_ value: Double) -> String { formatted(value, decimals: 0) }
        var lines = [
            "load: \(self.publishers) publisher(s) -> \(self.subscribers) subscriber(s), QoS \(self.qos), "
                + "\(self.payloadSize) B, topics \(self.topicMode)\(self.tls ? ", TLS" : "")"
                + (self.targetRate > 0 ? ", fixed rate \(rate(self.targetRate)) msg/s" : ", unlimited rate"),
            "window: \(formatted(self.windowSeconds, decimals: 2)) s",
            "sent: \(self.sent) (\(rate(self.sentPerSecond)) msg/s)",
            "delivered: \(self.delivered) of \(self.expectedDeliveries) (\(rate(self.deliveredPerSecond)) msg/s)",
            "lost: \(self.lost)  duplicates: \(self.duplicates)  out of order: \(self.outOfOrder)"
                + (self.foreign > 0 ? "  foreign: \(self.foreign)" : "")
                + (self.connectionsLost > 0 ? "  connections lost: \(self.connectionsLost)" : ""),
        ]
        if let latency = self.latency {
            lines.append(
                "latency (µs): p50 \(formatted(latency.p50, decimals: 0))  p90 \(formatted(latency.p90, decimals: 0))"
                    + "  p99 \(formatted(latency.p99, decimals: 0))  p99.9 \(formatted(latency.p999, decimals: 0))"
                    + "  max \(formatted(latency.max, decimals: 0))  (\(latency.count) messages)"
            )
        }
        var cpu =
            "generator CPU: \(formatted(self.generatorCPUSeconds, decimals: 2)) s "
            + "(\(formatted(self.generatorCPUPercent, decimals: 0)) % of a core)"
        if let broker = self.brokerCPUSeconds, let percent = self.brokerCPUPercent {
            cpu += "  broker CPU: \(formatted(broker, decimals: 2)) s (\(formatted(percent, decimals: 0)) %)"
        }
        lines.append(cpu)
        return lines.joined(separator: "\n")
    }
}

/// `value` with a fixed number of decimals, without Foundation.
func formatted(_ value: Double, decimals: Int) -> String {
    guard value.isFinite else { return "\(value)" }
    var scale = 1.0
    for _ in 0..<decimals { scale *= 10 }
    let rounded = (abs(value) * scale).rounded()
    let whole = Int(rounded / scale)
    let fraction = Int(rounded - Double(whole) * scale)
    let sign = value < 0 && rounded > 0 ? "-" : ""
    guard decimals > 0 else { return "\(sign)\(whole)" }
    let digits = String(fraction)
    return "\(sign)\(whole).\(String(repeating: "0", count: decimals - digits.count))\(digits)"
}
