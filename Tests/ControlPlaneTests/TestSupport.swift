import AWSWire
import ControlPlane
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore

/// Keys the test server knows.
enum TestKeys {
    static let known = SigV4Credentials(accessKeyId: "AKIDTHINGPORTTEST", secretAccessKey: "test-secret-key/123+abc")
    static let unknown = SigV4Credentials(accessKeyId: "AKIDUNKNOWN", secretAccessKey: "whatever")
    static let wrongSecret = SigV4Credentials(accessKeyId: known.accessKeyId, secretAccessKey: "not-the-secret")

    static let lookup: @Sendable (String) async throws -> String? = { accessKeyId in
        accessKeyId == known.accessKeyId ? known.secretAccessKey : nil
    }
}

/// A response of the test server, with helpers to read AWS errors.
struct APIResponse {
    var status: Int
    var headers: HTTPFields
    var body: String

    /// The code of a rest-json error (`x-amzn-ErrorType` up to the `:`).
    var errorType: String? {
        headers[HTTPFields.Element.Name("x-amzn-ErrorType")!].map { String($0.prefix { $0 != ":" }) }
    }

    /// The body as a JSON object.
    var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any] ?? [:]
    }

    /// The text of the first `<name>` element of an XML body.
    func xml(_ name: String) -> String? {
        guard let open = body.range(of: "<\(name)>"),
            let close = body.range(of: "</\(name)>", range: open.upperBound..<body.endIndex)
        else { return nil }
        return String(body[open.upperBound..<close.lowerBound])
            .replacingOccurrences(of: "&apos;", with: "'").replacingOccurrences(of: "&quot;", with: "\"")
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&amp;", with: "&")
    }
}

/// Builds a ControlPlane with test handlers and sends signed requests through the router.
struct TestAPI {
    var controlPlane: ControlPlane

    init(
        acceptsAnyCredentials: Bool = false,
        rootCertificatePEM: String? = nil,
        registersTestHandlers: Bool = true,
        reset: (@Sendable () async throws -> Void)? = nil
    ) {
        var logger = Logger(label: "controlplane-tests")
        logger.logLevel = .critical
        controlPlane = ControlPlane(
            configuration: .init(
                secretAccessKey: TestKeys.lookup, acceptsAnyCredentials: acceptsAnyCredentials,
                publicHost: "iot.thingport.test", rootCertificatePEM: rootCertificatePEM, reset: reset),
            logger: logger)
        if registersTestHandlers { TestHandlers.register(&controlPlane) }
    }

    /// Runs `body` with a client of the router.
    func run<Value: Sendable>(_ body: @Sendable @escaping (APIClient) async throws -> Value) async throws -> Value {
        var logger = Logger(label: "controlplane-tests")
        logger.logLevel = .critical
        let app = Application(router: controlPlane, logger: logger)
        return try await app.test(.router) { client in
            try await body(APIClient(client: client))
        }
    }
}

/// Sends requests, signed with AWSWire's signer, to the test framework's client.
struct APIClient: Sendable {
    let client: any TestClientProtocol

    /// Sends a request signed for `service`.
    ///
    /// - Parameters:
    ///   - path: The raw path, percent-encoded as on the wire.
    ///   - query: The raw query.
    ///   - presign: Presigns in the query instead of the `Authorization` header.
    ///   - signed: When false the request carries no authentication.
    ///   - tamper: Changes the request after signing.
    ///   - sentBody: The body sent, when it differs from the one signed.
    func send(
        _ method: HTTPRequest.Method, _ path: String, query: String = "", headers: [HeaderField] = [],
        body: String = "", service: String = "iot", credentials: SigV4Credentials = TestKeys.known,
        date: Date = Date(), region: String = "us-east-1", presign: Bool = false, signed: Bool = true,
        tamper: ((inout SigV4Request) -> Void)? = nil, sentBody: String? = nil
    ) async throws -> APIResponse {
        var request = SigV4Request(
            method: method.rawValue, path: path, query: query,
            headers: [HeaderField("Host", "localhost")] + headers, body: Array(body.utf8))
        if signed {
            let signer = SigV4Signer(credentials: credentials, region: region, service: service)
            request =
                presign
                ? signer.presign(request, at: date, expires: 300).request : signer.sign(request, at: date).request
        }
        tamper?(&request)
        var fields = HTTPFields()
        for header in request.headers where header.name.lowercased() != "host" {
            fields.append(HTTPFields.Element(name: HTTPFields.Element.Name(header.name)!, value: header.value))
        }
        let uri = request.query.isEmpty ? request.path : request.path + "?" + request.query
        let sent = sentBody ?? body
        let response = try await client.execute(
            uri: uri, method: method, headers: fields,
            body: sent.isEmpty ? nil : ByteBuffer(string: sent))
        return APIResponse(
            status: Int(response.status.code), headers: response.headers, body: String(buffer: response.body))
    }

    /// Sends a query-protocol request (form-encoded POST to `/`).
    func query(
        _ service: String, _ parameters: [(String, String)], credentials: SigV4Credentials = TestKeys.known,
        signed: Bool = true
    ) async throws -> APIResponse {
        let form = parameters.map { AWSPercentEncoding.encode($0.0) + "=" + AWSPercentEncoding.encode($0.1) }
            .joined(separator: "&")
        return try await send(
            .post, "/", headers: [HeaderField("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")],
            body: form, service: service, credentials: credentials, signed: signed)
    }
}
