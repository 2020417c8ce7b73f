import CertificateAuthority
import Logging
import MQTTBroker
import NIOCore
import NIOPosix
import NIOSSL
import ServiceLifecycle

/// The whole of Thingport in one process: the data directory, the broker and its listeners,
/// run together under swift-service-lifecycle.
public struct ThingportServer: Sendable {
    /// The configuration it runs with.
    public let configuration: ThingportConfiguration
    /// The MQTT broker.
    public let broker: Broker
    /// The account's root credentials (from `secret.key`).
    public let credentials: AccountCredentials
    private let logger: Logger

    /// Prepares the data directory (creating the CA and server certificate on first start)
    /// and the services. Nothing listens until ``run(onReady:)``.
    public init(
        configuration: ThingportConfiguration,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger = Logger(label: "thingport")
    ) throws {
        self.configuration = configuration
        self.logger = logger
        let dataDirectory = DataDirectory(path: configuration.dataDirectory)
        try dataDirectory.create()
        let root = try dataDirectory.loadOrCreateRootAuthority(logger: logger)
        self.credentials = try dataDirectory.loadOrCreateCredentials(region: configuration.region)
        logger.info("account credentials", metadata: ["path": "\(dataDirectory.file("secret.key"))"])
        let server = try dataDirectory.loadOrIssueServerCredentials(
            root: root,
            hosts: configuration.publicHosts,
            logger: logger
        )

        var listeners = [
            Broker.Listener(
                kind: .mutualTLS,
                host: configuration.host,
                port: configuration.mqttPort,
                tlsContext: try Self.mutualTLSContext(rootPEM: root.certificatePEM, server: server)
            )
        ]
        if let plainPort = configuration.mqttPlainPort {
            listeners.append(Broker.Listener(kind: .plain, host: configuration.host, port: plainPort))
        }
        self.broker = Broker(
            configuration: Broker.Configuration(
                listeners: listeners,
                maximumPacketSize: configuration.maximumPacketSize,
                maximumKeepAlive: configuration.maximumKeepAlive,
                maximumInflight: configuration.maximumInflight,
                maximumQueuedMessages: configuration.maximumQueuedMessages
            ),
            eventLoopGroup: eventLoopGroup,
            logger: logger
        )
    }

    /// Runs every service until SIGINT or SIGTERM; `onReady` is called once all listeners
    /// accept connections.
    public func run(onReady: @escaping @Sendable () -> Void) async throws {
        let group = ServiceGroup(
            configuration: .init(
                services: [.init(service: broker)],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger
            )
        )
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            tasks.addTask { [broker] in
                _ = try await broker.waitUntilListening()
                onReady()
            }
            try await tasks.waitForAll()
        }
    }

    /// The TLS context of the mutual-TLS listener: the server certificate chained to the root,
    /// client certificates required and verified against the root.
    static func mutualTLSContext(
        rootPEM: String,
        server: (certificatePEM: String, privateKeyPEM: String)
    ) throws -> NIOSSLContext {
        let root = try NIOSSLCertificate(bytes: Array(rootPEM.utf8), format: .pem)
        let leaf = try NIOSSLCertificate(bytes: Array(server.certificatePEM.utf8), format: .pem)
        let key = try NIOSSLPrivateKey(bytes: Array(server.privateKeyPEM.utf8), format: .pem)
        var tls = TLSConfiguration.makeServerConfiguration(
            certificateChain: [.certificate(leaf), .certificate(root)],
            privateKey: .privateKey(key)
        )
        tls.certificateVerification = .noHostnameVerification
        tls.trustRoots = .certificates([root])
        tls.sendCANameList = true
        // AWS device SDKs may offer ALPN "x-amzn-mqtt-ca" (for port 443); accept it.
        tls.applicationProtocols = ["x-amzn-mqtt-ca", "mqtt"]
        return try NIOSSLContext(configuration: tls)
    }
}
