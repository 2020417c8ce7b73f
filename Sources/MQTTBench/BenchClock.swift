import NIOCore

/// The monotonic clock every timestamp of a benchmark is taken from.
///
/// Publishers and subscribers run in one process, so a payload's send time and its
/// receive time come from the same clock: `CLOCK_MONOTONIC`, the clock of `NIODeadline`,
/// which also lets the event loops schedule ticks on the same time line.
enum BenchClock {
    /// Now, in nanoseconds on the monotonic clock.
    @inline(__always)
    static func now() -> UInt64 {
        NIODeadline.now().uptimeNanoseconds
    }

    /// `seconds` as nanoseconds, rounded down.
    static func nanoseconds(_ seconds: Double) -> UInt64 {
        seconds <= 0 ? 0 : UInt64(seconds * 1_000_000_000)
    }

    /// The deadline at `nanoseconds` on this clock.
    static func deadline(_ nanoseconds: UInt64) -> NIODeadline {
        .uptimeNanoseconds(nanoseconds)
    }
}
