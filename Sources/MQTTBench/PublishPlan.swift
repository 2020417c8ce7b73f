/// When and how fast one publisher sends, on the ``BenchClock`` time line.
struct PublishPlan: Sendable {
    /// When sending starts.
    var start: UInt64
    /// When sending stops, at the latest.
    var end: UInt64
    /// The measurement window: sends inside it count as measured.
    var windowStart: UInt64
    var windowEnd: UInt64
    /// Messages this publisher sends at most.
    var messageLimit: UInt32
    /// Messages per second for this publisher; 0 sends as fast as the connection allows.
    var ratePerSecond: Double
    /// Unacknowledged QoS 1 messages allowed at once.
    var inflightLimit: Int
    /// Messages written and flushed together, at most.
    var batchSize: Int

    /// How many messages should have been sent by `time` at the fixed rate (the first is
    /// due at `start`).
    @inline(__always)
    func messagesDue(at time: UInt64) -> UInt32 {
        guard time >= self.start else { return 0 }
        let due = Double(time - self.start) * self.ratePerSecond / 1_000_000_000 + 1
        return due >= Double(self.messageLimit) ? self.messageLimit : UInt32(due)
    }
}
