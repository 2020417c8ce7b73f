import DeviceAuthorization
import Foundation
import MQTTProtocol
import Registry
import Testing

/// CONNECT answers are cached per certificate, client id and address; every registry change
/// reaches the very next CONNECT, without waiting for the change to be applied to live
/// connections (no `synchronize()` in these tests on purpose).
@Suite("CONNECT answers follow registry changes at once")
struct ConnectAnswerCacheTests {
    @Test func reconnectingTwiceGivesTheSameAnswer() async throws {
        try await TestEnvironment.with { environment in
            let device = try await environment.allowedDevice()
            for _ in 0..<3 {
                let (client, connack) = try await environment.connect(device, clientId: "again-and-again")
                #expect(connack?.returnCode == .accepted)
                #expect(try await client.publish("t", "hello"))
                await client.close()
            }
        }
    }

    @Test func aDetachedPolicyRefusesTheNextConnect() async throws {
        try await TestEnvironment.with { environment in
            let device = try await environment.allowedDevice()
            let (client, connack) = try await environment.connect(device, clientId: "detached")
            #expect(connack?.returnCode == .accepted)
            await client.close()
            try await environment.registry.detachPolicy(policyName: "allow-all", target: device.certificateArn)
            #expect(try await environment.isRefused(device, clientId: "detached"))
        }
    }

    @Test func aDeactivatedCertificateIsRefusedAtTheNextConnect() async throws {
        try await TestEnvironment.with { environment in
            let device = try await environment.allowedDevice()
            let (client, _) = try await environment.connect(device, clientId: "deactivated")
            await client.close()
            try await environment.registry.updateCertificate(certificateId: device.certificateId, newStatus: .inactive)
            #expect(try await environment.isRefused(device, clientId: "deactivated"))
        }
    }

    @Test func aCertificateRegisteredAfterARefusalConnects() async throws {
        try await TestEnvironment.with { environment in
            let device = try TestPKI.device(issuedBy: environment.pki.root)
            try await environment.policy("allow-all", allowAllPolicy)
            #expect(try await environment.isRefused(device, clientId: "late"))
            try await environment.register(device, policies: ["allow-all"])
            #expect(try await environment.connect(device, clientId: "late").1?.returnCode == .accepted)
        }
    }

    @Test func aNewDefaultVersionDecidesTheNextConnect() async throws {
        try await TestEnvironment.with { environment in
            let device = try TestPKI.device(issuedBy: environment.pki.root)
            try await environment.policy("connect", policyJSON([("Allow", ["iot:Connect"], [iotARN("client", "old")])]))
            try await environment.register(device, policies: ["connect"])
            #expect(try await environment.connect(device, clientId: "old").1?.returnCode == .accepted)
            #expect(try await environment.isRefused(device, clientId: "new"))

            _ = try await environment.registry.createPolicyVersion(
                policyName: "connect",
                policyDocument: policyJSON([("Allow", ["iot:Connect"], [iotARN("client", "new")])]),
                setAsDefault: true)
            #expect(try await environment.connect(device, clientId: "new").1?.returnCode == .accepted)
            #expect(try await environment.isRefused(device, clientId: "old"))
        }
    }

    @Test func attachingTheThingMakesThingVariablesResolveAtTheNextConnect() async throws {
        try await TestEnvironment.with { environment in
            let device = try TestPKI.device(issuedBy: environment.pki.root)
            let thingOnly = policyJSON([
                ("Allow", ["iot:Connect"], [iotARN("client", "${iot:Connection.Thing.ThingName}")])
            ])
            try await environment.policy("thing-only", thingOnly)
            try await environment.register(device, policies: ["thing-only"])
            #expect(try await environment.isRefused(device, clientId: "sensor-7"))

            _ = try await environment.registry.createThing(thingName: "sensor-7")
            #expect(try await environment.isRefused(device, clientId: "sensor-7"))
            try await environment.registry.attachThingPrincipal(thingName: "sensor-7", principal: device.certificateArn)
            #expect(try await environment.connect(device, clientId: "sensor-7").1?.returnCode == .accepted)
        }
    }

    @Test func clientIdsOfOneCertificateAreDecidedEachWithItsOwnVariables() async throws {
        try await TestEnvironment.with { environment in
            let device = try TestPKI.device(issuedBy: environment.pki.root)
            let thingOnly = policyJSON([
                ("Allow", ["iot:Connect"], [iotARN("client", "${iot:Connection.Thing.ThingName}")]),
                ("Allow", ["iot:Publish"], [iotARN("topic", "${iot:ClientId}/*")]),
            ])
            try await environment.policy("thing-only", thingOnly)
            try await environment.register(device, policies: ["thing-only"])
            for name in ["lamp-1", "lamp-2"] {
                _ = try await environment.registry.createThing(thingName: name)
                try await environment.registry.attachThingPrincipal(thingName: name, principal: device.certificateArn)
            }
            let (one, _) = try await environment.connect(device, clientId: "lamp-1")
            let (two, _) = try await environment.connect(device, clientId: "lamp-2")
            #expect(try await environment.isRefused(device, clientId: "lamp-3"))
            #expect(try await one.publish("lamp-1/state", "on"))
            #expect(try await two.publish("lamp-2/state", "on"))
            #expect(try await two.publish("lamp-1/state", "spoofed") == false)
        }
    }
}
