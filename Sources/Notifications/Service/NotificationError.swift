import AWSWire

/// A failure of an SNS operation, as Amazon SNS reports it: the error code of botocore's `sns`
/// model (the query protocol's `<Code>`), AWS's wording of the message, and the model's HTTP
/// status.
///
/// Errors from the database itself are not wrapped: they propagate unchanged, and the control
/// plane answers them as `InternalError`.
public struct NotificationError: AWSErrorConvertible, Sendable, Hashable, CustomStringConvertible {
    /// An error code of the `sns` service.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        /// The code on the wire, such as `NotFound`.
        public let rawValue: String
        /// The HTTP status the model gives it.
        public let httpStatus: Int

        private init(_ rawValue: String, _ httpStatus: Int) {
            self.rawValue = rawValue
            self.httpStatus = httpStatus
        }

        /// 404: the topic or subscription does not exist.
        public static let notFound = Code("NotFound", 404)
        /// 400: a parameter is missing, malformed or not allowed.
        public static let invalidParameter = Code("InvalidParameter", 400)
        /// 400: a message attribute is not valid (`InvalidParameterValueException`, whose code on
        /// the wire is `ParameterValueInvalid`).
        public static let invalidParameterValue = Code("ParameterValueInvalid", 400)
        /// 403: the resource belongs to another account, or the action needs a signed request.
        public static let authorizationError = Code("AuthorizationError", 403)
        /// 400: a topic would have more than 50 tags.
        public static let tagLimitExceeded = Code("TagLimitExceeded", 400)
        /// 404: the resource to tag does not exist.
        public static let resourceNotFound = Code("ResourceNotFound", 404)
        /// 400: `PublishBatch` without entries.
        public static let emptyBatchRequest = Code("EmptyBatchRequest", 400)
        /// 400: `PublishBatch` with more than 10 entries.
        public static let tooManyEntriesInBatchRequest = Code("TooManyEntriesInBatchRequest", 400)
        /// 400: two `PublishBatch` entries share an id.
        public static let batchEntryIdsNotDistinct = Code("BatchEntryIdsNotDistinct", 400)
        /// 400: a `PublishBatch` entry id is too long or has characters other than
        /// `[A-Za-z0-9_-]`.
        public static let invalidBatchEntryId = Code("InvalidBatchEntryId", 400)
        /// 400: the messages of a `PublishBatch` are together larger than 256 KiB.
        public static let batchRequestTooLong = Code("BatchRequestTooLong", 400)

        public var description: String { rawValue }
    }

    /// The error code.
    public var code: Code
    /// The message, worded as AWS words it.
    public var message: String

    /// Creates an error.
    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    /// The HTTP status of ``code``.
    public var httpStatus: Int { code.httpStatus }

    /// The error as AWSWire renders it (query XML for SNS).
    public var awsError: AWSError {
        AWSError(code: code.rawValue, message: message, httpStatus: httpStatus)
    }

    public var description: String { "\(code.rawValue) (\(httpStatus)): \(message)" }

    /// `InvalidParameter` with `message` (which starts `Invalid parameter: ` where AWS's does).
    static func invalidParameter(_ message: String) -> NotificationError {
        NotificationError(code: .invalidParameter, message: message)
    }

    /// `ParameterValueInvalid` with `message`.
    static func invalidParameterValue(_ message: String) -> NotificationError {
        NotificationError(code: .invalidParameterValue, message: message)
    }

    /// `NotFound: Topic does not exist`.
    static let topicNotFound = NotificationError(code: .notFound, message: "Topic does not exist")

    /// `NotFound: Subscription does not exist`.
    static let subscriptionNotFound = NotificationError(code: .notFound, message: "Subscription does not exist")

    /// `ResourceNotFound: Resource does not exist` (the tagging operations).
    static let resourceNotFound = NotificationError(code: .resourceNotFound, message: "Resource does not exist")
}
