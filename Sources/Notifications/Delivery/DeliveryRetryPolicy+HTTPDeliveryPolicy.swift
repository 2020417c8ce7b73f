extension DeliveryRetryPolicy {
    /// The schedule of an HTTP/S subscription's effective retry policy (see
    /// ``HTTPDeliveryPolicy/effective(topicDeliveryPolicy:subscriptionDeliveryPolicy:)``).
    package init(_ retry: HTTPDeliveryPolicy.RetryPolicy) {
        self.init(
            minDelayTarget: retry.minDelayTarget, maxDelayTarget: retry.maxDelayTarget, numRetries: retry.numRetries,
            numNoDelayRetries: retry.numNoDelayRetries, numMinDelayRetries: retry.numMinDelayRetries,
            numMaxDelayRetries: retry.numMaxDelayRetries,
            backoffFunction: BackoffFunction(rawValue: retry.backoffFunction) ?? .linear)
    }
}
