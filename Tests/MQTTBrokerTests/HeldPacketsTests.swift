import MQTTProtocol
import NIOConcurrencyHelpers
import NIOCore
import NIOEmbedded
import Testing

@testable import MQTTBroker

/// Packets that arrive while the connection handler may not handle them yet: behind a CONNECT
/// whose authorization is still unanswered, and while reading is paused because a subscriber
/// this client publishes to is congested. They wait, are then handled in arrival order, and are
/// dropped when the connection ends first.
///
/// Every connection runs on one testing event loop with virtual time, so what the handler has
/// written is known exactly after the loop has run.
@Suite("Held packets")
struct HeldPacketsTests {
    /// Answers each CONNECT only when the test says so (answers are used in order).
    private final class GatedAuthorizer: Authorizer {
        private let answers: AsyncStream<ConnectDecision>
        private let continuation: AsyncStream<ConnectDecision>.Continuation
        private let counts = NIOLockedValueBox((asked: 0, answered: 0))

        init() {
            (answers, continuation) = AsyncStream.makeStream(of: ConnectDecision.self)
        }

        func authorizeConnect(_ request: ConnectRequest) async -> ConnectDecision {
            counts.withLockedValue { $0.asked += 1 }
            var iterator = answers.makeAsyncIterator()
            let decision = await iterator.next() ?? .close
            counts.withLockedValue { $0.answered += 1 }
            return decision
        }

        func answer(_ decision: ConnectDecision) {
            continuation.yield(decision)
        }

        /// Waits until `count` CONNECTs were asked about; false after about three seconds.
        func waitUntil(asked count: Int) async throws -> Bool {
            try await poll { counts.withLockedValue { $0.asked } >= count }
        }

        /// Waits until `count` answers were handed back to the broker, and a little more for the
        /// answer to reach the connection's event loop.
        func waitUntil(answered count: Int) async throws -> Bool {
            guard try await poll({ counts.withLockedValue { $0.answered } >= count }) else { return false }
            try await Task.sleep(for: .milliseconds(50))
            return true
        }
    }

    /// Counts the reads that the connection handler lets through to the channel.
    private final class ReadCounter: ChannelOutboundHandler, Sendable {
        typealias OutboundIn = ByteBuffer
        private let reads = NIOLockedValueBox(0)

        var count: Int { reads.withLockedValue { $0 } }

        func read(context: ChannelHandlerContext) {
            reads.withLockedValue { $0 += 1 }
            context.read()
        }
    }

    /// One client's network connection, on the harness's event loop.
    private struct Connection {
        let channel: NIOAsyncTestingChannel
        let reads: ReadCounter
        var decoder = MQTTPacketDecoder(role: .client)

        func send(_ packets: MQTTPacket...) async throws {
            for packet in packets { try await channel.writeInbound(packet) }
        }

        /// Everything the server wrote since the last call, after running the event loop.
        mutating func written() async throws -> [MQTTPacket] {
            await channel.testingEventLoop.run()
            var packets: [MQTTPacket] = []
            while var buffer = try await channel.readOutbound(as: ByteBuffer.self) {
                packets.append(try #require(try decoder.decodePacket(from: &buffer)))
            }
            return packets
        }

        /// What the server wrote once an asynchronous answer came: waits for the first packet.
        mutating func writtenAfterAnswer() async throws -> [MQTTPacket] {
            for _ in 0..<300 {
                let packets = try await written()
                if !packets.isEmpty { return packets }
                try await Task.sleep(for: .milliseconds(10))
            }
            return []
        }

        func isOpen() async -> Bool {
            await channel.testingEventLoop.run()
            return channel.isActive
        }

        /// Waits for the server to close the connection; false after about three seconds.
        func waitUntilClosed() async throws -> Bool {
            try await poll { !channel.isActive }
        }

        /// Puts the channel above (false) or below (true) its write high-water mark.
        func setWritable(_ writable: Bool) async throws {
            let channel = self.channel
            try await channel.testingEventLoop.executeInContext {
                channel.isWritable = writable
                channel.pipeline.fireChannelWritabilityChanged()
            }
        }

        /// Asks the channel for a read, as the channel does when it wants more input.
        func requestRead() async throws {
            let channel = self.channel
            try await channel.testingEventLoop.executeInContext { channel.read() }
        }
    }

