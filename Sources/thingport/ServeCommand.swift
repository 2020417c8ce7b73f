import ArgumentParser
import Foundation
import Logging
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
    }

    func run() async throws {
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

        configuration.acceptAnyCredentials = acceptAnyCredentials
        configuration.allowReset = allowReset
        let server = try await ThingportServer(configuration: configuration)
        try await server.run {
            FileHandle.standardOutput.write(Data("thingport ready\n".utf8))
        }
    }
}
