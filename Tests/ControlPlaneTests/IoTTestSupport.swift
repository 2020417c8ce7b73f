import AWSWire
import CertificateAuthority
import ControlPlane
import Crypto
import Foundation
import Hummingbird
import HummingbirdTesting
import Registry
import Storage
import Testing
import X509

/// A clock the IoT tests move by hand.
final class IoTTestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current = Date()

    var now: Date { lock.withLock { current } }

    func advance(seconds: TimeInterval) { lock.withLock { current += seconds } }
}

/// The iot operations over a fresh SQLite registry, called through the router with signed
/// requests.
struct IoTFixture: Sendable {
    static let scope = RegistryScope(region: "us-east-1", accountId: "123456789012")
    /// Thingport's root (RSA-2048 generation is slow: made once per run).
    static let root: IssuingAuthority = try! IssuingAuthority.generateRoot()

    let registry: Registry
    let clock: IoTTestClock
    let client: APIClient

    /// Runs `body` with a migrated registry over a fresh SQLite file, then removes it.
    static func withRegistry(
        clock: IoTTestClock = IoTTestClock(), _ body: (Registry) async throws -> Void
    ) async throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("thingport-iot-\(UUID().uuidString)", isDirectory: true)
        let database = try await Database.open(.sqlite(path: directory.appendingPathComponent("db.sqlite").path))
        let registry = Registry(database: database, scope: scope, clock: { clock.now })
        do {
            try await registry.migrate()
            try await body(registry)
        } catch {
            await database.shutdown()
            try? FileManager.default.removeItem(at: directory)
            throw error
        }
        await database.shutdown()
        try? FileManager.default.removeItem(at: directory)
    }

    /// Runs `body` with a client of an API serving the iot operations, then removes everything.
    static func with(_ body: @escaping @Sendable (IoTFixture) async throws -> Void) async throws {
        let clock = IoTTestClock()
        try await withRegistry(clock: clock) { registry in
            var api = TestAPI(registersTestHandlers: false)
            api.controlPlane.registerIoTOperations(
                IoTServices(registry: registry, authority: root, clock: { clock.now }))
            try await api.run { client in
                try await body(IoTFixture(registry: registry, clock: clock, client: client))
            }
        }
    }

    /// Sends a signed iot request with an optional JSON body.
    @discardableResult
    func call(
        _ method: HTTPRequest.Method, _ path: String, query: String = "", headers: [HeaderField] = [],
        json: [String: Any]? = nil
    ) async throws -> APIResponse {
        let body =
            try json.map {
                String(decoding: try JSONSerialization.data(withJSONObject: $0, options: [.sortedKeys]), as: UTF8.self)
            } ?? ""
        let contentType = json == nil ? [] : [HeaderField("Content-Type", "application/json")]
        return try await client.send(method, path, query: query, headers: contentType + headers, body: body)
    }

    /// The ARN of a resource of the test account.
    func arn(_ resource: ARN.IoTResource) -> String { Self.scope.arn(resource) }
}

extension APIResponse {
    /// Expects a 200 answer and returns its JSON.
    @discardableResult
    func ok(sourceLocation: SourceLocation = #_sourceLocation) -> [String: Any] {
        #expect(status == 200, "\(status) \(errorType ?? ""): \(body)", sourceLocation: sourceLocation)
        return json
    }

    /// Expects an AWS error with `code` and `status`, and returns its message.
    @discardableResult
    func expectError(
        _ code: String, status expected: Int, sourceLocation: SourceLocation = #_sourceLocation
    ) -> String {
        #expect(errorType == code, "\(status): \(body)", sourceLocation: sourceLocation)
        #expect(status == expected, "\(errorType ?? ""): \(body)", sourceLocation: sourceLocation)
        return json["message"] as? String ?? ""
    }
}

/// Percent-encodes a URI label or query value as botocore does.
func encoded(_ text: String) -> String { AWSPercentEncoding.encode(text) }

/// Customer CAs and certificates for the certificate tests (P-256 keys: fast to make).
enum IoTCertificates {
    /// A customer CA named `CN=commonName, O=Acme`.
    static func customerCA(_ commonName: String = "Acme Device CA") throws -> IssuingAuthority {
        try IssuingAuthority.makeRoot(
            privateKey: X509.Certificate.PrivateKey(P256.Signing.PrivateKey()),
            subject: try DistinguishedName {
                OrganizationName("Acme")
                CommonName(commonName)
            })
    }

    /// A PKCS#10 request for a new P-256 key, as PEM.
    static func csrPEM(commonName: String) throws -> String {
        let request = try CertificateSigningRequest(
            version: .v1, subject: try DistinguishedName { CommonName(commonName) },
            privateKey: X509.Certificate.PrivateKey(P256.Signing.PrivateKey()),
            attributes: CertificateSigningRequest.Attributes())
        return try request.serializeAsPEM().pemString
    }

    /// A certificate `authority` signs for a new key with `CN=commonName`, as PEM.
    static func issue(by authority: IssuingAuthority, commonName: String) throws -> String {
        try authority.issueCertificate(csrPEM: csrPEM(commonName: commonName)).certificatePEM
    }
}
