import AWSWire
import Foundation
import Hummingbird
import Logging

/// Verifies the SigV4 signature of every request it sees (header or presigned-query form),
/// picks the service from the credential scope, and records both in the context. A request
/// that fails gets AWS's error for the failure, shaped for the protocol of the service it
/// names (or seems to be for).
public struct SigV4Middleware: RouterMiddleware {
    public typealias Context = ControlPlaneRequestContext

    private let services: [String: ServiceModel]
    private let defaultService: ServiceModel
    private let verifier: SigV4Verifier
    private let permissiveVerifier: SigV4Verifier?
    private let secretAccessKey: @Sendable (String) async throws -> String?
    private let maximumBodySize: Int
    private let logger: Logger

    /// Creates the middleware.
    ///
    /// - Parameters:
    ///   - services: The services served, selected by signing name.
    ///   - configuration: Keys, region, clock skew and body limit.
    ///   - logger: Logs authentication failures (never secrets).
    public init(services: [ServiceModel], configuration: ControlPlane.Configuration, logger: Logger) {
        precondition(!services.isEmpty, "SigV4Middleware needs at least one service")
        self.services = Dictionary(services.map { ($0.signingName, $0) }, uniquingKeysWith: { first, _ in first })
        self.defaultService = services.first { $0.wireProtocol == .restJSON } ?? services[0]
        let verification = SigV4Verifier.Configuration(
            allowedClockSkew: configuration.allowedClockSkew, region: configuration.region,
            services: Set(self.services.keys))
        self.verifier = SigV4Verifier(configuration: verification)
        var permissive = verification
        permissive.acceptsAnyCredentials = true
        self.permissiveVerifier = configuration.acceptsAnyCredentials ? SigV4Verifier(configuration: permissive) : nil
        self.secretAccessKey = configuration.secretAccessKey
        self.maximumBodySize = configuration.maximumBodySize
        self.logger = logger
    }

    public func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var request = request
        let buffer = try await request.collectBody(upTo: maximumBodySize)
        let received = APIRequest(request, body: Array(buffer: buffer))
        let requestId = UUID().uuidString.lowercased()
        let identity: SigV4Identity
        do {
            identity = try await verify(received)
        } catch let failure as SigV4Error {
            let service = guessService(received)
            logger.debug(
                "SigV4 verification failed",
                metadata: [
                    "aws.service": .string(service.name), "sigv4.failure": .string(failure.code.description),
                    "request.id": .string(requestId),
                ])
            if let canonical = failure.canonicalRequest {
                logger.trace("SigV4 canonical request", metadata: ["sigv4.canonical_request": .string(canonical)])
            }
            let error = failure.awsError(for: service.wireProtocol)
            return Response(
                error.response(for: service.wireProtocol, xmlNamespace: service.errorNamespace, requestId: requestId))
        }
        guard let service = services[identity.service] else {
            // The verifier only accepts the configured services' signing names.
            preconditionFailure("verified a scope for unknown service \(identity.service)")
        }
        var context = context
        context.authentication = .init(identity: identity, service: service, request: received, requestId: requestId)
        return try await next(request, context)
    }

    private func verify(_ received: APIRequest) async throws -> SigV4Identity {
        let signed = received.sigV4Request
        let now = Date()
        do {
            return try await verifier.verify(signed, now: now, secretAccessKey: secretAccessKey)
        } catch let failure as SigV4Error where failure.code == .unknownAccessKey {
            guard let permissiveVerifier else { throw failure }
            return try permissiveVerifier.verify(signed, now: now) { _ in nil }
        }
    }

    /// The service a request that failed verification is most likely for: the one its scope
    /// names, else a query service when it has an `Action`, else the first rest-json service.
    private func guessService(_ received: APIRequest) -> ServiceModel {
        if let authorization = try? SigV4Authorization(parsing: received.sigV4Request),
            let service = services[authorization.scope.service]
        {
            return service
        }
        let action = QueryProtocolRequest.parameters(of: received)["Action"]
        if let action {
            let queryServices = services.values.filter { $0.wireProtocol == .query }.sorted { $0.name > $1.name }
            if let service = queryServices.first(where: { $0.operations[action] != nil }) ?? queryServices.first {
                return service
            }
        }
        return defaultService
    }
}
