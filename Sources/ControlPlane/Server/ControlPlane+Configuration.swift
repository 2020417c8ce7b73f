import Foundation

extension ControlPlane {
    /// How the API authenticates requests and what its unsigned routes serve.
    public struct Configuration: Sendable {
        /// Returns the secret access key of an access key id, or nil when the key is unknown.
        public var secretAccessKey: @Sendable (String) async throws -> String?
        /// Accepts any well-formed SigV4 signature, whatever the key (local development only;
        /// `--accept-any-credentials`). Known keys are still looked up but not required.
        public var acceptsAnyCredentials: Bool
        /// The only region credential scopes may name; nil accepts any.
        public var region: String?
        /// How far a request's time may be from the server's (AWS: 15 minutes).
        public var allowedClockSkew: TimeInterval
        /// The host `DescribeEndpoint` answers (the first `--public-host`).
        public var publicHost: String
        /// The PEM served at `GET /ca/root.pem`; nil answers 404.
        public var rootCertificatePEM: String?
        /// Wipes all state for `POST /_thingport/reset` (`--allow-reset`); nil answers 404.
        public var reset: (@Sendable () async throws -> Void)?
        /// Public documents served unsigned at their path (such as the certificate SNS message
        /// signatures are checked with), as `(contentType, body)`.
        public var publicDocuments: [String: (contentType: String, body: String)]
        /// Thingport's own read-only documents, served at their path to `GET` requests with a
        /// valid SigV4 signature (any served service's credential scope), such as the e-mail
        /// outbox; each closure returns `(contentType, body)`.
        public var signedDocuments: [String: @Sendable () async throws -> (contentType: String, body: String)]
        /// The largest request body accepted, in bytes.
        public var maximumBodySize: Int

        /// Creates a configuration.
        public init(
            secretAccessKey: @escaping @Sendable (String) async throws -> String?,
            acceptsAnyCredentials: Bool = false,
            region: String? = nil,
            allowedClockSkew: TimeInterval = 15 * 60,
            publicHost: String = "localhost",
            rootCertificatePEM: String? = nil,
            reset: (@Sendable () async throws -> Void)? = nil,
            publicDocuments: [String: (contentType: String, body: String)] = [:],
            signedDocuments: [String: @Sendable () async throws -> (contentType: String, body: String)] = [:],
            maximumBodySize: Int = 2 * 1024 * 1024
        ) {
            self.secretAccessKey = secretAccessKey
            self.acceptsAnyCredentials = acceptsAnyCredentials
            self.region = region
            self.allowedClockSkew = allowedClockSkew
            self.publicHost = publicHost
            self.rootCertificatePEM = rootCertificatePEM
            self.reset = reset
            self.publicDocuments = publicDocuments
            self.signedDocuments = signedDocuments
            self.maximumBodySize = maximumBodySize
        }
    }
}
