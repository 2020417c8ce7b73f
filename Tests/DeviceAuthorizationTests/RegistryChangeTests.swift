import DeviceAuthorization
import Foundation
import MQTTProtocol
import Registry
import Testing

/// Registry changes reach connected devices: revocation disconnects, policy changes apply to
/// the next authorization.
@Suite("Registry changes and live connections")
struct RegistryChangeTests {
    static let connectOnly = policyJSON([("Allow", ["iot:Connect"], ["*"])])

    @Test(arguments: [CertificateStatus.revoked, .inactive])
    func revokingOrDeactivatingALiveConnectionsCertificateDisconnectsIt(status: CertificateStatus) async throws {
        try await TestEnvironment.with { environment in
            let device = try await environment.allowedDevice()
            let bystander = try await environment.allowedDevice(subject: "bystander")
            let (client, _) = try await environment.connect(device, clientId: "doomed")
            let (other, _) = try await environment.connect(bystander, clientId: "bystander")
            #expect(try await client.publish("t", "before"))

            try await environment.registry.updateCertificate(certificateId: device.certificateId, newStatus: status)
            #expect(await client.closes(within: .seconds(5)))
            let event = try await environment.event(on: "$aws/events/presence/disconnected/doomed")
            #expect(event["disconnectReason"] as? String == "AUTH_ERROR")
            #expect(event["clientInitiatedDisconnect"] as? Bool == false)

            #expect(try await other.publish("t", "still here"))
            #expect(try await environment.isRefused(device, clientId: "doomed"))
        }
    }

    @Test func aDeletedCertificateIsRefusedAsUnknown() async throws {
        try await TestEnvironment.with { environment in
            let device = try TestPKI.device(issuedBy: environment.pki.root)
            try await environment.policy("connect", Self.connectOnly)
            try await environment.register(device, status: .active, policies: ["connect"])
            let (client, _) = try await environment.connect(device, clientId: "short-lived")
            // AWS deletes only certificates that are not ACTIVE: deactivating disconnects.
            try await environment.registry.updateCertificate(certificateId: device.certificateId, newStatus: .inactive)
            #expect(await client.closes())
            try await environment.registry.deleteCertificate(certificateId: device.certificateId, forceDelete: true)
            await environment.authorizer.synchronize()
            #expect(await eventually { environment.authorizer.connectedDeviceCount == 0 })
            #expect(try await environment.isRefused(device, clientId: "short-lived"))
        }
    }

    @Test func reactivatingACertificateLetsTheDeviceConnectAgain() async throws {
        try await TestEnvironment.with { environment in
            let device = try await environment.allowedDevice()
            try await environment.registry.updateCertificate(certificateId: device.certificateId, newStatus: .inactive)
            await environment.authorizer.synchronize()
            #expect(try await environment.isRefused(device, clientId: "again"))
            try await environment.registry.updateCertificate(certificateId: device.certificateId, newStatus: .active)
            await environment.authorizer.synchronize()
            #expect(try await environment.connect(device, clientId: "again").1?.returnCode == .accepted)
        }
    }

    @Test func attachingAPolicyTakesEffectOnTheNextPublishAndDetachingItToo() async throws {
        try await TestEnvironment.with { environment in
            let device = try TestPKI.device(issuedBy: environment.pki.root)
            try await environment.policy("connect", Self.connectOnly)
            try await environment.policy(
                "reports", policyJSON([("Allow", ["iot:Publish"], [iotARN("topic", "reports/*")])]))
            try await environment.register(device, policies: ["connect"])
            let (client, _) = try await environment.connect(device, clientId: "reporter")
            let watcher = try await environment.plainClient()
            _ = try await watcher.connect("watcher")
            #expect(try await watcher.subscribe([("reports/#", .atLeastOnce)]) == [1])

            try await environment.registry.attachPolicy(policyName: "reports", target: device.certificateArn)
            await environment.authorizer.synchronize()
            #expect(try await client.publish("reports/1", "allowed now"))
            #expect(try await watcher.nextPublish()?.topic == "reports/1")

            try await environment.registry.detachPolicy(policyName: "reports", target: device.certificateArn)
            await environment.authorizer.synchronize()
            #expect(try await client.publish("reports/2", "not any more") == false)
            #expect(try await watcher.staysQuiet())
        }
    }

    @Test func aNewDefaultPolicyVersionAppliesToConnectedDevices() async throws {
        try await TestEnvironment.with { environment in
            let device = try TestPKI.device(issuedBy: environment.pki.root)
            let v1 = policyJSON([
                ("Allow", ["iot:Connect", "iot:Subscribe"], ["*"]),
                ("Allow", ["iot:Receive"], [iotARN("topic", "v1/*")]),
            ])
            let v2 = policyJSON([
                ("Allow", ["iot:Connect", "iot:Subscribe"], ["*"]),
                ("Allow", ["iot:Receive"], [iotARN("topic", "v2/*")]),
            ])
            try await environment.policy("versioned", v1)
            try await environment.register(device, policies: ["versioned"])
            let (client, _) = try await environment.connect(device, clientId: "versioned")
            #expect(try await client.subscribe([("#", .atLeastOnce)]) == [1])
            let publisher = try await environment.plainClient()
            _ = try await publisher.connect("pub")

            try await publisher.publish("v2/a", "not yet")
            try await publisher.publish("v1/a", "v1 ok")
            #expect(try await client.nextPublish()?.topic == "v1/a")

            try await environment.registry.createPolicyVersion(
                policyName: "versioned", policyDocument: v2, setAsDefault: true)
            await environment.authorizer.synchronize()
            try await publisher.publish("v1/b", "not any more")
            try await publisher.publish("v2/b", "v2 ok")
            #expect(try await client.nextPublish()?.topic == "v2/b")
        }
    }

    @Test func aThingAttachedAfterConnectingChangesTheThingVariables() async throws {
        try await TestEnvironment.with { environment in
            let device = try TestPKI.device(issuedBy: environment.pki.root)
            try await environment.policy(
                "own-topics",
                policyJSON([
                    ("Allow", ["iot:Connect"], ["*"]),
                    ("Allow", ["iot:Publish"], [iotARN("topic", "own/${iot:Connection.Thing.ThingName}")]),
                ]))
            try await environment.register(device, policies: ["own-topics"])
            try await environment.registry.createThing(thingName: "lamp-3")
            let (client, _) = try await environment.connect(device, clientId: "lamp-3")

            try await environment.registry.attachThingPrincipal(thingName: "lamp-3", principal: device.certificateArn)
            await environment.authorizer.synchronize()
            #expect(try await client.publish("own/lamp-3", "on"))
        }
    }

    @Test func manyChangesInABurstEndWithTheLastState() async throws {
        try await TestEnvironment.with { environment in
            let device = try TestPKI.device(issuedBy: environment.pki.root)
            try await environment.policy("connect", Self.connectOnly)
            try await environment.policy("p", policyJSON([("Allow", ["iot:Publish"], [iotARN("topic", "p/*")])]))
            try await environment.register(device, policies: ["connect"])
            let (client, _) = try await environment.connect(device, clientId: "burst")
            for _ in 0..<5 {
                try await environment.registry.attachPolicy(policyName: "p", target: device.certificateArn)
                try await environment.registry.detachPolicy(policyName: "p", target: device.certificateArn)
            }
            try await environment.registry.attachPolicy(policyName: "p", target: device.certificateArn)
            await environment.authorizer.synchronize()
            #expect(try await client.publish("p/1", "attached in the end"))
        }
    }
}
