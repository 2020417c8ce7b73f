import DeviceAuthorization
import Foundation
import MQTTProtocol
import NIOCore
import Testing

@testable import MQTTBroker

/// AWS IoT Core's device-facing limits, enforced per listener, and its handling of QoS 2 on the
/// mutual-TLS listener (the plain listener keeps full MQTT).
@Suite("Listener limits and QoS 2")
struct ListenerLimitsTests {
    private func connectedPlainClient(_ environment: TestEnvironment, _ id: String = "limits") async throws
        -> TestMQTTClient
    {
        let client = try await environment.plainClient()
        #expect(try await client.connect(id)?.returnCode == .accepted)
        return client
    }

    @Test func aClientIdentifierOver128BytesIsRejectedWith0x02() async throws {
        try await TestEnvironment.with { environment in
            let longest = try await environment.plainClient()
            #expect(try await longest.connect(String(repeating: "a", count: 128))?.returnCode == .accepted)
            let tooLong = try await environment.plainClient()
            #expect(try await tooLong.connect(String(repeating: "é", count: 65))?.returnCode == .identifierRejected)
            #expect(await tooLong.closes())
        }
    }

    @Test func aTopicOver256BytesClosesTheConnection() async throws {
        try await TestEnvironment.with { environment in
            let client = try await connectedPlainClient(environment)
            #expect(try await client.publish(String(repeating: "t", count: 256), "fits"))
            #expect(try await client.publish(String(repeating: "t", count: 257), "too long") == false)
            #expect(await client.closes())
        }
    }

    @Test func aTopicWithMoreThanSevenSlashesClosesTheConnectionExceptAfterTheBasicIngestPrefix() async throws {
        try await TestEnvironment.with { environment in
            let client = try await connectedPlainClient(environment)
            #expect(try await client.publish("1/2/3/4/5/6/7/8", "seven slashes"))
            #expect(try await client.publish("$aws/rules/my_rule/1/2/3/4/5/6/7/8", "prefix not counted"))
            let other = try await connectedPlainClient(environment, "other")
            #expect(try await other.publish("$aws/rules/my_rule/1/2/3/4/5/6/7/8/9", "eight after the prefix") == false)
            let third = try await connectedPlainClient(environment, "third")
            #expect(try await third.publish("1/2/3/4/5/6/7/8/9", "eight slashes") == false)
        }
    }

    @Test func aPayloadOver128KiBClosesTheConnection() async throws {
        try await TestEnvironment.with { environment in
            let client = try await connectedPlainClient(environment)
            #expect(try await client.publish("big", String(repeating: "x", count: 128 * 1024)))
            #expect(try await client.publish("big", String(repeating: "x", count: 128 * 1024 + 1)) == false)
            #expect(await client.closes())
        }
    }

    @Test func moreThanEightFiltersInOneSubscribeCloseTheConnection() async throws {
        try await TestEnvironment.with { environment in
            let client = try await connectedPlainClient(environment)
            let eight = (1...8).map { ("f/\($0)", MQTTQoS.atMostOnce) }
            #expect(try await client.subscribe(eight) == Array(repeating: 0, count: 8))
            #expect(try await client.subscribe(eight + [("f/9", .atMostOnce)], id: 2) == nil)
        }
    }

    @Test func aFilterWithMoreThanSevenSlashesIsRefusedInTheSuback() async throws {
        try await TestEnvironment.with { environment in
            let client = try await connectedPlainClient(environment)
            let codes = try await client.subscribe([
                ("a/+/c/d/e/f/g/#", .atLeastOnce), ("a/b/c/d/e/f/g/h/#", .atLeastOnce),
            ])
            #expect(codes == [1, 0x80])
        }
    }

