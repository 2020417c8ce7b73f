import Foundation
import Registry
import Testing

@Suite("Policy attachments")
struct AttachmentTests {
    @Test("Attach to certificates and thing groups; list both ways; detach", arguments: Engine.available)
    func attachAndList(engine: Engine) async throws {
        try await Fixture.with(engine) { registry, _ in
            try await registry.registerTestCertificate(1)
            let group = try await registry.createThingGroup(thingGroupName: "g")
            for name in ["a", "b", "c"] {
                try await registry.createPolicy(policyName: name, policyDocument: "{\"\(name)\":1}")
            }
            try await registry.attachPolicy(policyName: "a", target: certificateArn(1))
            try await registry.attachPolicy(policyName: "b", target: certificateArn(1))
            try await registry.attachPolicy(policyName: "b", target: certificateArn(1))  // twice: fine
            try await registry.attachPolicy(policyName: "c", target: group.thingGroupArn)
            try await registry.attachPrincipalPolicy(policyName: "c", principal: certificateArn(1))

            let attached = try await registry.collect {
                try await registry.listAttachedPolicies(target: certificateArn(1), marker: $0, pageSize: 2)
            }
            #expect(attached.items.map(\.policyName) == ["a", "b", "c"])
            #expect(attached.pages == 2)
            #expect(
                try await registry.listPrincipalPolicies(principal: certificateArn(1), ascendingOrder: false).items.map(
                    \.policyName) == ["c", "b", "a"])
            #expect(
                try await registry.listTargetsForPolicy(policyName: "c").items == [
                    certificateArn(1), group.thingGroupArn,
                ])
            #expect(try await registry.listPolicyPrincipals(policyName: "a").items == [certificateArn(1)])

            try await registry.detachPolicy(policyName: "a", target: certificateArn(1))
            try await registry.detachPolicy(policyName: "a", target: certificateArn(1))  // not attached: fine
            try await registry.detachPrincipalPolicy(policyName: "c", principal: certificateArn(1))
            #expect(try await registry.listAttachedPolicies(target: certificateArn(1)).items.map(\.policyName) == ["b"])
        }
    }

    @Test("Attachment errors: unknown policy or target, invalid target, limit of 10", arguments: Engine.available)
    func errors(engine: Engine) async throws {
        try await Fixture.with(engine) { registry, _ in
            try await registry.registerTestCertificate(1)
            try await registry.createPolicy(policyName: "p", policyDocument: "{}")
            await expectRegistryError(.resourceNotFound) {
                try await registry.attachPolicy(policyName: "missing", target: certificateArn(1))
            }
            await expectRegistryError(.resourceNotFound) {
                try await registry.attachPolicy(policyName: "p", target: certificateArn(2))
            }
            await expectRegistryError(.resourceNotFound) {
                try await registry.attachPolicy(
                    policyName: "p", target: "arn:aws:iot:us-east-1:123456789012:thinggroup/none")
            }
            await expectRegistryError(.invalidRequest) {
                try await registry.attachPolicy(policyName: "p", target: "not-an-arn")
            }
            await expectRegistryError(.invalidRequest) {
                try await registry.attachPolicy(
                    policyName: "p", target: "arn:aws:iot:eu-west-1:123456789012:cert/\(certificateId(1))")
            }
            await expectRegistryError(.resourceNotFound) {
                _ = try await registry.listAttachedPolicies(target: certificateArn(2))
            }
            await expectRegistryError(.resourceNotFound) {
                _ = try await registry.listTargetsForPolicy(policyName: "missing")
            }
            await expectRegistryError(.resourceNotFound) {
                _ = try await registry.listPolicyPrincipals(policyName: "missing")
            }
            await expectRegistryError(.resourceNotFound) {
                try await registry.detachPrincipalPolicy(policyName: "missing", principal: certificateArn(1))
            }
            for index in 1...10 {
                try await registry.createPolicy(policyName: "q\(index)", policyDocument: "{}")
                try await registry.attachPolicy(policyName: "q\(index)", target: certificateArn(1))
            }
            let limit = await expectRegistryError(.limitExceeded) {
                try await registry.attachPolicy(policyName: "p", target: certificateArn(1))
            }
            #expect(limit?.httpStatus == 410)
        }
    }

    @Test("Recursive listing and effective policies follow the group hierarchy", arguments: Engine.available)
    func effective(engine: Engine) async throws {
        try await Fixture.with(engine) { registry, _ in
            let root = try await registry.createThingGroup(thingGroupName: "root")
            let leaf = try await registry.createThingGroup(thingGroupName: "leaf", parentGroupName: "root")
            try await registry.createThingGroup(thingGroupName: "other")
            try await registry.createThing(thingName: "device")
            try await registry.createThing(thingName: "spare")
            try await registry.addThingToThingGroup(thingGroupName: "leaf", thingName: "device")
            try await registry.addThingToThingGroup(thingGroupName: "other", thingName: "spare")
            try await registry.registerTestCertificate(1)
            try await registry.attachThingPrincipal(thingName: "device", principal: certificateArn(1))
            for name in ["direct", "fromRoot", "fromLeaf", "fromOther"] {
                try await registry.createPolicy(policyName: name, policyDocument: "{\"p\":\"\(name)\"}")
            }
            try await registry.attachPolicy(policyName: "direct", target: certificateArn(1))
            try await registry.attachPolicy(policyName: "fromRoot", target: root.thingGroupArn)
            try await registry.attachPolicy(policyName: "fromLeaf", target: leaf.thingGroupArn)
            try await registry.attachPolicy(
                policyName: "fromOther", target: "arn:aws:iot:us-east-1:123456789012:thinggroup/other")

            #expect(
                try await registry.listAttachedPolicies(target: leaf.thingGroupArn).items.map(\.policyName) == [
                    "fromLeaf"
                ])
            #expect(
                try await registry.listAttachedPolicies(target: leaf.thingGroupArn, recursive: true).items.map(
                    \.policyName)
                    == ["fromLeaf", "fromRoot"])

            let effective = try await registry.effectivePolicies(principal: certificateArn(1))
            #expect(effective.map(\.policyName) == ["direct", "fromLeaf", "fromRoot"])
            #expect(effective.first?.policyDocument == "{\"p\":\"direct\"}")
            #expect(effective.first?.policyArn == "arn:aws:iot:us-east-1:123456789012:policy/direct")
            #expect(
                try await registry.effectivePolicies(principal: certificateArn(1), thingName: "spare").map(\.policyName)
                    == ["direct", "fromOther"])
            // The default version's document is the one that applies.
            try await registry.createPolicyVersion(
                policyName: "direct", policyDocument: "{\"v\":2}", setAsDefault: true)
            #expect(
                try await registry.effectivePolicies(principal: certificateArn(1)).first?.policyDocument == "{\"v\":2}")
            await expectRegistryError(.resourceNotFound) {
                _ = try await registry.effectivePolicies(principal: certificateArn(9))
            }
            await expectRegistryError(.resourceNotFound) {
                _ = try await registry.effectivePolicies(principal: certificateArn(1), thingName: "nope")
            }
        }
    }
}
