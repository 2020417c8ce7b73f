import Foundation

/// The pipeline's notion of "now", in milliseconds since 1970 (the unit of `sns_deliveries`).
///
/// Due times, retry schedules and claims are computed from it, so tests can move time forward
/// instead of waiting for retry delays.
public protocol DeliveryClock: Sendable {
    /// Milliseconds since 1970.
    func now() -> Int64
}

/// The system's wall clock.
public struct SystemDeliveryClock: DeliveryClock {
    /// Creates the clock.
    public init() {}

    public func now() -> Int64 {
        Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))
    }
}
