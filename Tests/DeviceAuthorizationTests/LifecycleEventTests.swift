import DeviceAuthorization
import Foundation
import MQTTBroker
import MQTTProtocol
import Testing

/// AWS IoT's lifecycle events: presence and subscriptions, with AWS's JSON and disconnect
/// reasons.
@Suite("Lifecycle events")
struct LifecycleEventTests {
    @Test func aDeviceSessionProducesConnectedSubscribedUnsubscribedAndDisconnectedEvents() async throws {
        try await TestEnvironment.with { environment in
            let device = try await environment.allowedDevice()
            let before = Date().timeIntervalSince1970 * 1000
            let (client, _) = try await environment.connect(device, clientId: "lamp-7")

            let connected = try await environment.event(on: "$aws/events/presence/connected/lamp-7")
            #expect(connected["clientId"] as? String == "lamp-7")
            #expect(connected["eventType"] as? String == "connected")
            #expect(connected["principalIdentifier"] as? String == device.certificateId)
            #expect(connected["ipAddress"] as? String == "127.0.0.1")
            let timestamp = try #require(jsonNumber(connected["timestamp"]))
            #expect(timestamp >= before.rounded(.down) && timestamp <= Date().timeIntervalSince1970 * 1000 + 1)
            let session = try #require(connected["sessionIdentifier"] as? String)
            #expect(UUID(uuidString: session) != nil)
            let version = try #require(jsonNumber(connected["versionNumber"]))
            #expect(connected["disconnectReason"] == nil)

            #expect(try await client.subscribe([("a/b", .atLeastOnce), ("c/#", .atMostOnce)]) == [1, 0])
            let subscribed = try await environment.event(on: "$aws/events/subscriptions/subscribed/lamp-7")
            #expect(subscribed["eventType"] as? String == "subscribed")
            #expect(subscribed["topics"] as? [String] == ["a/b", "c/#"])
            #expect(subscribed["sessionIdentifier"] as? String == session)
            #expect(subscribed["principalIdentifier"] as? String == device.certificateId)

            await client.send(.unsubscribe(.init(packetIdentifier: 3, topicFilters: ["c/#"])))
            let unsubscribed = try await environment.event(on: "$aws/events/subscriptions/unsubscribed/lamp-7")
            #expect(unsubscribed["eventType"] as? String == "unsubscribed")
            #expect(unsubscribed["topics"] as? [String] == ["c/#"])

            await client.disconnect()
            let disconnected = try await environment.event(on: "$aws/events/presence/disconnected/lamp-7")
            #expect(disconnected["eventType"] as? String == "disconnected")
            #expect(disconnected["disconnectReason"] as? String == "CLIENT_INITIATED_DISCONNECT")
            #expect(disconnected["clientInitiatedDisconnect"] as? Bool == true)
            #expect(disconnected["sessionIdentifier"] as? String == session)
            #expect(jsonNumber(disconnected["versionNumber"]) == version)

            // The next session of the same client id has a newer version.
            let (again, _) = try await environment.connect(device, clientId: "lamp-7")
            let reconnected = try await environment.event(on: "$aws/events/presence/connected/lamp-7")
            #expect(try #require(jsonNumber(reconnected["versionNumber"])) > version)
            #expect(reconnected["sessionIdentifier"] as? String != session)
            await again.disconnect()
        }
    }

