import AWSWire
import ControlPlane
import Foundation
import Hummingbird
import Testing

@Suite("SigV4 authentication and unsigned routes")
struct AuthenticationTests {
    private let api = TestAPI()

    @Test("a request without authentication gets the protocol's MissingAuthenticationToken")
    func missing() async throws {
        try await api.run { client in
            let rest = try await client.send(.get, "/things/t1", signed: false)
            #expect(rest.status == 403)
            #expect(rest.errorType == "MissingAuthenticationTokenException")
            let query = try await client.query("sns", [("Action", "ListTopics")], signed: false)
            #expect(query.status == 403)
            #expect(query.body.hasPrefix(#"<ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/">"#))
            #expect(query.xml("Code") == "MissingAuthenticationToken")
            let iam = try await client.query("iam", [("Action", "GetRole"), ("RoleName", "r")], signed: false)
            #expect(iam.body.hasPrefix(#"<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">"#))
        }
    }

    @Test("an unknown access key is UnrecognizedClientException / InvalidClientTokenId")
    func unknownKey() async throws {
        try await api.run { client in
            let rest = try await client.send(.get, "/things/t1", credentials: TestKeys.unknown)
            #expect(rest.status == 403)
            #expect(rest.errorType == "UnrecognizedClientException")
            #expect(rest.json["message"] as? String == "The security token included in the request is invalid.")
            let query = try await client.query("sns", [("Action", "ListTopics")], credentials: TestKeys.unknown)
            #expect(query.status == 403)
            #expect(query.xml("Code") == "InvalidClientTokenId")
        }
    }

    @Test("a wrong secret or a tampered request is InvalidSignatureException / SignatureDoesNotMatch")
    func badSignature() async throws {
        try await api.run { client in
            let wrong = try await client.send(.get, "/things/t1", credentials: TestKeys.wrongSecret)
            #expect(wrong.status == 403)
            #expect(wrong.errorType == "InvalidSignatureException")
            let body = try await client.send(.post, "/things/t1", body: "{}", sentBody: #"{"thingTypeName":"x"}"#)
            #expect(body.status == 403)
            #expect(body.errorType == "InvalidSignatureException")
            let path = try await client.send(.get, "/things/t1") { request in request.path = "/things/t2" }
            #expect(path.errorType == "InvalidSignatureException")
            let query = try await client.query("sns", [("Action", "ListTopics")], credentials: TestKeys.wrongSecret)
            #expect(query.xml("Code") == "SignatureDoesNotMatch")
        }
    }

    @Test("a request signed outside the 15-minute window is refused")
    func skew() async throws {
        try await api.run { client in
            let old = try await client.send(.get, "/things/t1", date: Date().addingTimeInterval(-16 * 60))
            #expect(old.status == 403)
            #expect(old.errorType == "InvalidSignatureException")
            #expect((old.json["message"] as? String)?.hasPrefix("Signature expired:") == true)
            let future = try await client.send(.get, "/things/t1", date: Date().addingTimeInterval(16 * 60))
            #expect(future.errorType == "InvalidSignatureException")
            #expect((future.json["message"] as? String)?.hasPrefix("Signature not yet current:") == true)
            let slightlyOff = try await client.send(.get, "/things/t1", date: Date().addingTimeInterval(-10 * 60))
            #expect(slightlyOff.status == 200)
        }
    }

    @Test("the service comes from the credential scope")
    func scope() async throws {
        try await api.run { client in
            // /things/t1 is not an sns path: signed for sns, it is read as a query request.
            let asSNS = try await client.send(.get, "/things/t1", service: "sns")
            #expect(asSNS.xml("Code") == "MissingAction")
            let unknownService = try await client.send(.get, "/things/t1", service: "s3")
            #expect(unknownService.status == 403)
            #expect(unknownService.errorType == "InvalidSignatureException")
        }
    }

    @Test("presigned query requests are verified")
    func presigned() async throws {
        try await api.run { client in
            let response = try await client.send(.get, "/things/a%3Ab", query: "x=1", presign: true)
            #expect(response.status == 200)
            #expect(response.json["thingName"] as? String == "a:b")
            let tampered = try await client.send(.get, "/things/a%3Ab", query: "x=1", presign: true) { request in
                request.query = request.query.replacingOccurrences(of: "x=1", with: "x=2")
            }
            #expect(tampered.errorType == "InvalidSignatureException")
            let query = try await client.send(.get, "/", query: "Action=ListTopics", service: "sns", presign: true)
            #expect(query.status == 200)
        }
    }

    @Test("accept-any-credentials admits unknown keys but still checks known ones")
    func acceptAny() async throws {
        let permissive = TestAPI(acceptsAnyCredentials: true)
        try await permissive.run { client in
            let unknown = try await client.send(.get, "/things/t1", credentials: TestKeys.unknown)
            #expect(unknown.status == 200)
            #expect(unknown.json["thingId"] as? String == TestKeys.unknown.accessKeyId)
            let wrong = try await client.send(.get, "/things/t1", credentials: TestKeys.wrongSecret)
            #expect(wrong.errorType == "InvalidSignatureException")
            let unsigned = try await client.send(.get, "/things/t1", signed: false)
            #expect(unsigned.errorType == "MissingAuthenticationTokenException")
        }
    }

    @Test("GET /health and GET /ca/root.pem need no signature")
    func unsignedRoutes() async throws {
        let pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"
        try await TestAPI(rootCertificatePEM: pem).run { client in
            let health = try await client.send(.get, "/health", signed: false)
            #expect(health.status == 200)
            let root = try await client.send(.get, "/ca/root.pem", signed: false)
            #expect(root.status == 200)
            #expect(root.body == pem)
            #expect(root.headers[.contentType] == "application/x-pem-file")
        }
        try await TestAPI().run { client in
            let root = try await client.send(.get, "/ca/root.pem", signed: false)
            #expect(root.status == 404)
        }
    }

    @Test("POST /_thingport/reset calls the reset closure only when enabled")
    func reset() async throws {
        let calls = Counter()
        let enabled = TestAPI(reset: { await calls.increment() })
        try await enabled.run { client in
            let response = try await client.send(.post, "/_thingport/reset", signed: false)
            #expect(response.status == 200)
        }
        #expect(await calls.value == 1)
        try await TestAPI().run { client in
            let response = try await client.send(.post, "/_thingport/reset", signed: false)
            #expect(response.status == 404)
        }
    }
}

private actor Counter {
    private(set) var value = 0

    func increment() {
        value += 1
    }
}
