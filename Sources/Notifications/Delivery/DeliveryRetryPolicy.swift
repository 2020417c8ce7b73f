import Foundation

/// When a failed delivery is tried again, in the four phases of an SNS delivery policy
/// (`healthyRetryPolicy`): immediate retries, retries at the minimum delay, retries whose delay grows
/// from the minimum to the maximum by the backoff function, and retries at the maximum delay.
///
/// ``httpDefault`` is AWS's default for HTTP/HTTPS subscriptions (3 retries, 20 seconds apart);
/// ``email`` is AWS's fixed policy for SMTP (customer-managed endpoints: 2 retries 10 seconds apart,
/// 10 with exponential backoff from 10 to 600 seconds, then 38 at 600 seconds, about 6 hours in all).
/// Unlike AWS, no jitter is added, so schedules are predictable.
public struct DeliveryRetryPolicy: Sendable, Hashable {
    /// How the delay grows in the backoff phase.
    public enum BackoffFunction: String, Sendable, Hashable, CaseIterable {
        /// Evenly from the minimum to the maximum.
        case linear
        /// Slowly at first: the increments grow by a constant step.
        case arithmetic
        /// Doubling increments.
        case geometric
        /// The delay itself grows by a constant factor.
        case exponential
    }

    /// The delay of the pre-backoff phase and the start of the backoff phase (seconds).
    public var minDelayTarget: Int
    /// The delay of the post-backoff phase and the end of the backoff phase (seconds).
    public var maxDelayTarget: Int
    /// Retries in all (the first attempt not counted).
    public var numRetries: Int
    /// Retries made at once, without delay.
    public var numNoDelayRetries: Int
    /// Retries made ``minDelayTarget`` apart, after the immediate ones.
    public var numMinDelayRetries: Int
    /// Retries made ``maxDelayTarget`` apart, at the end.
    public var numMaxDelayRetries: Int
    /// How the delay grows between the two.
    public var backoffFunction: BackoffFunction

    /// Creates a policy; values below their minimum (0, or 1 second for the delays) are raised to it,
    /// and ``maxDelayTarget`` to at least ``minDelayTarget``.
    public init(
        minDelayTarget: Int = 20, maxDelayTarget: Int = 20, numRetries: Int = 3, numNoDelayRetries: Int = 0,
        numMinDelayRetries: Int = 0, numMaxDelayRetries: Int = 0, backoffFunction: BackoffFunction = .linear
    ) {
        self.minDelayTarget = max(1, minDelayTarget)
        self.maxDelayTarget = max(self.minDelayTarget, maxDelayTarget)
        self.numRetries = max(0, numRetries)
        self.numNoDelayRetries = max(0, numNoDelayRetries)
        self.numMinDelayRetries = max(0, numMinDelayRetries)
        self.numMaxDelayRetries = max(0, numMaxDelayRetries)
        self.backoffFunction = backoffFunction
    }

    /// AWS's default HTTP/HTTPS policy: `numRetries` 3, `minDelayTarget` and `maxDelayTarget` 20,
    /// no immediate, pre- or post-backoff retries, linear backoff.
    public static let httpDefault = DeliveryRetryPolicy()

    /// AWS's SMTP policy: 0 immediate retries, 2 at 10 seconds, 10 with exponential backoff from 10 to
    /// 600 seconds, 38 at 600 seconds.
    public static let email = DeliveryRetryPolicy(
        minDelayTarget: 10, maxDelayTarget: 600, numRetries: 50, numNoDelayRetries: 0, numMinDelayRetries: 2,
        numMaxDelayRetries: 38, backoffFunction: .exponential)

    /// The delay before retry number `retry` (1 is the first retry, after the first attempt failed),
    /// or `nil` when the policy allows no such retry and the delivery is given up.
    public func delay(beforeRetry retry: Int) -> Duration? {
        guard retry >= 1, retry <= self.numRetries else { return nil }
        let noDelay = min(self.numNoDelayRetries, self.numRetries)
        let minDelay = min(self.numMinDelayRetries, self.numRetries - noDelay)
        let maxDelay = min(self.numMaxDelayRetries, self.numRetries - noDelay - minDelay)
        let backoff = self.numRetries - noDelay - minDelay - maxDelay
        if retry <= noDelay {
            return .zero
        }
        if retry <= noDelay + minDelay {
            return .seconds(self.minDelayTarget)
        }
        if retry <= noDelay + minDelay + backoff {
            return .milliseconds(self.backoffMilliseconds(step: retry - noDelay - minDelay, of: backoff))
        }
        return .seconds(self.maxDelayTarget)
    }

    /// The backoff phase's delay at `step` of `count` (1-based): the minimum grown towards the maximum,
    /// which the last step reaches.
    private func backoffMilliseconds(step: Int, of count: Int) -> Int64 {
        let low = Double(self.minDelayTarget) * 1000
        let high = Double(self.maxDelayTarget) * 1000
        let i = Double(step)
        let n = Double(count)
        let value: Double
        switch self.backoffFunction {
        case .linear:
            value = low + (high - low) * i / n
        case .arithmetic:
            value = low + (high - low) * (i * (i + 1)) / (n * (n + 1))
        case .geometric:
            value = low + (high - low) * (pow(2, i) - 1) / (pow(2, n) - 1)
        case .exponential:
            value = low * pow(high / low, i / n)
        }
        return Int64(value.rounded())
    }

    /// The first attempt plus every retry.
    public var totalAttempts: Int { self.numRetries + 1 }
}