    /// A broker on a testing event loop shared by its connections.
    private struct Harness {
        let loop = NIOAsyncTestingEventLoop()
        let broker: Broker

        /// Subscribers under pressure hold publishers for up to `stallTimeout` (virtual time on
        /// the publisher's side; the subscriber's side counts real time, far below a minute here).
        init(stallTimeout: TimeAmount = .seconds(60)) {
            broker = Broker(configuration: .init(listeners: [], stallTimeout: stallTimeout), eventLoopGroup: loop)
        }

        func connection(authorizer: any Authorizer = AllowAllAuthorizer()) async throws -> Connection {
            let channel = NIOAsyncTestingChannel(loop: loop)
            let listener = Broker.Listener(kind: .plain, host: "127.0.0.1", port: 0, authorizer: authorizer)
            let reads = ReadCounter()
            try await channel.pipeline.addHandler(reads)
            try await channel.pipeline.addHandler(MQTTConnectionHandler(broker: broker, listener: listener))
            try await channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1883))
            return Connection(channel: channel, reads: reads)
        }

        var messagesReceived: Int { broker.statistics.messagesReceived }

        /// A client subscribed to `telemetry/#` at QoS 1.
        func subscriber() async throws -> Connection {
            var subscriber = try await connection()
            try await subscriber.send(connect("subscriber"), subscribe(1, "telemetry/#"))
            #expect(try await subscriber.written() == [connack, suback(1)])
            return subscriber
        }

