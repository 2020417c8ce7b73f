import Histogram

/// Latency percentiles of a run, in microseconds.
public struct LatencySummary: Sendable, Codable, Hashable {
    /// Messages measured.
    public var count: UInt64
    public var p50: Double
    public var p90: Double
    public var p99: Double
    public var p999: Double
    public var max: Double
    public var mean: Double

    /// Summarizes a histogram of nanoseconds; `nil` if it is empty.
    init?(nanoseconds histogram: Histogram<UInt64>) {
        guard histogram.totalCount > 0 else { return nil }
        func micros(_ nanoseconds: UInt64) -> Double { Double(nanoseconds) / 1000 }
        self.count = histogram.totalCount
        self.p50 = micros(histogram.valueAtPercentile(50))
        self.p90 = micros(histogram.valueAtPercentile(90))
        self.p99 = micros(histogram.valueAtPercentile(99))
        self.p999 = micros(histogram.valueAtPercentile(99.9))
        self.max = micros(histogram.max)
        self.mean = histogram.mean / 1000
    }
}
