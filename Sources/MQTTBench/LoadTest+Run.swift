import Histogram
import NIOCore
import NIOPosix

extension LoadTest {
    /// Connects every subscriber, then every publisher, sends for the configured length,
    /// waits for late messages, disconnects and reports.
    ///
    /// - Throws: ``BenchError`` for a bad configuration, a refused connection or
    ///   subscription; NIO and TLS errors when a connection cannot be made.
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
        let connector = try BenchConnector(target: self.target, largeReads: true)
        let loops = Array(group.makeIterator())
        var workers: [NIOLoopBound<LoadWorker>] = []
        for loop in loops {
            workers.append(try await loop.submit { NIOLoopBound(LoadWorker(eventLoop: loop), eventLoop: loop) }.get())
        }
        // With two or more loops, publishers and subscribers get loops of their own.
        let publisherLoops = loops.count > 1 ? Array(workers[..<(loops.count / 2)]) : workers
        let subscriberLoops = loops.count > 1 ? Array(workers[(loops.count / 2)...]) : workers
        let runTag = UInt16.random(in: 0...UInt16.max)
        let prefix = "\(self.target.clientIdentifierPrefix)-\(randomRunID())"
        let packetSize = PublishTemplate(
            topic: configuration.topic(publisher: configuration.publishers - 1),
            payloadSize: configuration.payloadSize,
            qos: configuration.qos
        ).size
        let readLowWatermark = configuration.subscriberReadLowWatermark(packetSize: packetSize)

        var opening: [EventLoopFuture<Void>] = []
        for index in 0..<configuration.subscribers {
            let worker = subscriberLoops[index % subscriberLoops.count]
            let filter = configuration.subscriptionFilter
            opening.append(
                worker.eventLoop.flatSubmit {
                    worker.value.addSubscriber(
                        clientIdentifier: "\(prefix)-s\(index)",
                        filter: filter,
                        qos: configuration.qos,
                        runTag: runTag,
                        publishers: configuration.publishers,
                        readLowWatermark: readLowWatermark,
                        connector: connector
                    )
                }
            )
        }
        try await EventLoopFuture.andAllSucceed(opening, on: loops[0]).get()
        opening = []
        for index in 0..<configuration.publishers {
            let worker = publisherLoops[index % publisherLoops.count]
            let topic = configuration.topic(publisher: index)
            opening.append(
                worker.eventLoop.flatSubmit {
                    worker.value.addPublisher(
                        index: index,
                        runTag: runTag,
                        clientIdentifier: "\(prefix)-p\(index)",
                        topic: topic,
                        payloadSize: configuration.payloadSize,
                        qos: configuration.qos,
                        connector: connector
                    )
                }
            )
        }
        try await EventLoopFuture.andAllSucceed(opening, on: loops[0]).get()
        self.logger.debug(
            "connected", metadata: ["bench.connections": "\(configuration.publishers + configuration.subscribers)"])

        let plan = self.makePlan(packetSize: packetSize)
        let brokerPID = configuration.brokerPID
        let startUsage = loops[0].scheduleTask(deadline: BenchClock.deadline(plan.windowStart)) {
            ProcessUsage.sample(brokerPID: brokerPID)
        }
        var endUsage: Scheduled<ProcessUsage>?
        if case .seconds = configuration.length {
            endUsage = loops[0].scheduleTask(deadline: BenchClock.deadline(plan.windowEnd)) {
                ProcessUsage.sample(brokerPID: brokerPID)
            }
        }
        let tickInterval = configuration.rate > 0 ? min(max(UInt64(1e9 / configuration.rate), 50_000), 1_000_000) : 0
        for worker in workers {
            try await worker.eventLoop.submit { worker.value.start(plan, tickInterval: tickInterval) }.get()
        }

        // Send.
        if case .seconds = configuration.length {
            try await sleep(until: plan.end)
        } else {
            // Until every publisher is done, or nothing moved for `stallLimit`.
            try await sleep(until: plan.start)
            var last = LoadWorker.Progress(delivered: 0, sent: 0, publishersFinished: false)
            var lastChange = BenchClock.now()
            while true {
                let progress = try await progress(of: workers)
                if progress.publishersFinished { break }
                if progress.sent != last.sent || progress.delivered != last.delivered {
                    last = progress
                    lastChange = BenchClock.now()
                } else if BenchClock.now() - lastChange > Self.stallLimit {
                    self.logger.warning("no progress: stopping the publishers")
                    break
                }
                try await Task.sleep(nanoseconds: 20_000_000)
            }
        }
        for worker in workers {
            try await worker.eventLoop.submit { worker.value.stopPublishing() }.get()
        }
        try await self.drain(workers)
        let usageAtEnd = try await endUsage?.futureResult.get() ?? ProcessUsage.sample(brokerPID: brokerPID)
        let usage = usageAtEnd.since(try await startUsage.futureResult.get())

