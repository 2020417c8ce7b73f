import ArgumentParser
import Foundation
import MQTTBench
import MQTTProtocol

/// `thingport bench`: the MQTT load generator used by `benchmarks/`.
///
/// Three modes: a load test (the default; publishers → subscribers, throughput, latency,
/// loss), `--idle-connections N` (memory per held connection) and `--connect-rate-test S`
/// (connections per second).
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Generate MQTT load against a broker and report throughput and latency.",
        discussion: """
            Examples:
              thingport bench --port 1883 --qos 1 --duration 10
              thingport bench --port 1883 --publishers 100 --topic-mode per-publisher
              thingport bench --port 1883 --subscribers 100 --rate 2000
              thingport bench --port 8883 --cafile ca.pem --cert client.pem --key client.key --idle-connections 10000
              thingport bench --port 8883 --cafile ca.pem --cert client.pem --key client.key --connect-rate-test 10
            """
    )

    // MARK: Target

    @Option(help: "The broker's address.")
    var host = "127.0.0.1"

    @Option(help: "The broker's MQTT port.")
    var port = 1883

    @Flag(help: "Connect over TLS (implied by --cafile, --cert or --key).")
    var tls = false

    @Option(help: "PEM file of the CA that signed the broker's certificate.")
    var cafile: String?

    @Option(help: "PEM file of the client certificate, for mutual TLS.")
    var cert: String?

    @Option(help: "PEM file of the client's private key, for mutual TLS.")
    var key: String?

    @Option(name: .customLong("server-name"), help: "The name checked in the broker's certificate (not an IP address).")
    var serverName = "localhost"

    @Flag(help: "Do not verify the broker's certificate.")
    var insecure = false

    @Option(help: "Keep-alive of every connection, in seconds (each pings at half of it).")
    var keepalive: UInt16 = 60

    @Option(name: .customLong("client-id-prefix"), help: "The start of every client identifier.")
    var clientIdentifierPrefix = "bench"

    @Option(help: "Event loop threads of the generator (2 puts publishers and subscribers on separate threads).")
    var threads = 1

    @Option(name: .customLong("broker-pid"), help: "The broker's process id: report its CPU time and memory (Linux).")
    var brokerPID: Int32?

    @Flag(help: "Print one JSON object instead of text.")
    var json = false

    // MARK: Load test

    @Option(help: "Publishing connections.")
    var publishers = 1

    @Option(help: "Subscribing connections; each receives every message.")
    var subscribers = 1

    @Option(
        name: .customLong("topic-mode"),
        help: "shared: all publish on PREFIX/shared; per-publisher: publisher i on PREFIX/i, subscribers on PREFIX/#."
    )
    var topicMode = LoadTest.TopicMode.shared

    @Option(name: .customLong("topic-prefix"), help: "The first topic level.")
    var topicPrefix = "bench"

    @Option(help: "QoS of publications and subscriptions: 0 or 1.")
    var qos = 0

    @Option(name: .customLong("payload-size"), help: "Payload bytes (at least 16: send time and sequence number).")
    var payloadSize = 64

    @Option(help: "Seconds to send after the warm-up.")
    var duration: Double?

    @Option(help: "Messages per publisher (instead of --duration).")
    var messages: Int?

    @Option(help: "Messages per second over all publishers; 0 = as fast as possible. Measure latency at a fixed rate.")
    var rate: Double = 0

    @Option(help: "Unacknowledged QoS 1 messages per publisher.")
    var inflight = 100

    @Option(help: "Seconds of load before measuring starts.")
    var warmup: Double = 1

    @Option(help: "Messages per write and flush (default: about 16 KiB worth).")
    var batch: Int?

    @Option(
        name: .customLong("read-low-watermark"),
        help: "SO_RCVLOWAT of subscribers in bytes (default: 4096 at QoS 0 without --rate, else 0)."
    )
    var readLowWatermark: Int?

    // MARK: Idle connections and handshakes

    @Option(
        name: .customLong("idle-connections"), help: "Open and hold this many idle connections (memory per connection)."
    )
    var idleConnections: Int?

    @Option(help: "Seconds to hold idle connections once all are open.")
    var hold: Double = 10

    @Option(
        name: .customLong("connect-rate-test"),
        help: "For this many seconds, connect, CONNECT/CONNACK and close, over and over.")
    var connectRateTest: Double?

    @Option(
        name: .customLong("connect-concurrency"),
        help: "Connections opened at once (default 32 for idle connections, 2 for the connect-rate test)."
    )
    var connectConcurrency: Int?

    func validate() throws {
        guard qos == 0 || qos == 1 else { throw ValidationError("--qos must be 0 or 1") }
        guard duration == nil || messages == nil else {
            throw ValidationError("give --duration or --messages, not both")
        }
        guard idleConnections == nil || connectRateTest == nil else {
            throw ValidationError("give --idle-connections or --connect-rate-test, not both")
        }
        guard (1...65_535).contains(port) else { throw ValidationError("--port must be 1...65535") }
    }

    func run() async throws {
        let target = self.makeTarget()
        if let idleConnections {
            var configuration = IdleConnectionTest.Configuration()
            configuration.connections = idleConnections
            configuration.hold = hold
            configuration.concurrency = connectConcurrency ?? 32
            configuration.threads = threads
            configuration.brokerPID = brokerPID
            let report = try await IdleConnectionTest(target: target, configuration: configuration).run { open in
                Self.printLine("bench: \(open) connections open")
            }
            try self.output(report)
        } else if let connectRateTest {
            var configuration = HandshakeRateTest.Configuration()
            configuration.duration = connectRateTest
            configuration.concurrency = connectConcurrency ?? 2
            configuration.threads = threads
            configuration.brokerPID = brokerPID
            try self.output(try await HandshakeRateTest(target: target, configuration: configuration).run())
        } else {
            var configuration = LoadTest.Configuration()
            configuration.publishers = publishers
            configuration.subscribers = subscribers
            configuration.topicMode = topicMode
            configuration.topicPrefix = topicPrefix
            configuration.qos = qos == 1 ? .atLeastOnce : .atMostOnce
            configuration.payloadSize = payloadSize
            configuration.length = messages.map { .messages($0) } ?? .seconds(duration ?? 10)
            configuration.rate = rate
            configuration.inflight = inflight
            configuration.warmup = warmup
            configuration.batchSize = batch
            configuration.readLowWatermark = readLowWatermark
            configuration.threads = threads
            configuration.brokerPID = brokerPID
            do {
                try configuration.validate()
            } catch let error as BenchError {
                throw ValidationError(error.description)
            }
            try self.output(try await LoadTest(target: target, configuration: configuration).run())
        }
    }

    private func makeTarget() -> BenchTarget {
        var tlsSettings: BenchTarget.TLS?
        if tls || cafile != nil || cert != nil || key != nil {
            tlsSettings = BenchTarget.TLS(
                caFile: cafile,
                certificateFile: cert,
                privateKeyFile: key,
                serverName: serverName.isEmpty ? nil : serverName,
                verifiesServer: !insecure
            )
        }
        return BenchTarget(
            host: host,
            port: port,
            tls: tlsSettings,
            keepAliveSeconds: keepalive,
            clientIdentifierPrefix: clientIdentifierPrefix
        )
    }

    private func output<Report: Encodable & CustomStringConvertible>(_ report: Report) throws {
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            Self.printLine(String(decoding: try encoder.encode(report), as: UTF8.self))
        } else {
            Self.printLine(report.description)
        }
    }

    /// Writes a line to stdout at once, even when stdout is a pipe.
    private static func printLine(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
}

extension LoadTest.TopicMode: ExpressibleByArgument {}
