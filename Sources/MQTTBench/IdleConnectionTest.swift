import Logging
import NIOCore
import NIOPosix

/// Opens many MQTT connections that only keep their sessions alive, holds them, and
/// reports how much the broker's resident memory grew per connection.
public struct IdleConnectionTest: Sendable {
    /// How many connections, how fast, for how long.
    public struct Configuration: Sendable {
        /// Connections to open and hold.
        public var connections: Int = 10_000
        /// Connects in progress at once (TCP, TLS and CONNECT/CONNACK).
        public var concurrency: Int = 32
        /// Seconds to hold the connections once all are open.
        public var hold: Double = 10
        /// Seconds to wait after the last connection opened before reading the broker's
        /// memory, so that it settles.
        public var settle: Double = 2
        /// Event loop threads of the generator.
        public var threads: Int = 1
        /// The broker's process id, to read its resident memory (Linux).
        public var brokerPID: Int32?

        /// 10,000 connections, 32 connecting at once, held 10 s.
        public init() {}

        /// - Throws: ``BenchError`` naming the first bad value.
        public func validate() throws {
            guard self.connections >= 1 else { throw BenchError("at least one connection is needed") }
            guard self.concurrency >= 1 else { throw BenchError("the connect concurrency must be at least 1") }
            guard self.hold >= 0, self.settle >= 0 else { throw BenchError("times cannot be negative") }
            guard self.threads >= 1 else { throw BenchError("at least one thread is needed") }
        }
    }

    /// What an idle-connection run measured.
    public struct Report: Sendable, Codable {
        public var mode = "idle"
        public var tls: Bool
        /// Connections asked for.
        public var connections: Int
        /// Connections the broker accepted.
        public var connected: Int
        /// Connections that failed to open.
        public var failed: Int
        /// Connections that the broker closed while they were held.
        public var droppedWhileHeld: Int
        /// Seconds from the first connect to the last CONNACK.
        public var connectSeconds: Double
        /// The broker's resident memory before connecting and after the settle time, in KiB.
        public var brokerRSSBeforeKiB: Int?
        public var brokerRSSAfterKiB: Int?
        /// (after − before) / connected.
        public var brokerKiBPerConnection: Double?
        /// The generator's CPU time over the whole run.
        public var generatorCPUSeconds: Double
        /// The broker's CPU time over the connect phase, if its process id was given.
        public var brokerConnectCPUSeconds: Double?
    }

    public var target: BenchTarget
    public var configuration: Configuration
    var logger: Logger

    /// Creates a run; nothing connects before ``run(whenConnected:)``.
    public init(target: BenchTarget, configuration: Configuration, logger: Logger = Logger(label: "thingport.bench")) {
        self.target = target
        self.configuration = configuration
        self.logger = logger
    }

    /// Opens the connections, calls `whenConnected` with the number open, holds them,
    /// closes them and reports.
    ///
    /// - Throws: ``BenchError`` for a bad configuration, or when no connection could open.
    public func run(whenConnected: @Sendable (Int) -> Void = { _ in }) async throws -> Report {
        try self.configuration.validate()
        ProcessUsage.raiseOpenFilesLimit()
        let group = MultiThreadedEventLoopGroup(numberOfThreads: self.configuration.threads)
        do {
            let report = try await self.run(on: group, whenConnected: whenConnected)
            try await group.shutdownGracefully()
            return report
        } catch {
            try? await group.shutdownGracefully()
            throw error
        }
    }

