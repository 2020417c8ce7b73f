import CertificateAuthority
import ControlPlane
import DeviceAuthorization
import Hummingbird
import Identity
import Logging
import MQTTBroker
import NIOCore
import NIOPosix
import NIOSSL
import Notifications
import PolicyEngine
import Registry
import ServiceLifecycle
import Storage

/// The whole of Thingport in one process: the data directory, the database and registry,
/// the MQTT broker and its listeners, and the AWS API, run together under
/// swift-service-lifecycle.
public struct ThingportServer: Sendable {
    /// The configuration it runs with.
    public let configuration: ThingportConfiguration
    /// The MQTT broker.
    public let broker: Broker
    /// The account's root credentials (from `secret.key`).
    public let credentials: AccountCredentials
    /// The device registry.
    public let registry: Registry
    /// The mutual-TLS listener's authorizer: registry certificates and IoT policies.
    public let devices: RegistryAuthorizer
    /// The account's IAM roles and policies (rules act with their roles).
    public let identity: IdentityStore
    /// SNS topics and subscriptions.
    public let notifications: NotificationService
    /// Sends SNS deliveries (e-mail and HTTP), retrying until delivered.
    public let deliveries: DeliveryPipeline
    private let database: Database
    private let api: Application<ControlPlaneResponder>
    private let apiRunning: AsyncStream<Void>
    private let logger: Logger

    /// Prepares the data directory (creating the CA, server certificate, credentials and
    /// database on first start), migrates the database and builds the services. Nothing
    /// listens until ``run(onReady:)``.
    public init(
        configuration: ThingportConfiguration,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger = Logger(label: "thingport")
    ) async throws {
        self.configuration = configuration
        self.logger = logger
        let dataDirectory = DataDirectory(path: configuration.dataDirectory)
        try dataDirectory.create()
        let root = try dataDirectory.loadOrCreateRootAuthority(logger: logger)
        let credentials = try dataDirectory.loadOrCreateCredentials(region: configuration.region)
        self.credentials = credentials
        logger.info("account credentials", metadata: ["path": "\(dataDirectory.file("secret.key"))"])
        let server = try dataDirectory.loadOrIssueServerCredentials(
            root: root,
            hosts: configuration.publicHosts,
            logger: logger
        )

        let database = try await Database.open(
            .sqlite(path: dataDirectory.file("thingport.sqlite")),
            logger: logger
        )
        self.database = database
        let registry = Registry(
            database: database,
            scope: RegistryScope(region: configuration.region, accountId: configuration.accountId),
            logger: logger
        )
        do {
            try await registry.migrate()
        } catch {
            await database.shutdown()
            throw error
        }
        self.registry = registry
        let identity = IdentityStore(database: database, accountId: configuration.accountId, logger: logger)
        do {
            try await identity.migrate()
        } catch {
            await database.shutdown()
            throw error
        }
        self.identity = identity
        // SNS: deliveries are signed with a key issued by the root CA and leave through the
        // SMTP server (--smtp-*) or the outbox directory, and HTTP(S).
        let deliveries: DeliveryPipeline
        let notifications: NotificationService
        let signing: (certificatePEM: String, privateKeyPEM: String)
        do {
            signing = try dataDirectory.loadOrCreateNotificationSigningCredentials(root: root, logger: logger)
            let renderer = try DeliveryRenderer(
                signer: try SNSMessageSigner(
                    privateKeyPEM: signing.privateKeyPEM, certificatePEM: signing.certificatePEM),
                links: DeliveryLinks(publicAPIBaseURL: configuration.publicAPIBaseURL)
            )
            deliveries = DeliveryPipeline(
                database: database,
                renderer: renderer,
                mailTransport: try Self.mailTransport(configuration.smtp, dataDirectory: dataDirectory, logger: logger),
                logger: logger
            )
            notifications = NotificationService(
                database: database, region: configuration.region, accountId: configuration.accountId,
                notifier: deliveries, logger: logger)
            try await notifications.migrate()
        } catch {
            await database.shutdown()
            throw error
        }
        self.deliveries = deliveries
        self.notifications = notifications

        // Devices are their registry certificates, and IoT policies decide what they may do.
        let devices = RegistryAuthorizer(
            registry: registry,
            rootCertificates: [root.certificate],
            domainName: configuration.publicHosts.first,
            logger: logger
        )
        let plainAuthorizer: PolicyAuthorizer
        do {
            try await devices.start()
            let scope = devices.scope
            plainAuthorizer =
                try configuration.plainPolicyPath.map { try PolicyAuthorizer(contentsOfFile: $0, scope: scope) }
                ?? PolicyAuthorizer(document: nil, scope: scope)
        } catch {
            devices.stop()
            await database.shutdown()
            throw error
        }
        self.devices = devices

        var listeners = [
            Broker.Listener(
                kind: .mutualTLS,
                host: configuration.host,
                port: configuration.mqttPort,
                tlsContext: try Self.mutualTLSContext(rootPEM: root.certificatePEM, server: server),
                authorizer: devices,
                limits: configuration.deviceLimits,
                clientCertificateValidator: devices
            )
        ]
        if let plainPort = configuration.mqttPlainPort {
            var plainLimits = configuration.deviceLimits
            plainLimits.qos2 = .supported
            listeners.append(
                Broker.Listener(
                    kind: .plain,
                    host: configuration.host,
                    port: plainPort,
                    authorizer: plainAuthorizer,
                    limits: plainLimits
                ))
        }
        let broker = Broker(
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
        self.broker = broker
        broker.addConnectionObserver(devices)
        broker.addConnectionObserver(LifecycleEventPublisher(broker: broker, logger: logger))

        // POST /_thingport/reset (--allow-reset): the registry, retained messages and sessions.
        var reset: (@Sendable () async throws -> Void)?
        if configuration.allowReset {
            reset = {
                try await registry.reset()
                try await identity.reset()
                try await notifications.reset()
                broker.reset()
            }
        }
        // The e-mails written without SMTP (`--smtp-host`); an empty list with SMTP.
        let outbox = OutboxDirectory(path: dataDirectory.file("outbox"))
        var controlPlane = ControlPlane(
            configuration: ControlPlane.Configuration(
                secretAccessKey: { accessKeyId in
                    accessKeyId == credentials.accessKeyId ? credentials.secretAccessKey : nil
                },
                acceptsAnyCredentials: configuration.acceptAnyCredentials,
                publicHost: configuration.publicHosts.first ?? "localhost",
                rootCertificatePEM: root.certificatePEM,
                reset: reset,
                publicDocuments: [
                    DeliveryLinks.signingCertificatePath: ("application/x-pem-file", signing.certificatePEM)
                ],
                signedDocuments: [
                    OutboxListing.path: { [outbox] in ("application/json", try await OutboxListing.json(of: outbox)) },
                    DeliveryCountersDocument.path: { [deliveries] in
                        ("application/json", try DeliveryCountersDocument.json(of: deliveries.statistics))
                    },
                ]
            ),
            logger: logger
        )
        controlPlane.registerIoTOperations(IoTServices(registry: registry, authority: root))
        controlPlane.registerTestAuthorization(devices)
        controlPlane.registerIAMOperations(identity)
        controlPlane.registerSNSOperations(notifications)
        let (apiRunning, apiRunningContinuation) = AsyncStream.makeStream(of: Void.self)
        self.apiRunning = apiRunning
        self.api = Application(
            router: controlPlane,
            configuration: .init(
                address: .hostname(configuration.host, port: configuration.apiPort),
                serverName: "Thingport"
            ),
            onServerRunning: { _ in
                apiRunningContinuation.yield()
                apiRunningContinuation.finish()
            },
            eventLoopGroupProvider: .shared(eventLoopGroup),
            logger: logger
        )
        if configuration.acceptAnyCredentials {
            logger.warning(
                "accepting any well-formed SigV4 credentials (--accept-any-credentials): local development only")
        }
    }

    /// Runs every service until SIGINT or SIGTERM; `onReady` is called once the API and every
    /// MQTT listener accept connections. The database is closed last.
    public func run(onReady: @escaping @Sendable () -> Void) async throws {
        let group = ServiceGroup(
            configuration: .init(
                services: [
                    .init(service: DatabaseService(database: database)),
                    .init(service: RegistryFollower(devices: devices)),
                    .init(service: deliveries),
                    .init(service: broker),
                    .init(service: api),
                ],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger
            )
        )
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            tasks.addTask { [broker, apiRunning] in
                _ = try await broker.waitUntilListening()
                for await _ in apiRunning { break }
                onReady()
            }
            try await tasks.waitForAll()
        }
    }

