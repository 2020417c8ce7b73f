import MQTTProtocol
import NIOCore
import NIOEmbedded
import Testing

@testable import MQTTBroker

/// The connection handler driven packet by packet on a testing channel with virtual time:
/// keep-alive, the will, CONNECT rules and timeouts without real sockets or clocks.
@Suite("Connection handler")
struct ConnectionHandlerTests {
    private struct Harness {
        let broker: Broker
        let channel: NIOAsyncTestingChannel
        var decoder = MQTTPacketDecoder(role: .client)

        init(maximumKeepAlive: UInt16? = nil) async throws {
            broker = Broker(configuration: .init(listeners: [], maximumKeepAlive: maximumKeepAlive))
            let listener = Broker.Listener(kind: .plain, host: "127.0.0.1", port: 0)
            channel = NIOAsyncTestingChannel()
            try await channel.pipeline.addHandler(MQTTConnectionHandler(broker: broker, listener: listener))
            try await channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1883))
        }

        func send(_ packet: MQTTPacket) async throws {
            try await channel.writeInbound(packet)
        }

        /// The next packet the server wrote, waiting for asynchronous authorization.
        mutating func receive() async throws -> MQTTPacket {
            for _ in 0..<200 {
                if var buffer = try await channel.readOutbound(as: ByteBuffer.self) {
                    let packet = try decoder.decodePacket(from: &buffer)
                    return try #require(packet)
                }
                try await Task.sleep(for: .milliseconds(10))
            }
            throw CancellationError()
        }

        func isOpen() async -> Bool {
            await channel.testingEventLoop.run()
            return channel.isActive
        }

        func advance(by amount: TimeAmount) async {
            await channel.testingEventLoop.advanceTime(by: amount)
        }
    }

    private func connect(
        _ id: String,
        keepAlive: UInt16 = 0,
        clean: Bool = true,
        will: MQTTPacket.Will? = nil
    ) -> MQTTPacket {
        .connect(.init(cleanSession: clean, keepAliveSeconds: keepAlive, clientIdentifier: id, will: will))
    }

    @Test func connectIsAnsweredWithConnackAccepted() async throws {
        var harness = try await Harness()
        try await harness.send(connect("device"))
        guard case .connack(let connack) = try await harness.receive() else {
            Issue.record("expected CONNACK")
            return
        }
        #expect(connack.returnCode == .accepted)
        #expect(!connack.sessionPresent)
        #expect(await harness.isOpen())
    }

    @Test func emptyClientIdentifierWithoutCleanSessionIsRejectedWith0x02() async throws {
        var harness = try await Harness()
        try await harness.send(connect("", clean: false))
        guard case .connack(let connack) = try await harness.receive() else {
            Issue.record("expected CONNACK")
            return
        }
        #expect(connack.returnCode == .identifierRejected)
        #expect(await !harness.isOpen())
    }

    @Test func aFirstPacketOtherThanConnectClosesTheConnection() async throws {
        let harness = try await Harness()
        try await harness.send(.pingreq)
        #expect(await !harness.isOpen())
    }

    @Test func aSecondConnectIsAViolationThatPublishesTheWill() async throws {
        var harness = try await Harness()
        let watcher = harness.broker.connectInProcess(clientIdentifier: "watcher")
        try watcher.subscribe("wills/#")
        let will = MQTTPacket.Will(topic: "wills/device", payload: ByteBuffer(string: "gone"))
        try await harness.send(connect("device", will: will))
        _ = try await harness.receive()
        try await harness.send(connect("device"))
        #expect(await !harness.isOpen())
        var iterator = watcher.deliveries.makeAsyncIterator()
        let delivered = await iterator.next()
        #expect(delivered?.message.topic == "wills/device")
    }

    @Test func keepAliveExpiresAtOneAndAHalfTimesTheInterval() async throws {
        var harness = try await Harness()
        let watcher = harness.broker.connectInProcess(clientIdentifier: "watcher")
        try watcher.subscribe("wills/#")
        let will = MQTTPacket.Will(topic: "wills/sleepy", payload: ByteBuffer(string: "timeout"))
        try await harness.send(connect("sleepy", keepAlive: 10, will: will))
        _ = try await harness.receive()
        await harness.advance(by: .seconds(9))
        try await harness.send(.pingreq)  // activity resets the clock
        guard case .pingresp = try await harness.receive() else {
            Issue.record("expected PINGRESP")
            return
        }
        await harness.advance(by: .seconds(14))
        #expect(await harness.isOpen())
        await harness.advance(by: .seconds(2))
        #expect(await !harness.isOpen())
        var iterator = watcher.deliveries.makeAsyncIterator()
        #expect(await iterator.next()?.message.topic == "wills/sleepy")
    }

    @Test func theServerMaximumCapsTheKeepAlive() async throws {
        var harness = try await Harness(maximumKeepAlive: 4)
        try await harness.send(connect("capped", keepAlive: 600))
        _ = try await harness.receive()
        await harness.advance(by: .milliseconds(5900))
        #expect(await harness.isOpen())
        await harness.advance(by: .milliseconds(200))
        #expect(await !harness.isOpen())
    }

    @Test func disconnectDiscardsTheWill() async throws {
        var harness = try await Harness()
        let watcher = harness.broker.connectInProcess(clientIdentifier: "watcher")
        try watcher.subscribe("#")
        let will = MQTTPacket.Will(topic: "wills/polite", payload: ByteBuffer(string: "never"))
        try await harness.send(connect("polite", will: will))
        _ = try await harness.receive()
        try await harness.send(.disconnect(.init()))
        #expect(await !harness.isOpen())
        // Nothing but this marker reaches the watcher.
        let marker = harness.broker.connectInProcess(clientIdentifier: "marker")
        try marker.publish(topic: "marker", payload: ByteBuffer(string: "m"))
        var iterator = watcher.deliveries.makeAsyncIterator()
        #expect(await iterator.next()?.message.topic == "marker")
    }

    @Test func aClientThatNeverSendsConnectIsClosedAfterTheConnectTimeout() async throws {
        let harness = try await Harness()
        await harness.advance(by: .seconds(9))
        #expect(await harness.isOpen())
        await harness.advance(by: .seconds(2))
        #expect(await !harness.isOpen())
    }

    @Test func qos2PublishIsRoutedOnceUntilReleased() async throws {
        var harness = try await Harness()
        let watcher = harness.broker.connectInProcess(clientIdentifier: "watcher")
        try watcher.subscribe("exactly/once", qos: .exactlyOnce)
        try await harness.send(connect("publisher"))
        _ = try await harness.receive()
        let publish = MQTTPacket.Publish(
            topic: "exactly/once",
            payload: ByteBuffer(string: "1"),
            qos: .exactlyOnce,
            packetIdentifier: 7
        )
        try await harness.send(.publish(publish))
        var resent = publish
        resent.duplicate = true
        try await harness.send(.publish(resent))
        for _ in 0..<2 {
            guard case .pubrec(let ack) = try await harness.receive() else {
                Issue.record("expected PUBREC")
                return
            }
            #expect(ack.packetIdentifier == 7)
        }
        try await harness.send(.pubrel(.init(packetIdentifier: 7)))
        guard case .pubcomp = try await harness.receive() else {
            Issue.record("expected PUBCOMP")
            return
        }
        #expect(harness.broker.statistics.messagesReceived == 1)
    }
}

extension ConnectionHandlerTests {
    @Test func mqtt5ClientsAreRefusedWithUnacceptableProtocolVersion() async throws {
        let broker = Broker(configuration: .init(listeners: []))
        let channel = NIOAsyncTestingChannel()
        try await channel.pipeline.addHandler(
            MQTTConnectionHandler(broker: broker, listener: .init(kind: .plain, host: "127.0.0.1", port: 0))
        )
        try await channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1883))
        try await channel.writeInbound(MQTTPacket.connect(.init(protocolVersion: .v5, clientIdentifier: "five")))
        var buffer = try #require(try await channel.readOutbound(as: ByteBuffer.self))
        // CONNACK in 3.1.1 form: 0x20 0x02, session present 0, return code 0x01.
        #expect(buffer.readBytes(length: buffer.readableBytes) == [0x20, 0x02, 0x00, 0x01])
        await channel.testingEventLoop.run()
        #expect(!channel.isActive)
    }
}
