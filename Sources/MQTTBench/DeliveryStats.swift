import Histogram

/// What the subscribers of one event loop received: counts and the latency histogram.
///
/// One instance is shared by the subscribers of an event loop and used on that loop only.
final class DeliveryStats {
    /// Latencies above this (100 s) are recorded as this.
    static let highestTrackableNanoseconds: UInt64 = 100_000_000_000

    /// The measurement window, on the ``BenchClock`` time line.
    var windowStart: UInt64 = .max
    var windowEnd: UInt64 = .max

    /// Messages received, duplicates included, all run long.
    private(set) var delivered: UInt64 = 0
    /// Messages received inside the measurement window.
    private(set) var deliveredInWindow: UInt64 = 0
    /// When the last message arrived.
    private(set) var lastReceiveTime: UInt64 = 0
    /// Messages whose payload carried no stamp of this run.
    var foreign: UInt64 = 0
    /// Latency, in nanoseconds, of messages sent and received inside the window.
    private(set) var latency: Histogram<UInt64>

    init() {
        self.latency = Histogram(
            lowestDiscernibleValue: 1,
            highestTrackableValue: Self.highestTrackableNanoseconds,
            numberOfSignificantValueDigits: .three
        )
    }

    /// Records one delivery of a message sent at `sendTime` and read at `receiveTime`.
    @inline(__always)
    func record(sendTime: UInt64, receiveTime: UInt64) {
        self.delivered += 1
        self.lastReceiveTime = receiveTime
        guard receiveTime >= self.windowStart, receiveTime < self.windowEnd else { return }
        self.deliveredInWindow += 1
        guard sendTime >= self.windowStart else { return }
        let nanoseconds = receiveTime > sendTime ? receiveTime - sendTime : 0
        _ = self.latency.record(min(nanoseconds, Self.highestTrackableNanoseconds))
    }
}
