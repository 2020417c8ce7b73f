import DeviceAuthorization
import Foundation
import MQTTProtocol
import Registry
import Testing

/// Connect, publish, subscribe and receive decided by the device's IoT policies, with AWS's
/// consequences: connect or publish denied closes the connection, subscribe denied is 0x80,
/// receive denied is not delivered.
@Suite("IoT policies on the mutual-TLS listener")
struct PolicyEnforcementTests {
    /// The least-privilege policy of the README: a device connects only as its thing and
    /// uses only its thing's topics.
    static let thingPolicy = policyJSON([
        ("Allow", ["iot:Connect"], [iotARN("client", "${iot:Connection.Thing.ThingName}")]),
        ("Allow", ["iot:Publish", "iot:Receive"], [iotARN("topic", "things/${iot:Connection.Thing.ThingName}/*")]),
        ("Allow", ["iot:Subscribe"], [iotARN("topicfilter", "things/${iot:Connection.Thing.ThingName}/*")]),
    ])

    @Test func aDeviceConnectsOnlyAsTheThingItsCertificateIsAttachedTo() async throws {
        try await TestEnvironment.with { environment in
            let device = try TestPKI.device(issuedBy: environment.pki.root)
            try await environment.policy("thing-policy", Self.thingPolicy)
            try await environment.register(device, policies: ["thing-policy"])
            try await environment.registry.createThing(thingName: "sensor-1")
            try await environment.registry.createThing(thingName: "sensor-2")
            try await environment.registry.attachThingPrincipal(thingName: "sensor-1", principal: device.certificateArn)

            #expect(try await environment.isRefused(device, clientId: "sensor-2"))  // a thing, not its own
            #expect(try await environment.isRefused(device, clientId: "no-such-thing"))

            let (client, connack) = try await environment.connect(device, clientId: "sensor-1")
            #expect(connack?.returnCode == .accepted)
            #expect(try await client.subscribe([("things/sensor-1/cmd", .atLeastOnce)]) == [1])
            #expect(try await client.publish("things/sensor-1/temp", "21.5"))
            // Another thing's topic: AWS closes the connection.
            #expect(try await client.publish("things/sensor-2/temp", "19") == false)
            #expect(await client.closes())
        }
    }

    @Test func aDeniedPublishClosesTheConnectionAndIsNotRouted() async throws {
        try await TestEnvironment.with { environment in
            let device = try TestPKI.device(issuedBy: environment.pki.root)
            try await environment.policy(
                "limited",
                policyJSON([
                    ("Allow", ["iot:Connect"], ["*"]),
                    ("Allow", ["iot:Publish"], [iotARN("topic", "allowed/*")]),
                ]))
            try await environment.register(device, policies: ["limited"])
            let watcher = try await environment.plainClient()
            #expect(try await watcher.connect("watcher")?.returnCode == .accepted)
            #expect(try await watcher.subscribe([("#", .atLeastOnce)]) == [1])

            let (client, _) = try await environment.connect(device, clientId: "limited-1")
            #expect(try await client.publish("allowed/1", "ok"))
            #expect(try await watcher.nextPublish()?.topic == "allowed/1")
            #expect(try await client.publish("forbidden/1", "no") == false)
            #expect(await client.closes())
            #expect(try await watcher.staysQuiet())
        }
    }

    @Test func anExplicitDenyWinsOverAnAllow() async throws {
        try await TestEnvironment.with { environment in
            let device = try TestPKI.device(issuedBy: environment.pki.root)
            try await environment.policy("everything", allowAllPolicy)
            try await environment.policy(
                "but-secrets", policyJSON([("Deny", ["iot:Publish"], [iotARN("topic", "secret/*")])]))
            try await environment.register(device, policies: ["everything", "but-secrets"])
            let (client, _) = try await environment.connect(device, clientId: "d")
            #expect(try await client.publish("public/1", "fine"))
            #expect(try await client.publish("secret/1", "leak") == false)
        }
    }

    @Test func aDeniedSubscriptionGets0x80AndTheOthersInThePacketAreGranted() async throws {
        try await TestEnvironment.with { environment in
            let device = try TestPKI.device(issuedBy: environment.pki.root)
            try await environment.policy(
                "subscriber",
                policyJSON([
                    ("Allow", ["iot:Connect", "iot:Receive"], ["*"]),
                    ("Allow", ["iot:Subscribe"], [iotARN("topicfilter", "sensors/*")]),
                ]))
            try await environment.register(device, policies: ["subscriber"])
            let (client, _) = try await environment.connect(device, clientId: "s")
            let codes = try await client.subscribe([
                ("sensors/+/temp", .atLeastOnce), ("admin/#", .atLeastOnce), ("sensors/a", .atMostOnce),
            ])
            #expect(codes == [1, 0x80, 0])
            // The connection stays open and the granted filters work.
            let publisher = try await environment.plainClient()
            _ = try await publisher.connect("pub")
            try await publisher.publish("sensors/kitchen/temp", "20")
            #expect(try await client.nextPublish()?.topic == "sensors/kitchen/temp")
        }
    }

