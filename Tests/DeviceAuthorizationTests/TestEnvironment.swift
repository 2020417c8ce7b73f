import DeviceAuthorization
import Foundation
import MQTTBroker
import MQTTProtocol
import NIOConcurrencyHelpers
import NIOCore
import PolicyEngine
import Registry
import Storage
import Testing
import X509

let testRegion = "us-east-1"
let testAccount = "123456789012"
let testScope = IoTResourceScope(region: testRegion, account: testAccount)

/// `arn:aws:iot:us-east-1:123456789012:<type>/<name>`.
func iotARN(_ type: String, _ name: String) -> String {
    "arn:aws:iot:\(testRegion):\(testAccount):\(type)/\(name)"
}

/// A policy document with one statement per `(effect, actions, resources)`.
func policyJSON(_ statements: [(effect: String, actions: [String], resources: [String])]) -> String {
    func list(_ values: [String]) -> String { "[" + values.map { "\"\($0)\"" }.joined(separator: ",") + "]" }
    let body = statements.map { statement in
        "{\"Effect\":\"\(statement.effect)\",\"Action\":\(list(statement.actions)),\"Resource\":\(list(statement.resources))}"
    }
    return "{\"Version\":\"2012-10-17\",\"Statement\":[\(body.joined(separator: ","))]}"
}

/// Allows every IoT action on everything.
let allowAllPolicy = policyJSON([("Allow", ["iot:*"], ["*"])])

/// A real SQLite registry, the registry authorizer, and a real broker with a mutual-TLS
/// listener and a plain listener on 127.0.0.1 (ports chosen by the system), publishing
/// lifecycle events, which the environment collects.
final class TestEnvironment: Sendable {
    let pki = TestPKI.shared
    let directory: URL
    let database: Database
    let registry: Registry
    let authorizer: RegistryAuthorizer
    let broker: Broker
    let tlsPort: Int
    let plainPort: Int
    private let running: Task<Void, any Error>
    private let collecting: Task<Void, Never>
    private let events: NIOLockedValueBox<[InProcessDelivery]>

    private init(
        directory: URL, database: Database, registry: Registry, authorizer: RegistryAuthorizer, broker: Broker,
        tlsPort: Int, plainPort: Int, running: Task<Void, any Error>, collecting: Task<Void, Never>,
        events: NIOLockedValueBox<[InProcessDelivery]>
    ) {
        self.directory = directory
        self.database = database
        self.registry = registry
        self.authorizer = authorizer
        self.broker = broker
        self.tlsPort = tlsPort
        self.plainPort = plainPort
        self.running = running
        self.collecting = collecting
        self.events = events
    }

    /// Starts everything.
    ///
    /// - Parameters:
    ///   - plainPolicy: The plain listener's policy (nil: allow everything).
    ///   - validatesInHandshake: Whether the TLS listener uses the authorizer as its
    ///     certificate validator (registered CAs); without, BoringSSL trusts the root only.
    static func start(plainPolicy: PolicyDocument? = nil, validatesInHandshake: Bool = true) async throws
        -> TestEnvironment
    {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("thingport-authz-\(UUID().uuidString)", isDirectory: true)
        let database = try await Database.open(.sqlite(path: directory.appendingPathComponent("registry.sqlite").path))
        let registry = Registry(database: database, scope: RegistryScope(region: testRegion, accountId: testAccount))
        try await registry.migrate()
        let pki = TestPKI.shared
        let authorizer = RegistryAuthorizer(registry: registry, rootCertificates: [pki.root.certificate])
        try await authorizer.start()
        let broker = Broker(
            configuration: .init(
                listeners: [
                    .init(
                        kind: .mutualTLS, host: "127.0.0.1", port: 0, tlsContext: try pki.serverTLSContext(),
                        authorizer: authorizer, clientCertificateValidator: validatesInHandshake ? authorizer : nil),
                    .init(
                        kind: .plain, host: "127.0.0.1", port: 0,
                        authorizer: PolicyAuthorizer(document: plainPolicy, scope: testScope)),
                ],
                maximumPacketSize: 256 * 1024
            ))
        broker.addConnectionObserver(authorizer)
        broker.addConnectionObserver(LifecycleEventPublisher(broker: broker))
        let running = Task { try await broker.run() }
        let bound = try await broker.waitUntilListening()
        let tlsPort = try #require(bound.first { $0.kind == .mutualTLS }?.port)
        let plainPort = try #require(bound.first { $0.kind == .plain }?.port)

        let listener = broker.connectInProcess(clientIdentifier: "test-lifecycle-listener")
        try listener.subscribe("$aws/events/#", qos: .atLeastOnce)
        let events = NIOLockedValueBox<[InProcessDelivery]>([])
        let collecting = Task {
            for await delivery in listener.deliveries {
                events.withLockedValue { $0.append(delivery) }
            }
        }
        return TestEnvironment(
            directory: directory, database: database, registry: registry, authorizer: authorizer, broker: broker,
            tlsPort: tlsPort, plainPort: plainPort, running: running, collecting: collecting, events: events)
    }

