import Foundation
import MQTTProtocol
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import Testing

@testable import MQTTBench

/// A mosquitto broker on a free port of 127.0.0.1, for the length of a test.
final class MosquittoBroker {
    let port: Int
    let tlsPort: Int
    let directory: URL
    private let process: Process

    var pid: Int32 { self.process.processIdentifier }

    static var isInstalled: Bool {
        FileManager.default.isExecutableFile(atPath: "/usr/sbin/mosquitto")
    }

    init(withTLS: Bool = false) throws {
        self.directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "bench-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: self.directory, withIntermediateDirectories: true)
        self.port = try Self.freePort()
        self.tlsPort = try Self.freePort()
        var config = """
            per_listener_settings false
            user root
            allow_anonymous true
            persistence false
            log_dest none
            listener \(self.port) 127.0.0.1

            """
        if withTLS {
            try Self.makeCertificates(in: self.directory)
            config += """
                listener \(self.tlsPort) 127.0.0.1
                cafile \(self.directory.path)/ca.pem
                certfile \(self.directory.path)/server.pem
                keyfile \(self.directory.path)/server.key
                require_certificate true

                """
        }
        let configFile = self.directory.appendingPathComponent("mosquitto.conf")
        try config.write(to: configFile, atomically: true, encoding: .utf8)
        self.process = Process()
        self.process.executableURL = URL(fileURLWithPath: "/usr/sbin/mosquitto")
        self.process.arguments = ["-c", configFile.path]
        self.process.standardOutput = FileHandle.nullDevice
        self.process.standardError = FileHandle.nullDevice
        try self.process.run()
        try Self.waitUntilListening(port: self.port)
        if withTLS { try Self.waitUntilListening(port: self.tlsPort) }
    }

    deinit {
        // SIGKILL: a child of the test runner may inherit a mask that blocks SIGTERM.
        kill(self.process.processIdentifier, SIGKILL)
        self.process.waitUntilExit()
        try? FileManager.default.removeItem(at: self.directory)
    }

    func tlsTarget() -> BenchTarget {
        BenchTarget(
            port: self.tlsPort,
            tls: .init(
                caFile: self.directory.appendingPathComponent("ca.pem").path,
                certificateFile: self.directory.appendingPathComponent("client.pem").path,
                privateKeyFile: self.directory.appendingPathComponent("client.key").path
            )
        )
    }

    private static func freePort() throws -> Int {
        let group = MultiThreadedEventLoopGroup.singleton
        let channel = try ServerBootstrap(group: group).bind(host: "127.0.0.1", port: 0).wait()
        defer { try? channel.close().wait() }
        return channel.localAddress!.port!
    }