    @Test func aMessageTheDeviceMayNotReceiveIsNotDelivered() async throws {
        try await TestEnvironment.with { environment in
            let device = try TestPKI.device(issuedBy: environment.pki.root)
            try await environment.policy(
                "reader",
                policyJSON([
                    ("Allow", ["iot:Connect"], ["*"]),
                    ("Allow", ["iot:Subscribe"], [iotARN("topicfilter", "data/#")]),
                    ("Allow", ["iot:Receive"], [iotARN("topic", "data/public/*")]),
                ]))
            try await environment.register(device, policies: ["reader"])
            let (client, _) = try await environment.connect(device, clientId: "reader")
            #expect(try await client.subscribe([("data/#", .atLeastOnce)]) == [1])
            let publisher = try await environment.plainClient()
            _ = try await publisher.connect("pub")
            try await publisher.publish("data/private/1", "hidden")
            try await publisher.publish("data/public/1", "shown")
            let received = try await client.nextPublish()
            #expect(received?.topic == "data/public/1")
            #expect(try await client.staysQuiet())
        }
    }

    @Test func aRetainedPublishNeedsRetainPublishAsWell() async throws {
        try await TestEnvironment.with { environment in
            let publisherOnly = try TestPKI.device(issuedBy: environment.pki.root)
            let retainer = try TestPKI.device(issuedBy: environment.pki.root)
            let publish = ("Allow", ["iot:Connect", "iot:Publish"], ["*"])
            try await environment.policy("publish", policyJSON([publish]))
            try await environment.policy(
                "retain", policyJSON([publish, ("Allow", ["iot:RetainPublish"], [iotARN("topic", "state/*")])]))
            try await environment.register(publisherOnly, policies: ["publish"])
            try await environment.register(retainer, policies: ["retain"])

            let (plain, _) = try await environment.connect(publisherOnly, clientId: "plain-publisher")
            #expect(try await plain.publish("state/a", "not retained", retain: false))
            #expect(try await plain.publish("state/a", "retained?", retain: true) == false)

            let (client, _) = try await environment.connect(retainer, clientId: "retainer")
            #expect(try await client.publish("state/b", "kept", retain: true))
            #expect(try await client.publish("other/b", "not here", retain: true) == false)

            let late = try await environment.plainClient()
            _ = try await late.connect("late")
            #expect(try await late.subscribe([("state/#", .atLeastOnce)]) == [1])
            let retained = try await late.nextPublish()
            #expect(retained?.topic == "state/b")
            #expect(retained?.retain == true)
            #expect(try await late.staysQuiet())
        }
    }

    @Test func thingGroupPoliciesApplyOnlyToADeviceConnectedAsItsThing() async throws {
        try await TestEnvironment.with { environment in
            let device = try TestPKI.device(issuedBy: environment.pki.root)
            try await environment.policy("connect-any", policyJSON([("Allow", ["iot:Connect"], ["*"])]))
            try await environment.policy(
                "fleet", policyJSON([("Allow", ["iot:Publish"], [iotARN("topic", "fleet/*")])]))
            try await environment.register(device, policies: ["connect-any"])
            try await environment.registry.createThing(thingName: "truck-9")
            try await environment.registry.attachThingPrincipal(thingName: "truck-9", principal: device.certificateArn)
            let group = try await environment.registry.createThingGroup(thingGroupName: "trucks")
            try await environment.registry.addThingToThingGroup(thingGroupName: "trucks", thingName: "truck-9")
            try await environment.registry.attachPolicy(policyName: "fleet", target: group.thingGroupArn)

            let (asThing, _) = try await environment.connect(device, clientId: "truck-9")
            #expect(try await asThing.publish("fleet/position", "52.5,13.4"))
            let (asOther, _) = try await environment.connect(device, clientId: "not-the-thing")
            #expect(try await asOther.publish("fleet/position", "52.5,13.4") == false)
        }
    }

    @Test func thingAttributesAndTypeAreAvailableAsPolicyVariables() async throws {
        try await TestEnvironment.with { environment in
            let device = try TestPKI.device(issuedBy: environment.pki.root)
            try await environment.policy(
                "by-site",
                policyJSON([
                    ("Allow", ["iot:Connect"], [iotARN("client", "*")]),
                    (
                        "Allow", ["iot:Publish"],
                        [
                            iotARN("topic", "site/${iot:Connection.Thing.Attributes[site]}/*"),
                            iotARN("topic", "type/${iot:Connection.Thing.ThingTypeName}"),
                        ]
                    ),
                ]))
            try await environment.register(device, policies: ["by-site"])
            try await environment.registry.createThingType(thingTypeName: "meter")
            try await environment.registry.createThing(
                thingName: "meter-1", thingTypeName: "meter",
                attributePayload: AttributePayload(attributes: ["site": "berlin"]))
            try await environment.registry.attachThingPrincipal(thingName: "meter-1", principal: device.certificateArn)

            let (client, _) = try await environment.connect(device, clientId: "meter-1")
            #expect(try await client.publish("site/berlin/power", "3.2"))
            #expect(try await client.publish("type/meter", "hello"))
            #expect(try await client.publish("site/paris/power", "1.0") == false)
        }
    }
}
