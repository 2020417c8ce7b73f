import Notifications
import Testing

@Suite("SNS service: tags and reset")
struct TagTests {
    @Test("TagResource, UntagResource and ListTagsForResource", arguments: SNSTestEngine.available)
    func tags(engine: SNSTestEngine) async throws {
        try await ServiceFixture.with(engine) { sns in
            let arn = try await sns.service.createTopic(name: "t", tags: [.init(key: "k1", value: "v1")])
            try await sns.service.tagResource(
                resourceArn: arn, tags: [.init(key: "k2", value: "v2"), .init(key: "k1", value: "")])
            #expect(
                try await sns.service.listTagsForResource(resourceArn: arn) == [
                    .init(key: "k1", value: ""), .init(key: "k2", value: "v2"),
                ])
            try await sns.service.untagResource(resourceArn: arn, tagKeys: ["k1", "absent"])
            #expect(try await sns.service.listTagsForResource(resourceArn: arn) == [.init(key: "k2", value: "v2")])
            // CreateTopic with tags the topic has is the same topic; with others it is refused.
            #expect(try await sns.service.createTopic(name: "t", tags: [.init(key: "k2", value: "v2")]) == arn)
            await expectSNSError(
                .invalidParameter, "Invalid parameter: Tags Reason: Topic already exists with different tags"
            ) {
                try await sns.service.createTopic(name: "t", tags: [.init(key: "k2", value: "other")])
            }
            await expectSNSError(.invalidParameter, "Invalid parameter: Duplicated keys are not allowed.") {
                try await sns.service.tagResource(
                    resourceArn: arn, tags: [.init(key: "d", value: "1"), .init(key: "d", value: "2")])
            }
            for call in [
                {
                    try await sns.service.tagResource(
                        resourceArn: sns.arn("missing"), tags: [.init(key: "a", value: "b")])
                },
                { try await sns.service.untagResource(resourceArn: sns.arn("missing"), tagKeys: ["a"]) },
                { _ = try await sns.service.listTagsForResource(resourceArn: sns.arn("missing")) },
            ] as [() async throws -> Void] {
                await expectSNSError(.resourceNotFound, "Resource does not exist", call)
            }
            await expectSNSError(
                .invalidParameter, "Invalid parameter: ResourceArn Reason: An ARN must have at least 6 elements, not 2"
            ) {
                _ = try await sns.service.listTagsForResource(resourceArn: "arn:x")
            }
        }
    }

    @Test("a topic has at most 50 tags; a refused request changes nothing")
    func limit() async throws {
        try await ServiceFixture.with { sns in
            let fifty = (0..<50).map { NotificationService.Tag(key: "k\($0)", value: "v") }
            let message = "Could not complete request: tag quota of per resource exceeded"
            await expectSNSError(.tagLimitExceeded, message) {
                try await sns.service.createTopic(name: "big", tags: fifty + [.init(key: "one-more", value: "v")])
            }
            let arn = try await sns.service.createTopic(name: "t", tags: Array(fifty.prefix(49)))
            try await sns.service.tagResource(
                resourceArn: arn, tags: [.init(key: "k0", value: "changed"), .init(key: "k49", value: "v")])
            await expectSNSError(.tagLimitExceeded, message) {
                try await sns.service.tagResource(
                    resourceArn: arn, tags: [.init(key: "k0", value: "again"), .init(key: "k50", value: "v")])
            }
            let tags = try await sns.service.listTagsForResource(resourceArn: arn)
            #expect(tags.count == 50)
            #expect(tags.first { $0.key == "k0" }?.value == "changed")
        }
    }

    @Test("reset removes topics, subscriptions, tags and pending deliveries", arguments: SNSTestEngine.available)
    func reset(engine: SNSTestEngine) async throws {
        try await ServiceFixture.with(engine) { sns in
            let arn = try await sns.service.createTopic(name: "t", tags: [.init(key: "k", value: "v")])
            try await sns.confirmedSubscription(topic: "t")
            _ = try await sns.service.publish(.init(topicArn: arn, message: "m"))
            try await sns.service.reset()
            #expect(try await sns.service.listTopics().items.isEmpty)
            #expect(try await sns.service.listSubscriptions().items.isEmpty)
            #expect(try await sns.deliveries().isEmpty)
            let again = try await sns.service.createTopic(name: "t")
            #expect(try await sns.service.listTagsForResource(resourceArn: again).isEmpty)
        }
    }
}