    private static func waitUntilListening(port: Int) throws {
        for _ in 0..<100 {
            if (try? ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connect(host: "127.0.0.1", port: port).flatMap { $0.close() }.wait()) != nil
            {
                return
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        throw BenchError("mosquitto did not start")
    }

    private static func makeCertificates(in directory: URL) throws {
        let script = """
            set -e
            cd '\(directory.path)'
            openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
              -subj /CN=bench-ca -keyout ca.key -out ca.pem 2>/dev/null
            openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=localhost \
              -keyout server.key -out server.csr 2>/dev/null
            printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\\n' > server.ext
            openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 \
              -extfile server.ext -out server.pem 2>/dev/null
            openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=bench-client \
              -keyout client.key -out client.csr 2>/dev/null
            openssl x509 -req -in client.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 \
              -out client.pem 2>/dev/null
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", script]
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw BenchError("openssl failed") }
    }
}

@Suite(.serialized, .enabled(if: MosquittoBroker.isInstalled, "needs mosquitto"))
struct MosquittoIntegrationTests {
    @Test(arguments: [MQTTQoS.atMostOnce, .atLeastOnce])
    func oneToTwoDeliversEveryMessageToEachSubscriber(qos: MQTTQoS) async throws {
        let broker = try MosquittoBroker()
        var configuration = LoadTest.Configuration()
        configuration.subscribers = 2
        configuration.qos = qos
        configuration.length = .messages(3000)
        configuration.rate = 20_000
        configuration.warmup = 0
        configuration.brokerPID = broker.pid
        let report = try await LoadTest(
            target: BenchTarget(port: broker.port), configuration: configuration
        ).run()
        #expect(report.sent == 3000)
        #expect(report.expectedDeliveries == 6000)
        #expect(report.delivered == 6000)
        #expect(report.lost == 0)
        #expect(report.duplicates == 0)
        #expect(report.outOfOrder == 0)
        #expect(report.foreign == 0)
        #expect(report.unexpectedAcknowledgements == 0)
        #expect(report.qos == Int(qos.rawValue))
        let latency = try #require(report.latency)
        #expect(latency.count == 6000)
        #expect(latency.p50 > 0 && latency.p50 <= latency.p99 && latency.p99 <= latency.max)
        // 3000 messages at 20,000/s take about 0.15 s.
        #expect(report.windowSeconds > 0.1 && report.windowSeconds < 5)
        #expect(report.brokerCPUSeconds != nil)
    }

    @Test func fanInOnAWildcardCountsEveryPublisher() async throws {
        let broker = try MosquittoBroker()
        var configuration = LoadTest.Configuration()
        configuration.publishers = 20
        configuration.topicMode = .perPublisher
        configuration.length = .seconds(0.5)
        configuration.rate = 10_000
        configuration.warmup = 0.2
        configuration.threads = 2
        let report = try await LoadTest(
            target: BenchTarget(port: broker.port), configuration: configuration
        ).run()
        #expect(report.sent > 4000)
        #expect(report.delivered == report.sent)
        #expect(report.lost == 0)
        // A fixed rate is kept: about 10,000 messages per second over the window.
        #expect(report.sentPerSecond > 8000 && report.sentPerSecond < 11_000)
        #expect(report.deliveredPerSecond > 8000 && report.deliveredPerSecond < 11_000)
    }

    @Test func unlimitedRateQoS1KeepsTheWindowAndLosesNothing() async throws {
        let broker = try MosquittoBroker()
        var configuration = LoadTest.Configuration()
        configuration.qos = .atLeastOnce
        configuration.inflight = 10
        configuration.length = .messages(20_000)
        configuration.warmup = 0
        let report = try await LoadTest(
            target: BenchTarget(port: broker.port), configuration: configuration
        ).run()
        #expect(report.delivered == 20_000)
        #expect(report.lost == 0)
        #expect(report.duplicates == 0)
    }

    @Test func mutualTLSLoadAndHandshakes() async throws {
        let broker = try MosquittoBroker(withTLS: true)
        var configuration = LoadTest.Configuration()
        configuration.length = .messages(500)
        configuration.warmup = 0
        let report = try await LoadTest(target: broker.tlsTarget(), configuration: configuration).run()
        #expect(report.tls)
        #expect(report.delivered == 500)

        var handshakes = HandshakeRateTest.Configuration()
        handshakes.duration = 0.5
        handshakes.brokerPID = broker.pid
        let handshakeReport = try await HandshakeRateTest(
            target: broker.tlsTarget(), configuration: handshakes
        ).run()
        #expect(handshakeReport.connections > 5)
        #expect(handshakeReport.failures == 0)
        #expect(handshakeReport.brokerCPUMillisecondsPerConnection != nil)
    }

    @Test func tlsWithoutClientCertificateIsRefused() async throws {
        let broker = try MosquittoBroker(withTLS: true)
        var target = broker.tlsTarget()
        target.tls?.certificateFile = nil
        target.tls?.privateKeyFile = nil
        target.connectTimeout = .seconds(2)
        var configuration = LoadTest.Configuration()
        configuration.length = .messages(1)
        await #expect(throws: (any Error).self) {
            _ = try await LoadTest(target: target, configuration: configuration).run()
        }
    }

    @Test func idleConnectionsAreHeldAndMeasured() async throws {
        let broker = try MosquittoBroker()
        var configuration = IdleConnectionTest.Configuration()
        configuration.connections = 200
        configuration.concurrency = 8
        configuration.hold = 0.3
        configuration.settle = 0.2
        configuration.brokerPID = broker.pid
        let announced = NIOLockedValueBox<Int?>(nil)
        let report = try await IdleConnectionTest(
            target: BenchTarget(port: broker.port), configuration: configuration
        )
        .run { open in announced.withLockedValue { $0 = open } }
        #expect(announced.withLockedValue { $0 } == 200)
        #expect(report.connected == 200)
        #expect(report.failed == 0)
        #expect(report.droppedWhileHeld == 0)
        let before = try #require(report.brokerRSSBeforeKiB)
        let after = try #require(report.brokerRSSAfterKiB)
        #expect(after >= before)
        #expect(report.brokerKiBPerConnection != nil)
    }

    @Test func connectionRefusedFailsTheRun() async throws {
        var configuration = LoadTest.Configuration()
        configuration.length = .messages(1)
        // Port 1 on loopback has no listener.
        await #expect(throws: (any Error).self) {
            _ = try await LoadTest(target: BenchTarget(port: 1), configuration: configuration).run()
        }
    }
}

@Suite struct ConfigurationValidationTests {
    @Test func defaultsAreValid() throws {
        try LoadTest.Configuration().validate()
        try IdleConnectionTest.Configuration().validate()
        try HandshakeRateTest.Configuration().validate()
    }

    @Test func badValuesAreRejected() {
        var configuration = LoadTest.Configuration()
        configuration.payloadSize = 15
        #expect(throws: BenchError.self) { try configuration.validate() }
        configuration = LoadTest.Configuration()
        configuration.qos = .exactlyOnce
        #expect(throws: BenchError.self) { try configuration.validate() }
        configuration = LoadTest.Configuration()
        configuration.publishers = 65_537
        #expect(throws: BenchError.self) { try configuration.validate() }
        configuration = LoadTest.Configuration()
        configuration.inflight = 0
        #expect(throws: BenchError.self) { try configuration.validate() }
        configuration = LoadTest.Configuration()
        configuration.length = .seconds(0)
        #expect(throws: BenchError.self) { try configuration.validate() }
    }

    @Test func topicsAndFiltersFollowTheMode() {
        var configuration = LoadTest.Configuration()
        configuration.topicMode = .perPublisher
        #expect(configuration.topic(publisher: 3) == "bench/3")
        #expect(configuration.subscriptionFilter == "bench/#")
        configuration.topicMode = .shared
        #expect(configuration.topic(publisher: 3) == "bench/shared")
        #expect(configuration.subscriptionFilter == "bench/shared")
    }

    @Test func readLowWatermarkIsOffAtAFixedRate() {
        var configuration = LoadTest.Configuration()
        // 4 KiB, but never more than 16 packets.
        #expect(configuration.subscriberReadLowWatermark(packetSize: 84) == 16 * 84)
        configuration.qos = .atLeastOnce
        #expect(configuration.subscriberReadLowWatermark(packetSize: 84) == 0)
        configuration.qos = .atMostOnce
        #expect(configuration.subscriberReadLowWatermark(packetSize: 1000) == 4096)
        configuration.rate = 1000
        #expect(configuration.subscriberReadLowWatermark(packetSize: 84) == 0)
        configuration.readLowWatermark = 512
        #expect(configuration.subscriberReadLowWatermark(packetSize: 84) == 512)
    }
}