        // Count.
        var sent = [UInt32](repeating: 0, count: configuration.publishers)
        for worker in workers {
            for (index, count) in try await worker.eventLoop.submit({ worker.value.sentCounts() }).get() {
                sent[index] = count
            }
        }
        var results: [LoadWorker.Result] = []
        for worker in workers {
            let counts = sent
            results.append(try await worker.eventLoop.submit { worker.value.result(sent: counts) }.get())
        }
        for worker in workers {
            try await worker.eventLoop.flatSubmit { worker.value.closeAll() }.get()
        }
        return self.makeReport(plan: plan, results: results, usage: usage)
    }

    /// The longest wait for late messages once sending stopped.
    static let drainLimit: UInt64 = 10_000_000_000

    /// How long a run by message count may make no progress before it gives up.
    static let stallLimit: UInt64 = 10_000_000_000

    private func makePlan(packetSize: Int) -> PublishPlan {
        let configuration = self.configuration
        let start = BenchClock.now() + 100_000_000
        let windowStart = start + BenchClock.nanoseconds(configuration.warmup)
        var end = UInt64.max
        var limit = UInt32.max
        switch configuration.length {
        case .seconds(let seconds): end = windowStart + BenchClock.nanoseconds(seconds)
        case .messages(let count): limit = UInt32(count)
        }
        return PublishPlan(
            start: start,
            end: end,
            windowStart: windowStart,
            windowEnd: end,
            messageLimit: limit,
            ratePerSecond: configuration.rate / Double(configuration.publishers),
            inflightLimit: configuration.inflight,
            batchSize: configuration.batchSize ?? min(max(16_384 / packetSize, 1), 256)
        )
    }

    /// Waits until every expected message arrived (and every PUBACK), none arrived for
    /// `drainIdle` seconds, or ``drainLimit`` passed.
    private func drain(_ workers: [NIOLoopBound<LoadWorker>]) async throws {
        let subscribers = UInt64(self.configuration.subscribers)
        var lastDelivered: UInt64 = 0
        let start = BenchClock.now()
        var lastChange = start
        let idle = BenchClock.nanoseconds(self.configuration.drainIdle)
        while true {
            let progress = try await progress(of: workers)
            let now = BenchClock.now()
            if progress.publishersFinished && progress.delivered >= progress.sent * subscribers { return }
            if now - start > Self.drainLimit {
                self.logger.warning("messages still arriving: counting the rest as lost")
                return
            }
            if progress.delivered != lastDelivered {
                lastDelivered = progress.delivered
                lastChange = now
            } else if now - lastChange >= idle {
                return
            }
            try await Task.sleep(nanoseconds: 10_000_000)
        }
    }

    private func progress(of workers: [NIOLoopBound<LoadWorker>]) async throws -> LoadWorker.Progress {
        var total = LoadWorker.Progress(delivered: 0, sent: 0, publishersFinished: true)
        for worker in workers {
            let progress = try await worker.eventLoop.submit { worker.value.progress() }.get()
            total.delivered += progress.delivered
            total.sent += progress.sent
            total.publishersFinished = total.publishersFinished && progress.publishersFinished
        }
        return total
    }

    private func makeReport(plan: PublishPlan, results: [LoadWorker.Result], usage: ProcessUsage) -> Report {
        let configuration = self.configuration
        var latency = Histogram<UInt64>(
            lowestDiscernibleValue: 1,
            highestTrackableValue: DeliveryStats.highestTrackableNanoseconds,
            numberOfSignificantValueDigits: .three
        )
        var total = LoadWorker.Result(latency: latency)
        for result in results {
            latency.add(result.latency)
            total.delivered += result.delivered
            total.deliveredInWindow += result.deliveredInWindow
            total.lastReceiveTime = max(total.lastReceiveTime, result.lastReceiveTime)
            total.foreign += result.foreign
            total.lost += result.lost
            total.duplicates += result.duplicates
            total.outOfOrder += result.outOfOrder
            total.sent += result.sent
            total.sentInWindow += result.sentInWindow
            total.unexpectedAcknowledgements += result.unexpectedAcknowledgements
            total.connectionsLost += result.connectionsLost
        }
        let windowEnd = plan.windowEnd == .max ? max(total.lastReceiveTime, plan.windowStart) : plan.windowEnd
        let window = Double(windowEnd - plan.windowStart) / 1e9
        func perSecond(_ count: UInt64) -> Double { window > 0 ? Double(count) / window : 0 }
        let brokerSeconds = usage.brokerCPUSeconds
        return Report(
            publishers: configuration.publishers,
            subscribers: configuration.subscribers,
            topicMode: configuration.topicMode.rawValue,
            qos: Int(configuration.qos.rawValue),
            payloadSize: configuration.payloadSize,
            targetRate: configuration.rate,
            tls: self.target.tls != nil,
            windowSeconds: window,
            sent: total.sent,
            sentPerSecond: perSecond(total.sentInWindow),
            delivered: total.delivered,
            deliveredPerSecond: perSecond(total.deliveredInWindow),
            expectedDeliveries: total.sent * UInt64(configuration.subscribers),
            lost: total.lost,
            duplicates: total.duplicates,
            outOfOrder: total.outOfOrder,
            foreign: total.foreign,
            unexpectedAcknowledgements: total.unexpectedAcknowledgements,
            connectionsLost: total.connectionsLost,
            latency: LatencySummary(nanoseconds: latency),
            generatorCPUSeconds: usage.generatorCPUSeconds,
            generatorCPUPercent: window > 0 ? usage.generatorCPUSeconds / window * 100 : 0,
            brokerCPUSeconds: brokerSeconds,
            brokerCPUPercent: brokerSeconds.map { window > 0 ? $0 / window * 100 : 0 },
            deliveredPerBrokerCPUSecond: brokerSeconds.flatMap { $0 > 0 ? Double(total.deliveredInWindow) / $0 : nil }
        )
    }
}

/// Sleeps until `time` on the ``BenchClock`` time line.
func sleep(until time: UInt64) async throws {
    let now = BenchClock.now()
    if time > now { try await Task.sleep(nanoseconds: time - now) }
}

/// A short random id that keeps the client identifiers of one run apart from another's.
func randomRunID() -> String {
    String(UInt32.random(in: 0...UInt32.max), radix: 16)
}
