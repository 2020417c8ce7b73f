import AWSWire

/// A failure of a registry operation, as AWS IoT reports it: the modelled exception name of
/// botocore's `iot` model, AWS's wording of the message, and the model's HTTP status.
///
/// Errors from the database itself are not wrapped: they propagate unchanged, and the
/// control plane answers them as `InternalFailureException`.
public struct RegistryError: AWSErrorConvertible, Sendable, Hashable, CustomStringConvertible {
    /// A modelled exception of the `iot` service (its shape name in botocore's model).
    public struct Code: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        /// The exception name, such as `ResourceNotFoundException`.
        public let rawValue: String
        /// The HTTP status the model gives this exception.
        public let httpStatus: Int

        /// Creates a code; unknown names answer 400.
        public init(rawValue: String) {
            self.rawValue = rawValue
            self.httpStatus = Self.statuses[rawValue] ?? 400
        }

        /// 400: the request is not valid.
        public static let invalidRequest = Code(rawValue: "InvalidRequestException")
        /// 404: the specified resource does not exist.
        public static let resourceNotFound = Code(rawValue: "ResourceNotFoundException")
        /// 409: the resource already exists.
        public static let resourceAlreadyExists = Code(rawValue: "ResourceAlreadyExistsException")
        /// 409: `expectedVersion` does not match the current version.
        public static let versionConflict = Code(rawValue: "VersionConflictException")
        /// 409: the resource is attached to other resources.
        public static let deleteConflict = Code(rawValue: "DeleteConflictException")
        /// 406: the certificate's status does not allow the operation.
        public static let certificateState = Code(rawValue: "CertificateStateException")
        /// 409: a policy already has 5 versions.
        public static let versionsLimitExceeded = Code(rawValue: "VersionsLimitExceededException")
        /// 410: a limit has been exceeded.
        public static let limitExceeded = Code(rawValue: "LimitExceededException")
        /// 401: not authorized (AWS's answer for a topic rule that does not exist).
        public static let unauthorized = Code(rawValue: "UnauthorizedException")
        /// 400: the policy document is not valid.
        public static let malformedPolicy = Code(rawValue: "MalformedPolicyException")
        /// 400: the rule's SQL does not parse.
        public static let sqlParse = Code(rawValue: "SqlParseException")
        /// 400: the certificate is not valid.
        public static let certificateValidation = Code(rawValue: "CertificateValidationException")
        /// 409: a certificate with the same key or subject conflicts.
        public static let certificateConflict = Code(rawValue: "CertificateConflictException")
        /// 500: an unexpected error.
        public static let internalFailure = Code(rawValue: "InternalFailureException")

        /// `httpStatusCode` of every exception shape in botocore's `iot` model (2015-05-28).
        static let statuses: [String: Int] = [
            "CertificateConflictException": 409, "CertificateStateException": 406,
            "CertificateValidationException": 400, "ConflictException": 409,
            "ConflictingResourceUpdateException": 409, "DeleteConflictException": 409,
            "IndexNotReadyException": 400, "InternalException": 500, "InternalFailureException": 500,
            "InternalServerException": 500, "InvalidAggregationException": 400, "InvalidQueryException": 400,
            "InvalidRequestException": 400, "InvalidResponseException": 400,
            "InvalidStateTransitionException": 409, "LimitExceededException": 410,
            "MalformedPolicyException": 400, "NotConfiguredException": 404,
            "RegistrationCodeValidationException": 400, "ResourceAlreadyExistsException": 409,
            "ResourceNotFoundException": 404, "ResourceRegistrationFailureException": 400,
            "ServiceQuotaExceededException": 402, "ServiceUnavailableException": 503,
            "SqlParseException": 400, "TaskAlreadyExistsException": 400, "ThrottlingException": 400,
            "TransferAlreadyCompletedException": 410, "TransferConflictException": 409,
            "UnauthorizedException": 401, "ValidationException": 400, "VersionConflictException": 409,
            "VersionsLimitExceededException": 409,
        ]

        public var description: String { rawValue }
    }

    /// The exception.
    public var code: Code
    /// The message, worded as AWS words it.
    public var message: String
    /// For `ResourceAlreadyExistsException`: the id of the existing resource.
    public var resourceId: String?
    /// For `ResourceAlreadyExistsException`: the ARN of the existing resource.
    public var resourceArn: String?

    /// Creates an error.
    public init(code: Code, message: String, resourceId: String? = nil, resourceArn: String? = nil) {
        self.code = code
        self.message = message
        self.resourceId = resourceId
        self.resourceArn = resourceArn
    }

    /// The HTTP status of ``code``.
    public var httpStatus: Int { code.httpStatus }

    /// The error as AWSWire renders it (the rest-json shape botocore parses), with
    /// `resourceId`/`resourceArn` as extra members when present.
    public var awsError: AWSError {
        var fields: [String: String] = [:]
        if let resourceId { fields["resourceId"] = resourceId }
        if let resourceArn { fields["resourceArn"] = resourceArn }
        return AWSError(code: code.rawValue, message: message, httpStatus: httpStatus, fields: fields)
    }

    public var description: String { "\(code.rawValue) (\(httpStatus)): \(message)" }

    static func invalidRequest(_ message: String) -> RegistryError {
        RegistryError(code: .invalidRequest, message: message)
    }

    static func notFound(_ message: String = "The specified resource does not exist") -> RegistryError {
        RegistryError(code: .resourceNotFound, message: message)
    }
}
