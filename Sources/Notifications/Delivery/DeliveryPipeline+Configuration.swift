import NIOSSL

extension DeliveryPipeline {
    /// How the pipeline polls, how much it does at once and how long it waits.
    public struct Configuration: Sendable {
        /// How often the store is polled for due deliveries besides ``DeliveryPipeline/wake()``.
        public var pollInterval: Duration
        /// The most deliveries in progress at once.
        public var maximumConcurrentDeliveries: Int
        /// The most deliveries in progress at once to one endpoint (URL or e-mail address), so that a
        /// slow or stuck endpoint holds at most this many slots and never delays other endpoints.
        public var maximumConcurrentDeliveriesPerEndpoint: Int
        /// How many due deliveries one store query looks at.
        public var batchSize: Int
        /// How long an HTTP/HTTPS delivery may take before it counts as failed (AWS: 15 seconds).
        public var httpTimeout: Duration
        /// How long connecting to an HTTP/HTTPS endpoint may take.
        public var httpConnectTimeout: Duration
        /// TLS settings for `https` endpoints; `nil` verifies certificates against the system's trust
        /// store. Ignored when an `HTTPClient` is handed to the pipeline.
        public var httpTLSConfiguration: TLSConfiguration?
        /// How long a claimed delivery stays invisible to other loops: longer than any delivery takes.
        /// If the process dies, its claimed deliveries become due again after this.
        public var claimDuration: Duration
        /// On graceful shutdown, how long deliveries in progress may finish before they are cancelled
        /// (cancelled ones are given back to the store, due as before).
        public var shutdownGracePeriod: Duration
        /// The retry policy of `email` and `email-json` deliveries after a transient SMTP failure.
        public var emailRetryPolicy: DeliveryRetryPolicy

        /// Creates a configuration; the defaults suit a server.
        public init(
            pollInterval: Duration = .seconds(1),
            maximumConcurrentDeliveries: Int = 64,
            maximumConcurrentDeliveriesPerEndpoint: Int = 4,
            batchSize: Int = 100,
            httpTimeout: Duration = .seconds(15),
            httpConnectTimeout: Duration = .seconds(10),
            httpTLSConfiguration: TLSConfiguration? = nil,
            claimDuration: Duration = .seconds(300),
            shutdownGracePeriod: Duration = .seconds(5),
            emailRetryPolicy: DeliveryRetryPolicy = .email
        ) {
            self.pollInterval = pollInterval
            self.maximumConcurrentDeliveries = max(1, maximumConcurrentDeliveries)
            self.maximumConcurrentDeliveriesPerEndpoint = max(1, maximumConcurrentDeliveriesPerEndpoint)
            self.batchSize = max(1, batchSize)
            self.httpTimeout = httpTimeout
            self.httpConnectTimeout = httpConnectTimeout
            self.httpTLSConfiguration = httpTLSConfiguration
            self.claimDuration = claimDuration
            self.shutdownGracePeriod = shutdownGracePeriod
            self.emailRetryPolicy = emailRetryPolicy
        }
    }
}
