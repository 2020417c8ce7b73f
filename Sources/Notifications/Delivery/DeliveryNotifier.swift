/// Told when deliveries have been written, so that the delivery pipeline starts on them at once
/// rather than at its next poll.
public protocol DeliveryNotifier: Sendable {
    /// New deliveries are due.
    func wake()
}
