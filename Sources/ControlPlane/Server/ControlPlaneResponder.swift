import AWSWire
import Hummingbird

/// The API server's responder: the unsigned routes (`GET /health`, `GET /ca/root.pem`, the
/// public documents, `POST /_thingport/reset`, the registered unsigned links), then every other
/// request through ``SigV4Middleware``: to a signed document when one is at its path, else to
/// the operation of the service its credential scope names.
public struct ControlPlaneResponder: HTTPResponder {
    public typealias Context = ControlPlaneRequestContext

    let configuration: ControlPlane.Configuration
    let unsignedLinks: UnsignedLinks
    let middleware: SigV4Middleware
    let dispatcher: OperationDispatcher

    public func respond(to request: Request, context: Context) async throws -> Response {
        if let response = try await unsignedResponse(to: request) {
            return response
        }
        if let response = await unsignedLinks.response(to: request) {
            return response
        }
        return try await middleware.handle(request, context: context) { request, context in
            if request.method == .get, let document = configuration.signedDocuments[request.uri.path] {
                let (contentType, body) = try await document()
                return Self.text(.ok, body, contentType: contentType)
            }
            let authenticated = try AuthenticatedRequestContext(context: context)
            return Response(await dispatcher.respond(context: authenticated))
        }
    }

    /// The response of an unsigned route, or nil for a request that must be signed.
    private func unsignedResponse(to request: Request) async throws -> Response? {
        switch (request.method, request.uri.path) {
        case (.get, "/health"), (.head, "/health"):
            return Self.text(.ok, "ok\n", contentType: "text/plain; charset=utf-8")
        case (.get, "/ca/root.pem"):
            guard let pem = configuration.rootCertificatePEM else {
                return Self.text(.notFound, "Not Found\n", contentType: "text/plain; charset=utf-8")
            }
            return Self.text(.ok, pem, contentType: "application/x-pem-file")
        case (.get, let path) where configuration.publicDocuments[path] != nil:
            let document = configuration.publicDocuments[path]!
            return Self.text(.ok, document.body, contentType: document.contentType)
        case (.post, "/_thingport/reset"):
            guard let reset = configuration.reset else {
                return Self.text(.notFound, "Not Found\n", contentType: "text/plain; charset=utf-8")
            }
            try await reset()
            return Self.text(.ok, "{\"reset\":true}", contentType: "application/json")
        default:
            return nil
        }
    }

    private static func text(_ status: HTTPResponse.Status, _ text: String, contentType: String) -> Response {
        Response(
            status: status, headers: [.contentType: contentType],
            body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}
