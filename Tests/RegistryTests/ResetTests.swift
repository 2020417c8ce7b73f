import Foundation
import Registry
import Testing

@Suite("Reset")
struct ResetTests {
    /// Fills every registry table.
    static func populate(_ registry: Registry) async throws -> (certificate: Certificate, group: ThingGroup) {
        try await registry.createThingType(thingTypeName: "sensor", tags: [Tag(key: "k", value: "v")])
        try await registry.createThing(
            thingName: "t1", thingTypeName: "sensor", attributePayload: AttributePayload(attributes: ["a": "1"]))
        try await registry.createThing(thingName: "t2")
        let group = try await registry.createThingGroup(thingGroupName: "g")
        try await registry.createThingGroup(thingGroupName: "child", parentGroupName: "g")
        try await registry.addThingToThingGroup(thingGroupName: "child", thingName: "t1")
        try await registry.registerCACertificate(
            CACertificateRegistration(certificateId: certificateId(100), certificatePem: "CA", status: .active))
        let certificate = try await registry.registerTestCertificate(1, caCertificateId: certificateId(100))
        try await registry.createPolicy(policyName: "p", policyDocument: "{}", tags: [Tag(key: "k")])
        try await registry.createPolicyVersion(policyName: "p", policyDocument: "{\"v\":2}")
        try await registry.attachPolicy(policyName: "p", target: certificate.certificateArn)
        try await registry.attachPolicy(policyName: "p", target: group.thingGroupArn)
        try await registry.attachThingPrincipal(thingName: "t1", principal: certificate.certificateArn)
        try await registry.createTopicRule(ruleName: "r", payload: TopicRuleTests.payload("a/b"), topicPattern: "a/b")
        return (certificate, group)
    }

    @Test("Wipes every table, keeps the schema, and announces what caches must drop", arguments: Engine.available)
    func wipes(engine: Engine) async throws {
        try await Fixture.with(engine) { registry, _ in
            let (certificate, group) = try await Self.populate(registry)
            let received = Received()
            let observation = registry.observe { received.append($0) }

            try await registry.reset()

            let changes = Set(received.take())
            let expected: Set<RegistryChange> = [
                .certificateStatusChanged(certificateId: certificateId(1)),
                .caCertificateChanged(certificateId: certificateId(100)),
                .policyChanged(policyName: "p"),
                .attachmentsChanged(target: certificate.certificateArn),
                .attachmentsChanged(target: group.thingGroupArn),
                .thingChanged(thingName: "t1"), .thingChanged(thingName: "t2"),
                .topicRuleChanged(ruleName: "r"),
            ]
            #expect(changes == expected)
            observation.cancel()

            #expect(try await registry.listThings().items.isEmpty)
            #expect(try await registry.listThingTypes().items.isEmpty)
            #expect(try await registry.listThingGroups().items.isEmpty)
            #expect(try await registry.listCertificates().items.isEmpty)
            #expect(try await registry.listCACertificates().items.isEmpty)
            #expect(try await registry.listPolicies().items.isEmpty)
            #expect(try await registry.listTopicRules().items.isEmpty)
            #expect(try await registry.certificateStatus(certificateId: certificateId(1)) == nil)
            await expectRegistryError(.resourceNotFound) {
                _ = try await registry.describeThing(thingName: "t1")
            }

            // The same names can be used again, and old tags and attachments do not come back.
            let again = try await Self.populate(registry)
            #expect(again.certificate.certificateArn == certificate.certificateArn)
            let tags = try await registry.listTagsForResource(
                resourceArn: Fixture.scope.arn(.policy("p")))
            #expect(tags.items == [Tag(key: "k")])
            let attached = try await registry.listAttachedPolicies(target: certificate.certificateArn)
            #expect(attached.items.map(\.policyName) == ["p"])
            #expect(try await registry.listThingPrincipals(thingName: "t1").items.count == 1)
        }
    }

    @Test("Resetting an empty registry succeeds and announces nothing", arguments: Engine.available)
    func empty(engine: Engine) async throws {
        try await Fixture.with(engine) { registry, _ in
            let received = Received()
            let observation = registry.observe { received.append($0) }
            try await registry.reset()
            try await registry.reset()
            #expect(received.take().isEmpty)
            observation.cancel()
            #expect(try await registry.listThings().items.isEmpty)
        }
    }
}