    @Test func qos2IsFullMQTTOnThePlainListener() async throws {
        try await TestEnvironment.with { environment in
            let client = try await connectedPlainClient(environment)
            #expect(try await client.subscribe([("q2", .exactlyOnce)]) == [2])
            await client.send(
                .publish(
                    .init(topic: "q2", payload: ByteBuffer(string: "once"), qos: .exactlyOnce, packetIdentifier: 5)))
            var sawPubrec = false
            while let packet = try await client.next(timeout: .seconds(2)) {
                if case .pubrec = packet {
                    sawPubrec = true
                    break
                }
            }
            #expect(sawPubrec)
        }
    }

    @Test func aQoS2PublishOnTheTLSListenerClosesTheConnectionWithoutPubrec() async throws {
        try await TestEnvironment.with { environment in
            let device = try await environment.allowedDevice()
            let (client, _) = try await environment.connect(device, clientId: "qos2-publisher")
            #expect(try await client.publish("q", "qos 1 is fine"))
            await client.send(
                .publish(
                    .init(topic: "q", payload: ByteBuffer(string: "qos 2"), qos: .exactlyOnce, packetIdentifier: 9)))
            #expect(try await client.next() == nil)  // closed, nothing answered
            let event = try await environment.event(on: "$aws/events/presence/disconnected/qos2-publisher")
            #expect(event["disconnectReason"] as? String == "CLIENT_ERROR")
        }
    }

    @Test func aQoS2SubscribeOnTheTLSListenerClosesTheConnectionWithoutSuback() async throws {
        try await TestEnvironment.with { environment in
            let device = try await environment.allowedDevice()
            let (client, _) = try await environment.connect(device, clientId: "qos2-subscriber")
            #expect(try await client.subscribe([("a", .atLeastOnce)]) == [1])
            #expect(try await client.subscribe([("b", .atLeastOnce), ("c", .exactlyOnce)], id: 2) == nil)
        }
    }

    @Test func aQoS2WillOnTheTLSListenerIsRefusedBeforeConnack() async throws {
        try await TestEnvironment.with { environment in
            let device = try await environment.allowedDevice()
            let client = try await environment.tlsClient(device)
            let will = MQTTPacket.Will(topic: "gone", payload: ByteBuffer(string: "bye"), qos: .exactlyOnce)
            #expect(try await client.connect("qos2-will", will: will) == nil)
        }
    }

    @Test(arguments: [
        ("plain/topic", 0, MQTTQoS.atLeastOnce, nil as LimitViolation?),
        ("$AWS/Rules/r/a/b/c/d/e/f/g/h", 0, .atLeastOnce, nil),
        ("$aws/rules/r", 0, .atLeastOnce, nil),
        ("$aws/rulesx/r/a/b/c/d/e/f/g", 0, .atLeastOnce, .tooManyTopicLevels),
        ("a", 131_073, .atMostOnce, .payloadTooLarge),
        ("a", 0, .exactlyOnce, .qos2NotSupported),
    ])
    func theAWSLimitsAsValues(topic: String, payload: Int, qos: MQTTQoS, expected: LimitViolation?) {
        #expect(Broker.Limits.awsIoT.violation(publishing: topic, payloadBytes: payload, qos: qos) == expected)
        let expectedWithQoS2 = expected == .qos2NotSupported ? nil : expected
        #expect(
            Broker.Limits.awsIoTWithQoS2.violation(publishing: topic, payloadBytes: payload, qos: qos)
                == expectedWithQoS2)
        #expect(Broker.Limits.unlimited.violation(publishing: topic, payloadBytes: payload, qos: qos) == nil)
    }

    @Test func listenersDefaultToAWSLimitsWithQoS2OnlyOffTheTLSListener() {
        #expect(Broker.Listener(kind: .mutualTLS, host: "h", port: 0).limits == .awsIoT)
        #expect(Broker.Listener(kind: .plain, host: "h", port: 0).limits == .awsIoTWithQoS2)
        #expect(Broker.Listener(kind: .plain, host: "h", port: 0, limits: .unlimited).limits == .unlimited)
    }
}
