extension FilterPolicy {
    /// Why SNS refuses a filter policy: an `InvalidParameter` error.
    public struct ValidationError: Error, Sendable, Hashable, CustomStringConvertible {
        /// The reason as SNS words it after `Invalid parameter: `, for example
        /// `FilterPolicy: Filter policy is too complex`.
        public let reason: String

        init(_ reason: String) {
            self.reason = reason
        }

        /// An error about the policy document: `FilterPolicy: ` then `detail`.
        static func policy(_ detail: String) -> ValidationError {
            ValidationError("FilterPolicy: " + detail)
        }

        /// The AWS error code, `InvalidParameter`.
        public var code: String { "InvalidParameter" }

        /// The message `SetSubscriptionAttributes` returns: `Invalid parameter: <reason>`.
        public var message: String { "Invalid parameter: " + reason }

        /// The message `Subscribe` returns, where the policy came in the `Attributes` map:
        /// `Invalid parameter: Attributes Reason: <reason>`.
        public var subscribeMessage: String { "Invalid parameter: Attributes Reason: " + reason }

        public var description: String { message }
    }
}
