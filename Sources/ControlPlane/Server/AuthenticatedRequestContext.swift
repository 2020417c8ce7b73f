import AWSWire
import Hummingbird
import Logging

/// The context of a request whose SigV4 signature has been verified: operation handlers
/// receive it with the verified identity.
public struct AuthenticatedRequestContext: ChildRequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Who signed the request (access key, credential scope, signing time).
    public let identity: SigV4Identity
    /// The service the request is for.
    public let service: ServiceModel
    /// The request as received.
    public let request: APIRequest
    /// The id of this request, sent back as `x-amzn-RequestId` (and in query XML).
    public let requestId: String

    /// Creates the context from one that ``SigV4Middleware`` authenticated.
    ///
    /// - Throws: `HTTPError(.unauthorized)` when the parent carries no verified identity.
    public init(context: ControlPlaneRequestContext) throws {
        guard let authentication = context.authentication else {
            throw HTTPError(.unauthorized)
        }
        self.coreContext = context.coreContext
        self.identity = authentication.identity
        self.service = authentication.service
        self.request = authentication.request
        self.requestId = authentication.requestId
    }

    /// Creates a context directly, for calling handlers outside the HTTP server (tests, tools).
    package init(
        identity: SigV4Identity, service: ServiceModel, request: APIRequest, requestId: String,
        logger: Logger
    ) {
        self.coreContext = CoreRequestContextStorage(source: LoggerSource(logger: logger))
        self.identity = identity
        self.service = service
        self.request = request
        self.requestId = requestId
    }
}

/// A request context source holding only a logger.
private struct LoggerSource: RequestContextSource {
    let logger: Logger
}
