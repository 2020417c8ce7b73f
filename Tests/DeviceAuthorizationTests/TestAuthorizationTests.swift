import DeviceAuthorization
import Foundation
import MQTTProtocol
import Registry
import Testing

/// `TestAuthorization` answered by the evaluator devices get, shaped as botocore's output.
@Suite("TestAuthorization")
struct TestAuthorizationTests {
    static let sensorsPolicy = policyJSON([
        ("Allow", ["iot:Connect"], [iotARN("client", "${iot:Connection.Thing.ThingName}")]),
        ("Allow", ["iot:Publish"], [iotARN("topic", "sensors/*")]),
    ])
    static let noSecrets = policyJSON([("Deny", ["iot:Publish"], [iotARN("topic", "sensors/secret")])])
    static let alerts = policyJSON([("Allow", ["iot:Publish"], [iotARN("topic", "alerts/*")])])

    private func prepare(_ environment: TestEnvironment) async throws -> TestDevice {
        let device = try TestPKI.device(issuedBy: environment.pki.root)
        try await environment.policy("sensors", Self.sensorsPolicy)
        try await environment.policy("no-secrets", Self.noSecrets)
        try await environment.policy("alerts", Self.alerts)
        try await environment.register(device, policies: ["sensors", "no-secrets"])
        try await environment.registry.createThing(thingName: "probe-1")
        try await environment.registry.attachThingPrincipal(thingName: "probe-1", principal: device.certificateArn)
        return device
    }

    @Test func decisionsNameThePoliciesThatMadeThem() async throws {
        try await TestEnvironment.with { environment in
            let device = try await prepare(environment)
            let results = try await environment.authorizer.authorize(
                principal: device.certificateArn,
                clientId: "probe-1",
                authInfos: [
                    AuthInfo(
                        actionType: .publish,
                        resources: [
                            iotARN("topic", "sensors/t"), iotARN("topic", "sensors/secret"), iotARN("topic", "x"),
                        ]),
                    AuthInfo(actionType: .connect, resources: [iotARN("client", "probe-1")]),
                ])
            #expect(results.map(\.authDecision) == [.allowed, .explicitDeny, .implicitDeny, .allowed])
            #expect(
                results.map(\.authInfo.resources) == [
                    [iotARN("topic", "sensors/t")], [iotARN("topic", "sensors/secret")], [iotARN("topic", "x")],
                    [iotARN("client", "probe-1")],
                ])
            let sensors = PolicyReference(policyName: "sensors", policyArn: iotARN("policy", "sensors"))
            let noSecrets = PolicyReference(policyName: "no-secrets", policyArn: iotARN("policy", "no-secrets"))
            #expect(results[0].allowedPolicies == [sensors])
            #expect(results[0].explicitDenyPolicies.isEmpty && results[0].implicitDenyPolicies.isEmpty)
            #expect(results[1].explicitDenyPolicies == [noSecrets])
            #expect(results[1].allowedPolicies == [sensors])
            #expect(Set(results[2].implicitDenyPolicies) == [sensors, noSecrets])
            #expect(results.allSatisfy { $0.missingContextValues.isEmpty })
        }
    }

    @Test func policiesCanBeAddedAndSkipped() async throws {
        try await TestEnvironment.with { environment in
            let device = try await prepare(environment)
            let results = try await environment.authorizer.authorize(
                principal: device.certificateId,  // a bare id works too
                clientId: "probe-1",
                policyNamesToAdd: ["alerts"],
                policyNamesToSkip: ["no-secrets"],
                authInfos: [
                    AuthInfo(
                        actionType: .publish,
                        resources: [iotARN("topic", "sensors/secret"), iotARN("topic", "alerts/fire")])
                ])
            #expect(results.map(\.authDecision) == [.allowed, .allowed])
            #expect(results[1].allowedPolicies.map(\.policyName) == ["alerts"])
        }
    }

    @Test func theClientIdSelectsTheThingAsAtConnect() async throws {
        try await TestEnvironment.with { environment in
            let device = try await prepare(environment)
            let connect = [AuthInfo(actionType: .connect, resources: [iotARN("client", "probe-1")])]
            let asThing = try await environment.authorizer.authorize(
                principal: device.certificateArn, clientId: "probe-1", authInfos: connect)
            let withoutClientId = try await environment.authorizer.authorize(
                principal: device.certificateArn, authInfos: connect)
            let asOther = try await environment.authorizer.authorize(
                principal: device.certificateArn, clientId: "probe-2", authInfos: connect)
            #expect(asThing.map(\.authDecision) == [.allowed])
            #expect(withoutClientId.map(\.authDecision) == [.implicitDeny])
            #expect(asOther.map(\.authDecision) == [.implicitDeny])

            // The broker agrees.
            #expect(try await environment.connect(device, clientId: "probe-1").1?.returnCode == .accepted)
            #expect(try await environment.isRefused(device, clientId: "probe-2"))
        }
    }

    @Test func unknownPrincipalsAndPoliciesAreErrors() async throws {
        try await TestEnvironment.with { environment in
            let device = try await prepare(environment)
            let info = [AuthInfo(actionType: .publish, resources: [iotARN("topic", "a")])]
            await #expect(throws: RegistryError.self) {
                _ = try await environment.authorizer.authorize(principal: "us-east-1:cognito-id", authInfos: info)
            }
            do {
                _ = try await environment.authorizer.authorize(
                    principal: iotARN("cert", String(repeating: "ab", count: 32)), authInfos: info)
                Issue.record("an unknown certificate was accepted")
            } catch let error as RegistryError {
                #expect(error.code == .resourceNotFound)
            }
            do {
                _ = try await environment.authorizer.authorize(
                    principal: device.certificateArn, policyNamesToAdd: ["missing"], authInfos: info)
                Issue.record("an unknown policy was accepted")
            } catch let error as RegistryError {
                #expect(error.code == .resourceNotFound)
            }
        }
    }
}
