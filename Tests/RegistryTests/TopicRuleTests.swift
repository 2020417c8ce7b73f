import Foundation
import Registry
import Testing

@Suite("Topic rules")
struct TopicRuleTests {
    static func payload(_ topic: String, disabled: Bool = false, description: String? = nil) -> String {
        var object: [String: Any] = [
            "sql": "SELECT * FROM '\(topic)'",
            "actions": [["republish": ["topic": "out", "roleArn": "arn:aws:iam::123456789012:role/r"]]],
            "ruleDisabled": disabled, "awsIotSqlVersion": "2016-03-23",
        ]
        if let description { object["description"] = description }
        return String(
            decoding: try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
    }

    @Test("Create, get, duplicate, missing", arguments: Engine.available)
    func create(engine: Engine) async throws {
        try await Fixture.with(engine) { registry, fixture in
            let payload = Self.payload("sensors/+/temp", description: "temperatures")
            let rule = try await registry.createTopicRule(
                ruleName: "temps", payload: payload, topicPattern: "sensors/+/temp")
            #expect(rule.ruleArn == "arn:aws:iot:us-east-1:123456789012:rule/temps")
            #expect(rule.sql == "SELECT * FROM 'sensors/+/temp'")
            #expect(rule.description == "temperatures")
            #expect(rule.awsIotSqlVersion == "2016-03-23")
            #expect(!rule.ruleDisabled)
            #expect(rule.createdAt == fixture.clock.now)
            #expect(rule.payload == payload)
            #expect(try await registry.getTopicRule(ruleName: "temps") == rule)
            let duplicate = await expectRegistryError(.resourceAlreadyExists) {
                try await registry.createTopicRule(ruleName: "temps", payload: payload, topicPattern: "x")
            }
            #expect(duplicate?.message == "Rule with given name already exists")
            #expect(duplicate?.resourceArn == rule.ruleArn)
            let missing = await expectRegistryError(.unauthorized) {
                _ = try await registry.getTopicRule(ruleName: "nope")
            }
            #expect(missing?.message == "Access to topic rule 'nope' was denied")
            #expect(missing?.httpStatus == 401)
            await expectRegistryError(.invalidRequest) {
                try await registry.createTopicRule(ruleName: "bad-name", payload: payload, topicPattern: "x")
            }
            await expectRegistryError(.invalidRequest) {
                try await registry.createTopicRule(ruleName: "nosql", payload: #"{"actions":[]}"#, topicPattern: "x")
            }
            await expectRegistryError(.invalidRequest) {
                try await registry.createTopicRule(
                    ruleName: "noactions", payload: #"{"sql":"SELECT 1"}"#, topicPattern: "x")
            }
            await expectRegistryError(.invalidRequest) {
                try await registry.createTopicRule(ruleName: "garbage", payload: "not json", topicPattern: "x")
            }
        }
    }

    @Test("List by name with topic and enabled filters, paging", arguments: Engine.available)
    func list(engine: Engine) async throws {
        try await Fixture.with(engine) { registry, _ in
            for index in 1...5 {
                try await registry.createTopicRule(
                    ruleName: "rule_\(index)", payload: Self.payload(index <= 3 ? "a/b" : "c", disabled: index == 2),
                    topicPattern: index <= 3 ? "a/b" : "c")
            }
            let all = try await registry.collect { try await registry.listTopicRules(maxResults: 2, nextToken: $0) }
            #expect(all.items.map(\.ruleName) == (1...5).map { "rule_\($0)" })
            #expect(all.pages == 3)
            #expect(
                try await registry.listTopicRules(topic: "a/b").items.map(\.ruleName) == ["rule_1", "rule_2", "rule_3"])
            #expect(
                try await registry.listTopicRules(topic: "a/b", ruleDisabled: true).items.map(\.ruleName) == ["rule_2"])
            #expect(try await registry.listTopicRules(ruleDisabled: false).items.count == 4)
            let summary = try #require(all.items.first)
            #expect(summary.topicPattern == "a/b")
            #expect(summary.ruleArn == "arn:aws:iot:us-east-1:123456789012:rule/rule_1")
            #expect(try await registry.enabledTopicRules().map(\.ruleName) == ["rule_1", "rule_3", "rule_4", "rule_5"])
            await expectRegistryError(.invalidRequest) { _ = try await registry.listTopicRules(maxResults: 10_001) }
        }
    }

    @Test("Replace, enable, disable, delete", arguments: Engine.available)
    func modify(engine: Engine) async throws {
        try await Fixture.with(engine) { registry, fixture in
            let created = try await registry.createTopicRule(
                ruleName: "r", payload: Self.payload("old"), topicPattern: "old", tags: [Tag(key: "k", value: "v")])
            fixture.clock.advance(seconds: 5)
            try await registry.replaceTopicRule(
                ruleName: "r", payload: Self.payload("new", disabled: true), topicPattern: "new")
            var rule = try await registry.getTopicRule(ruleName: "r")
            #expect(rule.sql == "SELECT * FROM 'new'")
            #expect(rule.topicPattern == "new")
            #expect(rule.ruleDisabled)
            #expect(rule.createdAt == created.createdAt)
            #expect(rule.ruleArn == created.ruleArn)
            try await registry.enableTopicRule(ruleName: "r")
            rule = try await registry.getTopicRule(ruleName: "r")
            #expect(!rule.ruleDisabled)
            try await registry.disableTopicRule(ruleName: "r")
            #expect(try await registry.getTopicRule(ruleName: "r").ruleDisabled)
            for operation in [
                { try await registry.enableTopicRule(ruleName: "missing") },
                { try await registry.disableTopicRule(ruleName: "missing") },
                {
                    try await registry.replaceTopicRule(
                        ruleName: "missing", payload: Self.payload("x"), topicPattern: "x")
                },
            ] as [() async throws -> Void] {
                await expectRegistryError(.unauthorized, operation)
            }
            try await registry.deleteTopicRule(ruleName: "r")
            try await registry.deleteTopicRule(ruleName: "r")  // idempotent, as on AWS
            await expectRegistryError(.unauthorized) { _ = try await registry.getTopicRule(ruleName: "r") }
            try await registry.createTopicRule(ruleName: "r", payload: Self.payload("x"), topicPattern: "x")
            #expect(try await registry.listTagsForResource(resourceArn: created.ruleArn).items.isEmpty)
        }
    }
}