    /// Where e-mail notifications go: the SMTP server, or `DATA/outbox/` without one.
    static func mailTransport(_ smtp: SMTPSettings?, dataDirectory: DataDirectory, logger: Logger) throws
        -> any MailTransport
    {
        guard let smtp else {
            logger.info(
                "e-mail notifications go to the outbox directory", metadata: ["path": "\(dataDirectory.file("outbox"))"]
            )
            return OutboxDirectory(path: dataDirectory.file("outbox"))  // also listed by OutboxListing
        }
        var credentials: SMTPClient.Credentials?
        if let username = smtp.username {
            credentials = SMTPClient.Credentials(username: username, password: smtp.password ?? "")
        }
        return try SMTPClient(
            configuration: SMTPClient.Configuration(
                host: smtp.host, port: smtp.port, security: smtp.startTLS ? .startTLS : .plain,
                credentials: credentials),
            logger: logger)
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

/// Keeps the device authorizer following registry changes while Thingport runs.
struct RegistryFollower: Service {
    let devices: RegistryAuthorizer

    func run() async throws {
        try? await gracefulShutdown()
        devices.stop()
    }
}

/// Keeps the database open while Thingport runs and closes it at shutdown, after the
/// services that use it (it is first in the service group, so it stops last).
struct DatabaseService: Service {
    let database: Database

    func run() async throws {
        try? await gracefulShutdown()
        await database.shutdown()
    }
}
