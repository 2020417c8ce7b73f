import Histogram
import MQTTProtocol
import NIOCore

/// The connections of a load test that live on one event loop, and what they counted.
///
/// Used on its event loop only; the run reaches it through `NIOLoopBound`.
final class LoadWorker {
    let eventLoop: any EventLoop
    private let stats = DeliveryStats()
    private var publishers: [PublisherRole] = []
    private var subscribers: [SubscriberRole] = []
    private var channels: [any Channel] = []
    private var plan: PublishPlan?
    private var tickInterval: UInt64 = 0
    private var tick: Scheduled<Void>?

    init(eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    /// Connects a subscriber; succeeds once its subscription is granted.
    func addSubscriber(
        clientIdentifier: String,
        filter: String,
        qos: MQTTQoS,
        runTag: UInt16,
        publishers: Int,
        readLowWatermark: Int,
        connector: BenchConnector
    ) -> EventLoopFuture<Void> {
        let role = SubscriberRole(
            filter: filter,
            qos: qos,
            runTag: runTag,
            publishers: publishers,
            readLowWatermark: readLowWatermark,
            stats: self.stats,
            eventLoop: self.eventLoop
        )
        self.subscribers.append(role)
        let opened = self.open(role: role, clientIdentifier: clientIdentifier, connector: connector)
        opened.assumeIsolated().whenFailure { role.subscribed.fail($0) }
        return opened.assumeIsolated().flatMap { role.subscribed.futureResult }.nonisolated()
    }

    /// Connects a publisher; succeeds once the broker accepts it.
    func addPublisher(
        index: Int,
        runTag: UInt16,
        clientIdentifier: String,
        topic: String,
        payloadSize: Int,
        qos: MQTTQoS,
        connector: BenchConnector
    ) -> EventLoopFuture<Void> {
        let role = PublisherRole(
            index: UInt16(index),
            runTag: runTag,
            topic: topic,
            payloadSize: payloadSize,
            qos: qos
        )
        self.publishers.append(role)
        // A publisher running ahead of the broker must not fill megabytes of socket buffer:
        // draining it at the end of a run would take longer than the run.
        return self.open(
            role: role,
            clientIdentifier: clientIdentifier,
            connector: connector,
            sendBufferSize: Self.publisherSendBufferSize
        )
    }

    /// `SO_SNDBUF` of publishers: enough for loopback at full speed.
    static let publisherSendBufferSize = 256 * 1024

    private func open<Role: BenchClientRole>(
        role: Role,
        clientIdentifier: String,
        connector: BenchConnector,
        sendBufferSize: Int? = nil
    ) -> EventLoopFuture<Void> {
        let handler = BenchClientHandler(
            role: role,
            connect: connector.connectPacket(clientIdentifier: clientIdentifier),
            maximumPacketSize: Int(MQTTVariableByteInteger.maximum) + 5,
            openTimeLimit: connector.target.connectTimeout,
            eventLoop: self.eventLoop
        )
        let connected = connector.connect(handler, on: self.eventLoop, sendBufferSize: sendBufferSize)
        // A connection that never opens never reaches the handler's session promise.
        connected.assumeIsolated().whenFailure { handler.sessionOpened.fail($0) }
        return connected.assumeIsolated().flatMap { channel in
            self.channels.append(channel)
            return handler.sessionOpened.futureResult
        }.nonisolated()
    }

    /// Starts every publisher at `plan.start`, and measuring at `plan.windowStart`.
    ///
    /// - Parameter tickInterval: For a fixed rate, how often publishers send what is due,
    ///   in nanoseconds.
    func start(_ plan: PublishPlan, tickInterval: UInt64) {
        self.plan = plan
        self.tickInterval = tickInterval
        self.stats.windowStart = plan.windowStart
        self.stats.windowEnd = plan.windowEnd
        guard !self.publishers.isEmpty else { return }
        self.tick = self.eventLoop.assumeIsolated().scheduleTask(deadline: BenchClock.deadline(plan.start)) {
            for publisher in self.publishers { publisher.start(plan) }
            if plan.ratePerSecond > 0 { self.scheduleTick(after: plan.start) }
        }
    }

    private func scheduleTick(after time: UInt64) {
        guard let plan = self.plan else { return }
        let next = max(time + self.tickInterval, BenchClock.now())
        guard next < plan.end else { return }
        self.tick = self.eventLoop.assumeIsolated().scheduleTask(deadline: BenchClock.deadline(next)) {
            let now = BenchClock.now()
            for publisher in self.publishers { publisher.pump(now: now) }
            self.scheduleTick(after: next)
        }
    }

    /// Stops every publisher, and lets subscribers read the last bytes of the run.
    func stopPublishing() {
        self.tick?.cancel()
        self.tick = nil
        for publisher in self.publishers { publisher.stop() }
        for subscriber in self.subscribers { subscriber.readEverything() }
    }

    /// Where the run stands, for deciding when it is over.
    func progress() -> Progress {
        Progress(
            delivered: self.stats.delivered,
            sent: self.publishers.reduce(0) { $0 + UInt64($1.sent) },
            publishersFinished: self.publishers.allSatisfy(\.isFinished)
        )
    }

    /// Messages sent by each publisher of this worker, by publisher index.
    func sentCounts() -> [Int: UInt32] {
        Dictionary(uniqueKeysWithValues: self.publishers.map { (Int($0.index), $0.sent) })
    }

    /// What this worker counted, given what every publisher sent (indexed by publisher).
    func result(sent: [UInt32]) -> Result {
        var result = Result(latency: self.stats.latency)
        result.delivered = self.stats.delivered
        result.deliveredInWindow = self.stats.deliveredInWindow
        result.lastReceiveTime = self.stats.lastReceiveTime
        result.foreign = self.stats.foreign
        for subscriber in self.subscribers {
            for (publisher, tracker) in subscriber.trackers.enumerated() {
                result.lost += tracker.lost(sent: publisher < sent.count ? sent[publisher] : 0)
                result.duplicates += tracker.duplicates
                result.outOfOrder += tracker.outOfOrder
            }
            if subscriber.closedEarly { result.connectionsLost += 1 }
        }
        for publisher in self.publishers {
            result.sent += UInt64(publisher.sent)
            result.sentInWindow += publisher.sentInWindow
            result.acknowledged += publisher.acknowledged
            result.unexpectedAcknowledgements += publisher.unexpectedAcknowledgements
            if publisher.closedEarly { result.connectionsLost += 1 }
        }
        return result
    }

    /// Sends DISCONNECT on every connection and closes it.
    func closeAll() -> EventLoopFuture<Void> {
        self.stopPublishing()
        for subscriber in self.subscribers { subscriber.prepareToClose() }
        var disconnect = ByteBuffer()
        MQTTPacket.disconnect(.init()).encode(into: &disconnect, version: .v3_1_1)
        // DISCONNECT is best effort: a connection whose writes are stuck closes anyway.
        let closed = self.channels.map { channel in
            channel.writeAndFlush(disconnect, promise: nil)
            return channel.close().recover { _ in }
        }
        self.channels.removeAll()
        return EventLoopFuture.andAllComplete(closed, on: self.eventLoop)
    }

    /// A worker's progress.
    struct Progress: Sendable {
        var delivered: UInt64
        var sent: UInt64
        var publishersFinished: Bool
    }

    /// A worker's counts at the end of a run.
    struct Result: Sendable {
        var latency: Histogram<UInt64>
        var delivered: UInt64 = 0
        var deliveredInWindow: UInt64 = 0
        var lastReceiveTime: UInt64 = 0
        var foreign: UInt64 = 0
        var lost: UInt64 = 0
        var duplicates: UInt64 = 0
        var outOfOrder: UInt64 = 0
        var sent: UInt64 = 0
        var sentInWindow: UInt64 = 0
        var acknowledged: UInt64 = 0
        var unexpectedAcknowledgements: UInt64 = 0
        var connectionsLost = 0
    }
}