    private func run(on group: MultiThreadedEventLoopGroup, whenConnected: @Sendable (Int) -> Void) async throws
        -> Report
    {
        let configuration = self.configuration
        let connector = try BenchConnector(target: self.target, largeReads: false)
        let loops = Array(group.makeIterator())
        let prefix = "\(self.target.clientIdentifierPrefix)-\(randomRunID())-idle"
        let brokerPID = configuration.brokerPID
        let rssBefore = brokerPID.flatMap(ProcessUsage.residentKiB(ofProcess:))
        let cpuStart = ProcessUsage.sample(brokerPID: brokerPID)
        let connectStart = BenchClock.now()

        // `concurrency` tasks, each opening its share of the connections one after another.
        let opened = try await withThrowingTaskGroup(of: ([any Channel], Int).self) { tasks in
            for lane in 0..<min(configuration.concurrency, configuration.connections) {
                tasks.addTask {
                    var channels: [any Channel] = []
                    var failed = 0
                    for index in stride(from: lane, to: configuration.connections, by: configuration.concurrency) {
                        do {
                            channels.append(
                                try await openIdleConnection(
                                    clientIdentifier: "\(prefix)\(index)",
                                    on: loops[index % loops.count],
                                    connector: connector
                                )
                            )
                        } catch {
                            failed += 1
                            if failed == 1 {
                                self.logger.warning("connect failed", metadata: ["error": "\(error)"])
                            }
                        }
                    }
                    return (channels, failed)
                }
            }
            var channels: [any Channel] = []
            var failed = 0
            for try await (laneChannels, laneFailed) in tasks {
                channels += laneChannels
                failed += laneFailed
            }
            return (channels: channels, failed: failed)
        }
        let connectSeconds = Double(BenchClock.now() - connectStart) / 1e9
        let cpuConnected = ProcessUsage.sample(brokerPID: brokerPID)
        guard !opened.channels.isEmpty else { throw BenchError("no connection could be opened") }
        whenConnected(opened.channels.count)

        let holdStart = BenchClock.now()
        try await Task.sleep(nanoseconds: BenchClock.nanoseconds(configuration.settle))
        let rssAfter = brokerPID.flatMap(ProcessUsage.residentKiB(ofProcess:))
        try await sleep(until: holdStart + BenchClock.nanoseconds(max(configuration.hold, configuration.settle)))

        let dropped = opened.channels.filter { !$0.isActive }.count
        var disconnect = ByteBuffer()
        disconnect.writeBytes([0xE0, 0x00])
        let closing = opened.channels.map { channel in
            channel.writeAndFlush(disconnect, promise: nil)
            return channel.close().recover { _ in }
        }
        try await EventLoopFuture.andAllComplete(closing, on: loops[0]).get()

        var perConnection: Double?
        if let rssBefore, let rssAfter {
            perConnection = Double(rssAfter - rssBefore) / Double(opened.channels.count)
        }
        return Report(
            tls: self.target.tls != nil,
            connections: configuration.connections,
            connected: opened.channels.count,
            failed: opened.failed,
            droppedWhileHeld: dropped,
            connectSeconds: connectSeconds,
            brokerRSSBeforeKiB: rssBefore,
            brokerRSSAfterKiB: rssAfter,
            brokerKiBPerConnection: perConnection,
            generatorCPUSeconds: ProcessUsage.ownCPUSeconds(),
            brokerConnectCPUSeconds: cpuConnected.since(cpuStart).brokerCPUSeconds
        )
    }
}

/// Opens one connection that only keeps its session alive; returns once CONNACK arrived.
func openIdleConnection(
    clientIdentifier: String,
    on eventLoop: any EventLoop,
    connector: BenchConnector
) async throws -> any Channel {
    try await eventLoop.flatSubmit {
        let handler = BenchClientHandler(
            role: IdleRole(),
            connect: connector.connectPacket(clientIdentifier: clientIdentifier),
            maximumPacketSize: 65_536,
            openTimeLimit: connector.target.connectTimeout,
            eventLoop: eventLoop
        )
        let connected = connector.connect(handler, on: eventLoop)
        // A connection that never opens never reaches the handler's session promise.
        connected.assumeIsolated().whenFailure { handler.sessionOpened.fail($0) }
        return connected.assumeIsolated().flatMap { channel in
            handler.sessionOpened.futureResult.assumeIsolated().map { channel }.flatMapErrorThrowing { error in
                channel.close(promise: nil)
                throw error
            }.nonisolated()
        }.nonisolated()
    }.get()
}

extension IdleConnectionTest.Report: CustomStringConvertible {
    /// A few lines for a person.
    public var description: String {
        var lines = [
            "idle: \(self.connected) of \(self.connections) \(self.tls ? "TLS" : "plain") connections "
                + "open in \(formatted(self.connectSeconds, decimals: 2)) s"
                + (self.failed > 0 ? ", \(self.failed) failed" : "")
                + (self.droppedWhileHeld > 0 ? ", \(self.droppedWhileHeld) dropped while held" : "")
        ]
        if let before = self.brokerRSSBeforeKiB, let after = self.brokerRSSAfterKiB,
            let each = self.brokerKiBPerConnection
        {
            lines.append(
                "broker RSS: \(before) KiB -> \(after) KiB, \(formatted(each, decimals: 2)) KiB per connection")
        }
        lines.append("generator CPU: \(formatted(self.generatorCPUSeconds, decimals: 2)) s")
        return lines.joined(separator: "\n")
    }
}
