import ArgumentParser
import Foundation
import Logging
import MQTTBroker
import Thingport

/// `thingport serve`: runs Thingport until SIGINT or SIGTERM.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run Thingport. Prints 'thingport ready' when every listener accepts connections."
    )

    @Option(name: .customLong("data-dir"), help: "Where Thingport keeps its state.")
    var dataDirectory = "thingport-data"

    @Option(help: "The address every listener binds to.")
    var host = "127.0.0.1"

    @Option(
        name: .customLong("api-port"),
        help: "The HTTP API port: the AWS IoT, SNS and IAM APIs.")
    var apiPort = 8080

    @Option(name: .customLong("mqtt-port"), help: "The MQTT over mutual TLS port.")
    var mqttPort = 8883

    @Option(
        name: .customLong("mqtt-plain-port"),
        help: "A plain-TCP MQTT port without authentication (closed unless given).")
    var mqttPlainPort: Int?

    @Option(name: .customLong("max-keepalive"), help: "The longest MQTT keep-alive honoured, in seconds.")
    var maximumKeepAlive: UInt16?

    @Option(
        name: .customLong("public-host"), help: "A name devices reach this server by (repeatable; default localhost).")
    var publicHosts: [String] = []

    @Option(help: "The AWS region in ARNs.")
    var region = "us-east-1"

    @Option(name: .customLong("account-id"), help: "The AWS account id in ARNs.")
    var accountId = "000000000000"

    @Option(name: .customLong("max-packet-size"), help: "The largest MQTT packet accepted, in bytes.")
    var maximumPacketSize = 131_072

    @Option(
        name: .customLong("max-queued-messages"),
        help: "Messages queued per MQTT session behind the in-flight window or while the client is away.")
    var maximumQueuedMessages = 1000

    @Option(name: .customLong("max-inflight"), help: "Unacknowledged outgoing QoS 1 and 2 messages per MQTT session.")
    var maximumInflight = 100

    @Option(
        name: .customLong("plain-policy"),
        help: ArgumentHelp(
            "An IoT policy document (JSON file) governing plain-port clients (default: allow everything).",
            valueName: "file"))
    var plainPolicy: String?

    @Option(
        name: .customLong("max-client-id-bytes"),
        help: "The longest MQTT client id, in bytes (AWS IoT: 128; 0 = no limit).")
    var maximumClientIdentifierBytes = 128

    @Option(
        name: .customLong("max-topic-bytes"),
        help: "The longest topic name, in bytes (AWS IoT: 256; 0 = no limit).")
    var maximumTopicBytes = 256

    @Option(
        name: .customLong("max-topic-slashes"),
        help: "The most '/' in a topic name or filter, after $aws/rules/<rule>/ (AWS IoT: 7; 0 = no limit).")
    var maximumTopicSlashes = 7

    @Option(
        name: .customLong("max-payload-bytes"),
        help: "The largest PUBLISH payload, in bytes (AWS IoT: 131072; 0 = no limit).")
    var maximumPayloadBytes = 131_072

    @Option(
        name: .customLong("max-subscribe-filters"),
        help: "The most topic filters in one SUBSCRIBE (AWS IoT: 8; 0 = no limit).")
    var maximumFiltersPerSubscribe = 8

    @Option(
        name: .customLong("tls-qos2"),
        help: ArgumentHelp(
            "QoS 2 on the mutual-TLS port: 'disconnect' as AWS IoT Core, or 'supported' (full MQTT).",
            valueName: "disconnect|supported"))
    var tlsQoS2 = "disconnect"

    @Option(
        name: .customLong("smtp-host"),
        help: "The SMTP server e-mail notifications go through (default: written to DATA/outbox/ as .eml files).")
    var smtpHost: String?

    @Option(name: .customLong("smtp-port"), help: "The SMTP server's port.")
    var smtpPort = 25

    @Option(name: .customLong("smtp-user"), help: "The SMTP user name (AUTH PLAIN or LOGIN).")
    var smtpUser: String?

    @Option(
        name: .customLong("smtp-password"),
        help: "The SMTP password (or set THINGPORT_SMTP_PASSWORD, which keeps it out of the process list).")
    var smtpPassword: String?

    @Flag(name: .customLong("smtp-starttls"), help: "Require STARTTLS on the SMTP connection.")
    var smtpStartTLS = false

    @Flag(
        name: .customLong("accept-any-credentials"),
        help: "Accept any well-formed SigV4 signature, whatever the access key (local development only)."
    )
    var acceptAnyCredentials = false

    @Flag(name: .customLong("allow-reset"), help: "Serve POST /_thingport/reset.")
    var allowReset = false

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel: String = "info"

    func validate() throws {
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("unknown log level '\(logLevel)'")
        }
        guard maximumPacketSize >= 64 else { throw ValidationError("--max-packet-size must be at least 64") }
        guard maximumInflight >= 1 else { throw ValidationError("--max-inflight must be at least 1") }
        guard maximumQueuedMessages >= 0 else { throw ValidationError("--max-queued-messages must not be negative") }
        for (name, value) in [
            ("--max-client-id-bytes", maximumClientIdentifierBytes), ("--max-topic-bytes", maximumTopicBytes),
            ("--max-topic-slashes", maximumTopicSlashes), ("--max-payload-bytes", maximumPayloadBytes),
            ("--max-subscribe-filters", maximumFiltersPerSubscribe),
        ] where value < 0 {
            throw ValidationError("\(name) must not be negative")
        }
        if smtpHost == nil, smtpUser != nil || smtpPassword != nil || smtpStartTLS {
            throw ValidationError("--smtp-user, --smtp-password and --smtp-starttls need --smtp-host")
        }
        guard (1...65_535).contains(smtpPort) else { throw ValidationError("--smtp-port must be 1 to 65535") }
        guard ["disconnect", "supported"].contains(tlsQoS2) else {
            throw ValidationError("--tls-qos2 must be 'disconnect' or 'supported'")
        }
    }

    func run() async throws {
        AllocatorTuning.apply()
        let level = Logger.Level(rawValue: logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        var configuration = ThingportConfiguration()
        configuration.dataDirectory = dataDirectory
        configuration.host = host
        configuration.apiPort = apiPort
        configuration.mqttPort = mqttPort
        configuration.mqttPlainPort = mqttPlainPort
        configuration.maximumKeepAlive = maximumKeepAlive
        if !publicHosts.isEmpty { configuration.publicHosts = publicHosts }
        configuration.region = region
        configuration.accountId = accountId
        configuration.maximumPacketSize = maximumPacketSize
        configuration.maximumQueuedMessages = maximumQueuedMessages
        configuration.maximumInflight = maximumInflight
        configuration.plainPolicyPath = plainPolicy
        if let smtpHost {
            configuration.smtp = SMTPSettings(
                host: smtpHost, port: smtpPort, username: smtpUser,
                password: smtpPassword ?? ProcessInfo.processInfo.environment["THINGPORT_SMTP_PASSWORD"],
                startTLS: smtpStartTLS)
        }
        configuration.deviceLimits = Broker.Limits(
            maximumClientIdentifierBytes: limit(maximumClientIdentifierBytes),
            maximumTopicBytes: limit(maximumTopicBytes),
            maximumTopicSlashes: limit(maximumTopicSlashes),
            topicLimitExemptPrefix: Broker.Limits.awsIoT.topicLimitExemptPrefix,
            maximumPayloadBytes: limit(maximumPayloadBytes),
            maximumFiltersPerSubscribe: limit(maximumFiltersPerSubscribe),
            qos2: tlsQoS2 == "supported" ? .supported : .disconnect
        )

        configuration.acceptAnyCredentials = acceptAnyCredentials
        configuration.allowReset = allowReset
        let server = try await ThingportServer(configuration: configuration)
        try await server.run {
            FileHandle.standardOutput.write(Data("thingport ready\n".utf8))
        }
    }

    /// A limit option's value: 0 means no limit.
    private func limit(_ value: Int) -> Int? {
        value == 0 ? nil : value
    }
}
