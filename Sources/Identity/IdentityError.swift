import AWSWire

/// A failure of an IAM operation, as AWS IAM reports it: the error code of botocore's `iam`
/// model (the query protocol's `<Code>`), AWS's wording of the message, and the model's HTTP
/// status.
///
/// Errors from the database itself are not wrapped: they propagate unchanged, and the
/// control plane answers them as `ServiceFailure`.
public struct IdentityError: AWSErrorConvertible, Sendable, Hashable, CustomStringConvertible {
    /// An error code of the `iam` service.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        /// The code on the wire, such as `NoSuchEntity`.
        public let rawValue: String
        /// The HTTP status the model gives it.
        public let httpStatus: Int

        private init(_ rawValue: String, _ httpStatus: Int) {
            self.rawValue = rawValue
            self.httpStatus = httpStatus
        }

        /// 404: the role, policy or version does not exist.
        public static let noSuchEntity = Code("NoSuchEntity", 404)
        /// 409: a role or policy with that name already exists.
        public static let entityAlreadyExists = Code("EntityAlreadyExists", 409)
        /// 400: the policy document is not valid.
        public static let malformedPolicyDocument = Code("MalformedPolicyDocument", 400)
        /// 409: the entity is still in use (attached policies, versions).
        public static let deleteConflict = Code("DeleteConflict", 409)
        /// 409: a quota would be exceeded (versions, attachments, document size).
        public static let limitExceeded = Code("LimitExceeded", 409)
        /// 400: a parameter is not valid (an ARN, a marker, duplicate tags).
        public static let invalidInput = Code("InvalidInput", 400)
        /// 400: a member breaks the model's constraints.
        public static let validationError = Code("ValidationError", 400)

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

    /// The error as AWSWire renders it (query XML for IAM).
    public var awsError: AWSError {
        AWSError(code: code.rawValue, message: message, httpStatus: httpStatus)
    }

    public var description: String { "\(code.rawValue) (\(httpStatus)): \(message)" }

    static func noSuchEntity(_ message: String) -> IdentityError {
        IdentityError(code: .noSuchEntity, message: message)
    }

    static func invalidInput(_ message: String) -> IdentityError {
        IdentityError(code: .invalidInput, message: message)
    }

    static func limitExceeded(_ message: String) -> IdentityError {
        IdentityError(code: .limitExceeded, message: message)
    }

    static func deleteConflict(_ message: String) -> IdentityError {
        IdentityError(code: .deleteConflict, message: message)
    }
}
