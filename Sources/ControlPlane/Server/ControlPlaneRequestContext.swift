import AWSWire
import Hummingbird

/// The request context of the API server before authentication. ``SigV4Middleware`` fills in
/// ``authentication``; handlers see an ``AuthenticatedRequestContext`` instead.
public struct ControlPlaneRequestContext: RequestContext {
    /// What ``SigV4Middleware`` established about a signed request.
    public struct Authentication: Sendable {
        /// Who signed the request.
        public var identity: SigV4Identity
        /// The service the credential scope names.
        public var service: ServiceModel
        /// The request as received, with its whole body.
        public var request: APIRequest
        /// The request id sent back as `x-amzn-RequestId`.
        public var requestId: String
    }

    public var coreContext: CoreRequestContextStorage
    /// Set once the request's SigV4 signature is verified.
    public var authentication: Authentication?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.authentication = nil
    }
}