        /// A publisher whose reading is paused: its first message went to `subscriber`, whose
        /// channel is above its high-water mark.
        func pausedPublisher(
            congesting subscriber: Connection
        ) async throws -> Connection {
            try await subscriber.setWritable(false)
            var publisher = try await connection()
            try await publisher.send(connect("publisher"))
            #expect(try await publisher.written() == [connack])
            try await publisher.send(publish("telemetry/1", "first", id: 1))
            #expect(try await publisher.written() == [.puback(.init(packetIdentifier: 1))])
            #expect(messagesReceived == 1)
            return publisher
        }
    }

    // MARK: Behind an unanswered CONNECT

    @Test func packetsSentBeforeTheConnectAnswerWaitForItThenRunInArrivalOrder() async throws {
        let harness = Harness()
        var watcher = try await harness.subscriber()
        let gate = GatedAuthorizer()
        var device = try await harness.connection(authorizer: gate)
        try await device.send(
            connect("device"),
            subscribe(10, "commands/#"),
            publish("telemetry/1", "first", id: 11),
            .pingreq,
            publish("telemetry/2", "second", qos: .exactlyOnce, id: 12),
            .unsubscribe(.init(packetIdentifier: 13, topicFilters: ["commands/#"])),
            .pubrel(.init(packetIdentifier: 12))
        )
        try #require(try await gate.waitUntil(asked: 1))
        #expect(try await device.written().isEmpty)
        #expect(harness.messagesReceived == 0)
        #expect(try await watcher.written().isEmpty)
        #expect(await device.isOpen())

        gate.answer(.accept(AllowAllAuthorizer()))
        #expect(
            try await device.writtenAfterAnswer() == [
                connack,
                suback(10),
                .puback(.init(packetIdentifier: 11)),
                .pingresp,
                .pubrec(.init(packetIdentifier: 12)),
                .unsuback(.init(packetIdentifier: 13)),
                .pubcomp(.init(packetIdentifier: 12)),
            ])
        #expect(harness.messagesReceived == 2)
        #expect(messages(in: try await watcher.written()) == ["telemetry/1 first", "telemetry/2 second"])
        // Packets after the answer are handled at once.
        try await device.send(.pingreq)
        #expect(try await device.written() == [.pingresp])
    }

    /// A refused CONNECT: the client must not get anything done by packets it sent behind it.
    enum Refusal: String, CaseIterable, Sendable {
        case connackNotAuthorized
        case closeWithoutConnack

        var decision: ConnectDecision {
            switch self {
            case .connackNotAuthorized: .refuse(.notAuthorized)
            case .closeWithoutConnack: .close
            }
        }

        var answer: [MQTTPacket] {
            switch self {
            case .connackNotAuthorized: [.connack(.init(returnCode: .notAuthorized))]
            case .closeWithoutConnack: []
            }
        }
    }

    @Test(arguments: Refusal.allCases)
    func aRefusedConnectDropsThePacketsHeldBehindIt(_ refusal: Refusal) async throws {
        let harness = Harness()
        var watcher = try await harness.subscriber()
        let gate = GatedAuthorizer()
        var device = try await harness.connection(authorizer: gate)
        try await device.send(
            connect("device"),
            subscribe(10, "telemetry/#"),
            publish("telemetry/1", "never", id: 11),
            publish("telemetry/2", "never", qos: .atMostOnce),
            .pingreq
        )
        try #require(try await gate.waitUntil(asked: 1))
        gate.answer(refusal.decision)
        try #require(try await device.waitUntilClosed())
        #expect(try await device.written() == refusal.answer)
        #expect(harness.messagesReceived == 0)
        #expect(try await watcher.written().isEmpty)
        // Neither a session nor its subscription was made.
        #expect(!harness.broker.disconnect(clientIdentifier: "device"))
        #expect(harness.broker.index.matches(topic: "telemetry/1").count == 1)
    }

    @Test func aConnectionClosedBeforeTheAnswerDropsItsHeldPacketsAndIgnoresTheAnswer() async throws {
        let harness = Harness()
        var watcher = try await harness.subscriber()
        let gate = GatedAuthorizer()
        var device = try await harness.connection(authorizer: gate)
        try await device.send(
            connect("device"),
            subscribe(10, "telemetry/#"),
            publish("telemetry/1", "never", id: 11),
            .pingreq
        )
        try #require(try await gate.waitUntil(asked: 1))
        try await device.channel.close()
        gate.answer(.accept(AllowAllAuthorizer()))
        try #require(try await gate.waitUntil(answered: 1))
        #expect(try await device.written().isEmpty)
        #expect(harness.messagesReceived == 0)
        #expect(try await watcher.written().isEmpty)
        #expect(!harness.broker.disconnect(clientIdentifier: "device"))
        #expect(harness.broker.statistics.connectionsActive == 1)
    }

    @Test func aDisconnectAmongTheHeldPacketsEndsTheConnectionThere() async throws {
        let harness = Harness()
        var watcher = try await harness.subscriber()
        let gate = GatedAuthorizer()
        var device = try await harness.connection(authorizer: gate)
        try await device.send(
            connect("device"),
            .pingreq,
            .disconnect(.init()),
            subscribe(10, "commands/#"),
            publish("telemetry/1", "after disconnect", id: 11)
        )
        try #require(try await gate.waitUntil(asked: 1))
        gate.answer(.accept(AllowAllAuthorizer()))
        #expect(try await device.writtenAfterAnswer() == [connack, .pingresp])
        #expect(await !device.isOpen())
        #expect(try await device.written().isEmpty)
        #expect(harness.messagesReceived == 0)
        #expect(try await watcher.written().isEmpty)
    }

    @Test func aSecondConnectWhileTheFirstIsUnansweredClosesTheConnection() async throws {
        let harness = Harness()
        let gate = GatedAuthorizer()
        var device = try await harness.connection(authorizer: gate)
        try await device.send(connect("device"), .pingreq, connect("device"))
        #expect(await !device.isOpen())
        #expect(harness.broker.statistics.protocolErrors == 1)
        gate.answer(.accept(AllowAllAuthorizer()))
        try #require(try await gate.waitUntil(answered: 1))
        #expect(try await device.written().isEmpty)
    }

    @Test func aPublishBehindTheConnectThatMeetsCongestionHoldsThePacketsAfterIt() async throws {
        let harness = Harness()
        var subscriber = try await harness.subscriber()
        try await subscriber.setWritable(false)
        let gate = GatedAuthorizer()
        var device = try await harness.connection(authorizer: gate)
        try await device.send(
            connect("device"),
            publish("telemetry/1", "first", id: 1),
            .pingreq,
            publish("telemetry/2", "second", id: 2)
        )
        try #require(try await gate.waitUntil(asked: 1))
        gate.answer(.accept(AllowAllAuthorizer()))
        // The first publish reaches the congested subscriber and pauses reading: the packets
        // read behind the CONNECT after it wait, as packets read during a pause do.
        #expect(try await device.writtenAfterAnswer() == [connack, .puback(.init(packetIdentifier: 1))])
        #expect(harness.messagesReceived == 1)

        try await subscriber.setWritable(true)
        #expect(try await device.written() == [.pingresp, .puback(.init(packetIdentifier: 2))])
        #expect(harness.messagesReceived == 2)
        #expect(messages(in: try await subscriber.written()) == ["telemetry/1 first", "telemetry/2 second"])
    }

    @Test func atMostAThousandPacketsWaitBehindAnUnansweredConnect() async throws {
        let harness = Harness()
        let gate = GatedAuthorizer()
        var device = try await harness.connection(authorizer: gate)
        try await device.send(connect("device"))
        for _ in 0..<1000 { try await device.send(.pingreq) }
        #expect(await device.isOpen())
        try await device.send(.pingreq)
        #expect(await !device.isOpen())
        #expect(harness.broker.statistics.protocolErrors == 1)
        gate.answer(.accept(AllowAllAuthorizer()))
        try #require(try await gate.waitUntil(answered: 1))
        #expect(try await device.written().isEmpty)
    }

    // MARK: While reading is paused for a congested subscriber

    @Test func packetsReadWhilePausedRunInArrivalOrderOnceTheSubscriberDrains() async throws {
        let harness = Harness()
        var subscriber = try await harness.subscriber()
        var publisher = try await harness.pausedPublisher(congesting: subscriber)
        try await publisher.send(
            subscribe(2, "commands/#"),
            .pingreq,
            publish("telemetry/2", "second", id: 3),
            .unsubscribe(.init(packetIdentifier: 4, topicFilters: ["commands/#"]))
        )
        #expect(try await publisher.written().isEmpty)
        #expect(harness.messagesReceived == 1)
        // Still held just short of the stall timeout.
        await harness.loop.advanceTime(by: .seconds(59))
        #expect(try await publisher.written().isEmpty)
        #expect(harness.messagesReceived == 1)

        try await subscriber.setWritable(true)
        #expect(
            try await publisher.written() == [
                suback(2),
                .pingresp,
                .puback(.init(packetIdentifier: 3)),
                .unsuback(.init(packetIdentifier: 4)),
            ])
        #expect(harness.messagesReceived == 2)
        #expect(messages(in: try await subscriber.written()) == ["telemetry/1 first", "telemetry/2 second"])
        // Reading is no longer paused: the next packet is handled at once.
        try await publisher.send(.pingreq)
        #expect(try await publisher.written() == [.pingresp])
    }

    @Test func aHeldPublishThatMeetsTheCongestionAgainKeepsTheRestHeld() async throws {
        let harness = Harness()
        var subscriber = try await harness.subscriber()
        var publisher = try await harness.pausedPublisher(congesting: subscriber)
        try await publisher.send(
            publish("telemetry/2", "second", id: 2),
            .pingreq,
            subscribe(3, "commands/#")
        )
        #expect(try await publisher.written().isEmpty)
        // The stall timeout ends the pause; the first held publish finds the subscriber still
        // congested and pauses reading again before the packets behind it.
        await harness.loop.advanceTime(by: .seconds(60))
        #expect(try await publisher.written() == [.puback(.init(packetIdentifier: 2))])
        #expect(harness.messagesReceived == 2)
        try await publisher.send(.pingreq)
        #expect(try await publisher.written().isEmpty)

        try await subscriber.setWritable(true)
        #expect(try await publisher.written() == [.pingresp, suback(3), .pingresp])
        #expect(messages(in: try await subscriber.written()) == ["telemetry/1 first", "telemetry/2 second"])
    }

    @Test func aReadAskedForWhilePausedIsIssuedOnResume() async throws {
        let harness = Harness()
        let subscriber = try await harness.subscriber()
        var publisher = try await harness.pausedPublisher(congesting: subscriber)
        let before = publisher.reads.count
        try await publisher.requestRead()
        #expect(publisher.reads.count == before)

        try await subscriber.setWritable(true)
        _ = try await publisher.written()
        #expect(publisher.reads.count == before + 1)
        try await publisher.requestRead()
        #expect(publisher.reads.count == before + 2)
    }

    @Test func aConnectionClosedWhilePausedDropsItsHeldPackets() async throws {
        let harness = Harness()
        var subscriber = try await harness.subscriber()
        var publisher = try await harness.pausedPublisher(congesting: subscriber)
        try await publisher.send(
            subscribe(2, "commands/#"),
            publish("telemetry/2", "never", id: 3),
            .pingreq
        )
        try await publisher.channel.close()
        // Neither the subscriber draining nor the stall timeout wakes the closed connection.
        try await subscriber.setWritable(true)
        await harness.loop.advanceTime(by: .seconds(60))
        #expect(try await publisher.written().isEmpty)
        #expect(harness.messagesReceived == 1)
        #expect(messages(in: try await subscriber.written()) == ["telemetry/1 first"])
        #expect(!harness.broker.disconnect(clientIdentifier: "publisher"))
        #expect(harness.broker.index.matches(topic: "commands/x").isEmpty)
    }

    @Test func aDisconnectAmongPacketsHeldWhilePausedEndsTheConnectionThere() async throws {
        let harness = Harness()
        var subscriber = try await harness.subscriber()
        var publisher = try await harness.pausedPublisher(congesting: subscriber)
        try await publisher.send(
            .pingreq,
            .disconnect(.init()),
            publish("telemetry/2", "after disconnect", id: 3),
            .pingreq
        )
        #expect(await publisher.isOpen())
        try await subscriber.setWritable(true)
        #expect(try await publisher.written() == [.pingresp])
        #expect(await !publisher.isOpen())
        #expect(harness.messagesReceived == 1)
        #expect(messages(in: try await subscriber.written()) == ["telemetry/1 first"])
    }
}

