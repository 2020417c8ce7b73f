/// Why a request failed SigV4 authentication, with the message AWS sends for it.
///
/// Map it to the AWS error of a protocol with ``awsError(for:)``.
public struct SigV4Error: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of failure (an opaque code: new kinds can be added).
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        enum Base: String, Sendable, Hashable {
            case missingAuthentication
            case incompleteSignature
            case unknownAccessKey
            case signatureDoesNotMatch
            case signatureExpired
            case requestExpired
        }

        let base: Base

        /// The request carries neither an `Authorization` header nor a presigned query.
        public static let missingAuthentication = Code(base: .missingAuthentication)
        /// The authorization is malformed or incomplete.
        public static let incompleteSignature = Code(base: .incompleteSignature)
        /// No secret is known for the access key id.
        public static let unknownAccessKey = Code(base: .unknownAccessKey)
        /// The signature (or the scope, or the payload hash) does not match.
        public static let signatureDoesNotMatch = Code(base: .signatureDoesNotMatch)
        /// The request time is outside the allowed clock skew.
        public static let signatureExpired = Code(base: .signatureExpired)
        /// A presigned request is past `X-Amz-Date + X-Amz-Expires`.
        public static let requestExpired = Code(base: .requestExpired)

        public var description: String { base.rawValue }
    }

    /// The kind of failure.
    public var code: Code
    /// The message AWS returns for this failure.
    public var message: String
    /// For a mismatch: the canonical request the server computed. Log it; never send it.
    public var canonicalRequest: String?
    /// For a mismatch: the string to sign the server computed. Log it; never send it.
    public var stringToSign: String?

    /// Creates an error.
    public init(code: Code, message: String, canonicalRequest: String? = nil, stringToSign: String? = nil) {
        self.code = code
        self.message = message
        self.canonicalRequest = canonicalRequest
        self.stringToSign = stringToSign
    }

    public var description: String { "SigV4Error(\(code)): \(message)" }

    static func incomplete(_ message: String) -> SigV4Error {
        SigV4Error(code: .incompleteSignature, message: message)
    }

    static func mismatch(_ message: String) -> SigV4Error {
        SigV4Error(code: .signatureDoesNotMatch, message: message)
    }

    static let signatureMismatchMessage =
        "The request signature we calculated does not match the signature you provided. "
        + "Check your AWS Secret Access Key and signing method. Consult the service documentation for details."
}