    @Test func onlyGrantedFiltersAreReportedAndNoEventWhenNoneIsGranted() async throws {
        try await TestEnvironment.with { environment in
            let device = try TestPKI.device(issuedBy: environment.pki.root)
            try await environment.policy(
                "narrow",
                policyJSON([
                    ("Allow", ["iot:Connect"], ["*"]),
                    ("Allow", ["iot:Subscribe"], [iotARN("topicfilter", "ok/*")]),
                ]))
            try await environment.register(device, policies: ["narrow"])
            let (client, _) = try await environment.connect(device, clientId: "narrow")
            #expect(try await client.subscribe([("denied/1", .atMostOnce)]) == [0x80])
            #expect(
                try await client.subscribe([("ok/1", .atMostOnce), ("denied/2", .atMostOnce)], id: 2) == [0, 0x80])
            let event = try await environment.event(on: "$aws/events/subscriptions/subscribed/narrow")
            #expect(event["topics"] as? [String] == ["ok/1"])
            await #expect(throws: TimedOut.self) {
                _ = try await environment.event(
                    on: "$aws/events/subscriptions/subscribed/narrow", timeout: .milliseconds(300))
            }
        }
    }

    @Test func aTakeoverIsReportedAsDuplicateClientId() async throws {
        try await TestEnvironment.with { environment in
            let first = try await environment.plainClient()
            _ = try await first.connect("twin")
            _ = try await environment.event(on: "$aws/events/presence/connected/twin")
            let second = try await environment.plainClient()
            _ = try await second.connect("twin")
            #expect(await first.closes())
            let event = try await environment.event(on: "$aws/events/presence/disconnected/twin")
            #expect(event["disconnectReason"] as? String == "DUPLICATE_CLIENTID")
            #expect(event["principalIdentifier"] as? String == "")
        }
    }

    @Test func aDroppedSocketIsConnectionLost() async throws {
        try await TestEnvironment.with { environment in
            let client = try await environment.plainClient()
            _ = try await client.connect("dropper")
            await client.close()
            let event = try await environment.event(on: "$aws/events/presence/disconnected/dropper")
            #expect(event["disconnectReason"] as? String == "CONNECTION_LOST")
            #expect(event["clientInitiatedDisconnect"] as? Bool == false)
        }
    }

    @Test func aDeniedPublishIsAnAuthError() async throws {
        try await TestEnvironment.with { environment in
            let device = try TestPKI.device(issuedBy: environment.pki.root)
            try await environment.policy("connect", policyJSON([("Allow", ["iot:Connect"], ["*"])]))
            try await environment.register(device, policies: ["connect"])
            let (client, _) = try await environment.connect(device, clientId: "sneaky")
            #expect(try await client.publish("anything", "x") == false)
            let event = try await environment.event(on: "$aws/events/presence/disconnected/sneaky")
            #expect(event["disconnectReason"] as? String == "AUTH_ERROR")
        }
    }

    @Test func anExpiredKeepAliveIsMQTTKeepAliveTimeout() async throws {
        try await TestEnvironment.with { environment in
            let client = try await environment.plainClient()
            #expect(try await client.connect("sleepy", keepAlive: 1)?.returnCode == .accepted)
            #expect(await client.closes(within: .seconds(4)))
            let event = try await environment.event(on: "$aws/events/presence/disconnected/sleepy")
            #expect(event["disconnectReason"] as? String == "MQTT_KEEP_ALIVE_TIMEOUT")
        }
    }

    @Test func clientIdsWithWildcardsGetNoEventsAndOddCharactersAreEscaped() async throws {
        try await TestEnvironment.with { environment in
            let wild = try await environment.plainClient()
            #expect(try await wild.connect("a+b")?.returnCode == .accepted)
            let odd = try await environment.plainClient()
            let oddId = "q\"uote\\back\u{1}slash"
            #expect(try await odd.connect(oddId)?.returnCode == .accepted)
            let event = try await environment.event(on: "$aws/events/presence/connected/\(oddId)")
            #expect(event["clientId"] as? String == oddId)
            await #expect(throws: TimedOut.self) {
                _ = try await environment.event(on: "$aws/events/presence/connected/a+b", timeout: .milliseconds(300))
            }
        }
    }

    @Test(arguments: [
        (DisconnectReason.clientDisconnect, "CLIENT_INITIATED_DISCONNECT"),
        (.takenOver, "DUPLICATE_CLIENTID"), (.keepAliveTimeout, "MQTT_KEEP_ALIVE_TIMEOUT"),
        (.connectionLost, "CONNECTION_LOST"), (.protocolError, "CLIENT_ERROR"), (.notAuthorized, "AUTH_ERROR"),
        (.serverInitiated, "SERVER_INITIATED_DISCONNECT"), (.serverShutdown, "SERVER_INITIATED_DISCONNECT"),
    ])
    func everyBrokerReasonHasItsAWSName(reason: DisconnectReason, aws: String) {
        #expect(LifecycleEvent.awsDisconnectReason(reason) == aws)
    }
}