// MARK: Packets

private let connack = MQTTPacket.connack(.init())

private func connect(_ clientIdentifier: String) -> MQTTPacket {
    .connect(.init(keepAliveSeconds: 0, clientIdentifier: clientIdentifier))
}

private func subscribe(_ identifier: MQTTPacketIdentifier, _ filter: String) -> MQTTPacket {
    .subscribe(.init(packetIdentifier: identifier, subscriptions: [.init(topicFilter: filter, qos: .atLeastOnce)]))
}

private func suback(_ identifier: MQTTPacketIdentifier) -> MQTTPacket {
    .suback(.init(packetIdentifier: identifier, returnCodes: [.granted(.atLeastOnce)]))
}

private func publish(
    _ topic: String, _ payload: String, qos: MQTTQoS = .atLeastOnce, id: MQTTPacketIdentifier? = nil
) -> MQTTPacket {
    .publish(.init(topic: topic, payload: ByteBuffer(string: payload), qos: qos, packetIdentifier: id))
}

/// The PUBLISH packets among `packets`, as "topic payload".
private func messages(in packets: [MQTTPacket]) -> [String] {
    packets.compactMap { packet in
        guard case .publish(let publish) = packet else { return nil }
        return "\(publish.topic) \(String(buffer: publish.payload))"
    }
}

/// Polls `condition` every 10 ms for about three seconds.
private func poll(_ condition: () -> Bool) async throws -> Bool {
    for _ in 0..<300 {
        if condition() { return true }
        try await Task.sleep(for: .milliseconds(10))
    }
    return condition()
}
