import Histogram
import Logging
import NIOCore
import NIOPosix

/// Opens connections one after another (TCP, TLS handshake, CONNECT, CONNACK, DISCONNECT)
/// and reports how many the broker completes per second.
public struct HandshakeRateTest: Sendable {
    /// How long, and how many clients at once.
    public struct Configuration: Sendable {
        /// Seconds to keep connecting.
        public var duration: Double = 10
        /// Clients connecting at once, each one connection after another.
        public var concurrency: Int = 2
        /// Event loop threads of the generator.
        public var threads: Int = 1
        /// The broker's process id, to report its CPU time per connection (Linux).
        public var brokerPID: Int32?

        /// 10 seconds, two clients.
        public init() {}

        /// - Throws: ``BenchError`` naming the first bad value.
        public func validate() throws {
            guard self.duration > 0 else { throw BenchError("the duration must be positive") }
            guard self.concurrency >= 1 else { throw BenchError("the concurrency must be at least 1") }
            guard self.threads >= 1 else { throw BenchError("at least one thread is needed") }
        }
    }

    /// What a handshake-rate run measured.
    public struct Report: Sendable, Codable {
        public var mode = "handshake"
        public var tls: Bool
        public var concurrency: Int
        public var seconds: Double
        /// Connections that reached CONNACK.
        public var connections: Int
        public var failures: Int
        public var connectionsPerSecond: Double
        /// Time from connect to CONNACK, in microseconds.
        public var latency: LatencySummary?
        public var generatorCPUSeconds: Double
        /// The generator's CPU use, in percent of one core: the client's side of each
        /// handshake (an RSA signature for an RSA client key) costs more than the server's.
        public var generatorCPUPercent: Double
        public var brokerCPUSeconds: Double?
        /// Broker CPU time per connection, in milliseconds.
        public var brokerCPUMillisecondsPerConnection: Double?
    }

    public var target: BenchTarget
    public var configuration: Configuration
    var logger: Logger

    /// Creates a run; nothing connects before ``run()``.
    public init(target: BenchTarget, configuration: Configuration, logger: Logger = Logger(label: "thingport.bench")) {
        self.target = target
        self.configuration = configuration
        self.logger = logger
    }

    /// Connects and disconnects for the configured time and reports.
    ///
    /// - Throws: ``BenchError`` for a bad configuration or when no connection succeeded.
    public func run() async throws -> Report {
        try self.configuration.validate()
        let group = MultiThreadedEventLoopGroup(numberOfThreads: self.configuration.threads)
        do {
            let report = try await self.run(on: group)
            try await group.shutdownGracefully()
            return report
        } catch {
            try? await group.shutdownGracefully()
            throw error
        }
    }

    private func run(on group: MultiThreadedEventLoopGroup) async throws -> Report {
        let configuration = self.configuration
        let connector = try BenchConnector(target: self.target, largeReads: false)
        let loops = Array(group.makeIterator())
        let prefix = "\(self.target.clientIdentifierPrefix)-\(randomRunID())-hs"
        let start = BenchClock.now()
        let end = start + BenchClock.nanoseconds(configuration.duration)
        let usageStart = ProcessUsage.sample(brokerPID: configuration.brokerPID)

        let lanes = try await withThrowingTaskGroup(of: Lane.self) { tasks in
            for lane in 0..<configuration.concurrency {
                tasks.addTask {
                    var result = Lane()
                    let loop = loops[lane % loops.count]
                    var index = 0
                    while BenchClock.now() < end {
                        let began = BenchClock.now()
                        do {
                            let channel = try await openIdleConnection(
                                clientIdentifier: "\(prefix)\(lane)-\(index)",
                                on: loop,
                                connector: connector
                            )
                            _ = result.latency.record(BenchClock.now() - began)
                            result.connections += 1
                            var disconnect = channel.allocator.buffer(capacity: 2)
                            disconnect.writeBytes([0xE0, 0x00])
                            try? await channel.writeAndFlush(disconnect).flatMap { channel.close() }.get()
                        } catch {
                            result.failures += 1
                            if result.failures == 1 {
                                self.logger.warning("connect failed", metadata: ["error": "\(error)"])
                            }
                        }
                        index += 1
                    }
                    return result
                }
            }
            var total = Lane()
            for try await lane in tasks {
                total.connections += lane.connections
                total.failures += lane.failures
                total.latency.add(lane.latency)
            }
            return total
        }
        let seconds = Double(BenchClock.now() - start) / 1e9
        let usage = ProcessUsage.sample(brokerPID: configuration.brokerPID).since(usageStart)
        guard lanes.connections > 0 else { throw BenchError("no connection succeeded") }
        return Report(
            tls: self.target.tls != nil,
            concurrency: configuration.concurrency,
            seconds: seconds,
            connections: lanes.connections,
            failures: lanes.failures,
            connectionsPerSecond: Double(lanes.connections) / seconds,
            latency: LatencySummary(nanoseconds: lanes.latency),
            generatorCPUSeconds: usage.generatorCPUSeconds,
            generatorCPUPercent: usage.generatorCPUSeconds / seconds * 100,
            brokerCPUSeconds: usage.brokerCPUSeconds,
            brokerCPUMillisecondsPerConnection: usage.brokerCPUSeconds.map { $0 * 1000 / Double(lanes.connections) }
        )
    }

    /// What one client counted.
    private struct Lane: Sendable {
        var connections = 0
        var failures = 0
        var latency = Histogram<UInt64>(
            lowestDiscernibleValue: 1,
            highestTrackableValue: DeliveryStats.highestTrackableNanoseconds,
            numberOfSignificantValueDigits: .three
        )
    }
}

extension HandshakeRateTest.Report: CustomStringConvertible {
    /// A few lines for a person.
    public var description: String {
        var lines = [
            "handshakes: \(self.connections) \(self.tls ? "TLS " : "")connections in "
                + "\(formatted(self.seconds, decimals: 2)) s with \(self.concurrency) client(s): "
                + "\(formatted(self.connectionsPerSecond, decimals: 1))/s"
                + (self.failures > 0 ? ", \(self.failures) failed" : "")
        ]
        if let latency = self.latency {
            lines.append(
                "connect to CONNACK (µs): p50 \(formatted(latency.p50, decimals: 0))  p99 \(formatted(latency.p99, decimals: 0))"
            )
        }
        var cpu =
            "generator CPU: \(formatted(self.generatorCPUSeconds, decimals: 2)) s "
            + "(\(formatted(self.generatorCPUPercent, decimals: 0)) % of a core)"
        if let broker = self.brokerCPUSeconds, let each = self.brokerCPUMillisecondsPerConnection {
            cpu +=
                "  broker CPU: \(formatted(broker, decimals: 2)) s (\(formatted(each, decimals: 2)) ms per connection)"
        }
        lines.append(cpu)
        return lines.joined(separator: "\n")
    }
}
