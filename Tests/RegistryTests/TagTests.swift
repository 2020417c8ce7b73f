import Foundation
import Registry
import Testing

@Suite("Tags")
struct TagTests {
    @Test("Tag, list and untag every taggable kind", arguments: Engine.available)
    func everyKind(engine: Engine) async throws {
        try await Fixture.with(engine) { registry, _ in
            let arns = [
                try await registry.createThingGroup(thingGroupName: "g").thingGroupArn,
                try await registry.createThingType(thingTypeName: "t").thingTypeArn,
                try await registry.createPolicy(policyName: "p", policyDocument: "{}").policyArn,
                try await registry.createTopicRule(
                    ruleName: "r", payload: TopicRuleTests.payload("x"), topicPattern: "x"
                ).ruleArn,
                try await registry.registerCACertificate(
                    CACertificateRegistration(certificateId: certificateId(7), certificatePem: "CA", status: .inactive)
                ).certificateArn,
            ]
            for arn in arns {
                try await registry.tagResource(
                    resourceArn: arn, tags: [Tag(key: "b", value: "2"), Tag(key: "a", value: "1")])
                try await registry.tagResource(resourceArn: arn, tags: [Tag(key: "a", value: "one"), Tag(key: "c")])
                #expect(
                    try await registry.listTagsForResource(resourceArn: arn).items
                        == [Tag(key: "a", value: "one"), Tag(key: "b", value: "2"), Tag(key: "c", value: "")])
                try await registry.untagResource(resourceArn: arn, tagKeys: ["b", "zzz"])
                #expect(try await registry.listTagsForResource(resourceArn: arn).items.map(\.key) == ["a", "c"])
            }
        }
    }

    @Test("AWS limits: 50 tags, key 1-128, value 0-256, aws: reserved", arguments: Engine.available)
    func limits(engine: Engine) async throws {
        try await Fixture.with(engine) { registry, _ in
            let arn = try await registry.createPolicy(policyName: "p", policyDocument: "{}").policyArn
            let fifty = (1...50).map { Tag(key: "k\($0)", value: "v") }
            try await registry.tagResource(resourceArn: arn, tags: fifty)
            // Replacing a value keeps 50 tags.
            try await registry.tagResource(resourceArn: arn, tags: [Tag(key: "k1", value: "changed")])
            await expectRegistryError(.limitExceeded) {
                try await registry.tagResource(resourceArn: arn, tags: [Tag(key: "k51")])
            }
            await expectRegistryError(.limitExceeded) {
                try await registry.createThingGroup(thingGroupName: "g", tags: (1...51).map { Tag(key: "k\($0)") })
            }
            try await registry.untagResource(resourceArn: arn, tagKeys: fifty.map(\.key))
            try await registry.tagResource(
                resourceArn: arn,
                tags: [Tag(key: String(repeating: "k", count: 128), value: String(repeating: "v", count: 256))])
            await expectRegistryError(.invalidRequest) {
                try await registry.tagResource(resourceArn: arn, tags: [Tag(key: String(repeating: "k", count: 129))])
            }
            await expectRegistryError(.invalidRequest) {
                try await registry.tagResource(resourceArn: arn, tags: [Tag(key: "")])
            }
            await expectRegistryError(.invalidRequest) {
                try await registry.tagResource(
                    resourceArn: arn, tags: [Tag(key: "k", value: String(repeating: "v", count: 257))])
            }
            await expectRegistryError(.invalidRequest) {
                try await registry.tagResource(resourceArn: arn, tags: [Tag(key: "aws:owner")])
            }
            await expectRegistryError(.invalidRequest) {
                try await registry.tagResource(resourceArn: arn, tags: [Tag(key: "bad*key")])
            }
            await expectRegistryError(.invalidRequest) {
                try await registry.tagResource(resourceArn: arn, tags: [Tag(key: "dup"), Tag(key: "dup")])
            }
            try await registry.tagResource(resourceArn: arn, tags: [Tag(key: "Ünïcode key 1 _.:/=+-@", value: "ok")])
        }
    }

    @Test("Unknown, foreign and untaggable resources", arguments: Engine.available)
    func errors(engine: Engine) async throws {
        try await Fixture.with(engine) { registry, _ in
            try await registry.createThing(thingName: "thing")
            await expectRegistryError(.resourceNotFound) {
                try await registry.tagResource(
                    resourceArn: "arn:aws:iot:us-east-1:123456789012:policy/none", tags: [Tag(key: "k")])
            }
            await expectRegistryError(.resourceNotFound) {
                _ = try await registry.listTagsForResource(
                    resourceArn: "arn:aws:iot:us-east-1:123456789012:thinggroup/none")
            }
            await expectRegistryError(.invalidRequest) {
                try await registry.tagResource(
                    resourceArn: "arn:aws:iot:us-east-1:123456789012:thing/thing", tags: [Tag(key: "k")])
            }
            await expectRegistryError(.invalidRequest) {
                try await registry.tagResource(
                    resourceArn: "arn:aws:iot:us-east-1:999999999999:policy/p", tags: [Tag(key: "k")])
            }
            await expectRegistryError(.invalidRequest) {
                try await registry.untagResource(resourceArn: "garbage", tagKeys: ["k"])
            }
        }
    }
}