    func stop() async {
        authorizer.stop()
        running.cancel()
        _ = try? await running.value
        collecting.cancel()
        await database.shutdown()
        try? FileManager.default.removeItem(at: directory)
    }

    /// Runs `body` in a fresh environment, stopping it afterwards.
    static func with(
        plainPolicy: PolicyDocument? = nil,
        validatesInHandshake: Bool = true,
        _ body: (TestEnvironment) async throws -> Void
    ) async throws {
        let environment = try await start(plainPolicy: plainPolicy, validatesInHandshake: validatesInHandshake)
        do {
            try await body(environment)
        } catch {
            await environment.stop()
            throw error
        }
        await environment.stop()
    }

    // MARK: Registry helpers

    /// Registers `device` with `status` and attaches the named policies to it.
    func register(
        _ device: TestDevice, status: CertificateStatus = .active, caCertificateId: String? = nil,
        policies: [String] = []
    ) async throws {
        try await registry.registerCertificate(
            CertificateRegistration(
                certificateId: device.certificateId, certificatePem: device.certificatePEM, status: status,
                caCertificateId: caCertificateId))
        for policy in policies {
            try await registry.attachPolicy(policyName: policy, target: device.certificateArn)
        }
    }

    /// Creates a policy.
    func policy(_ name: String, _ document: String) async throws {
        _ = try await registry.createPolicy(policyName: name, policyDocument: document)
    }

    /// A new device certificate from the root, registered ACTIVE with an allow-all policy.
    func allowedDevice(subject: String = "device") async throws -> TestDevice {
        let device = try TestPKI.device(issuedBy: pki.root, subject: try .init { CommonName(subject) })
        if (try? await registry.getPolicy(policyName: "allow-all")) == nil {
            try await policy("allow-all", allowAllPolicy)
        }
        try await register(device, policies: ["allow-all"])
        return device
    }

    // MARK: Clients

    /// Opens a mutual-TLS connection as `device`.
    func tlsClient(_ device: TestDevice) async throws -> TestMQTTClient {
        try await TestMQTTClient.open(port: tlsPort, tls: try pki.clientTLSContext(for: device))
    }

    /// Opens a plain TCP connection.
    func plainClient() async throws -> TestMQTTClient {
        try await TestMQTTClient.open(port: plainPort)
    }

    /// Connects as `device` with `clientId`; the CONNACK, or nil when refused by closing.
    func connect(_ device: TestDevice, clientId: String, username: String? = nil) async throws -> (
        TestMQTTClient, MQTTPacket.Connack?
    ) {
        let client = try await tlsClient(device)
        return (client, try await client.connect(clientId, username: username))
    }

    /// Whether `device` connecting as `clientId` is refused before any CONNACK (TLS alert or
    /// connection closed).
    func isRefused(_ device: TestDevice, clientId: String) async throws -> Bool {
        let client: TestMQTTClient
        do {
            client = try await tlsClient(device)
        } catch {
            return true
        }
        defer { Task { await client.close() } }
        return try await client.connect(clientId) == nil
    }

    // MARK: Lifecycle events

    /// The JSON of the next lifecycle event on `topic` not yet taken.
    func event(on topic: String, timeout: Duration = .seconds(5)) async throws -> [String: Any] {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let found: InProcessDelivery? = events.withLockedValue { events in
                guard let index = events.firstIndex(where: { $0.message.topic == topic }) else { return nil }
                return events.remove(at: index)
            }
            if let found {
                let data = Data(String(buffer: found.message.payload).utf8)
                return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            }
            try await Task.sleep(for: .milliseconds(5))
        }
        throw TimedOut(what: "a lifecycle event on \(topic)")
    }
}

/// A JSON number as `JSONSerialization` hands it over (Int, Double or NSNumber).
func jsonNumber(_ value: Any?) -> Double? {
    switch value {
    case let value as Int: Double(value)
    case let value as Double: value
    case let value as NSNumber: value.doubleValue
    default: nil
    }
}

/// Whether `condition` becomes true within `timeout` (checked every few milliseconds).
func eventually(within timeout: Duration = .seconds(5), _ condition: () -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if condition() { return true }
        try? await Task.sleep(for: .milliseconds(5))
    }
    return condition()
}
