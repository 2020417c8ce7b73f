import AWSWire
import ControlPlane
import Foundation
import Registry
import Testing

@Suite("iot: topic rules and tags")
struct IoTTopicRuleTests {
    /// The payload of the seed's `create_topic_rule` call.
    static func seedPayload(topic: String = "test-iot-topic-1") -> [String: Any] {
        [
            "awsIotSqlVersion": "2016-03-23",
            "sql": "SELECT * FROM '\(topic)'",
            "description": "test",
            "actions": [
                [
                    "sns": [
                        "targetArn": "arn:aws:sns:us-east-1:123456789012:iot-notification",
                        "roleArn": "arn:aws:iam::123456789012:role/service-role/test-iot-role-1",
                        "messageFormat": "RAW",
                    ]
                ]
            ],
            "ruleDisabled": false,
        ]
    }

    @Test("CreateTopicRule with the seed's payload; GetTopicRule returns it as given")
    func createAndGet() async throws {
        try await IoTFixture.with { iot in
            try await iot.call(.post, "/rules/iotrule2", json: Self.seedPayload()).ok()
            let got = try await iot.call(.get, "/rules/iotrule2").ok()
            #expect(got["ruleArn"] as? String == iot.arn(.rule("iotrule2")))
            let rule = try #require(got["rule"] as? [String: Any])
            #expect(rule["ruleName"] as? String == "iotrule2")
            #expect(rule["sql"] as? String == "SELECT * FROM 'test-iot-topic-1'")
            #expect(rule["description"] as? String == "test")
            #expect(rule["awsIotSqlVersion"] as? String == "2016-03-23")
            #expect(rule["ruleDisabled"] as? Bool == false)
            #expect(rule["createdAt"] != nil)
            let actions = try #require(rule["actions"] as? [[String: [String: String]]])
            #expect(actions == (Self.seedPayload()["actions"] as? [[String: [String: String]]]))

            let stored = try await iot.registry.getTopicRule(ruleName: "iotrule2")
            #expect(stored.topicPattern == "test-iot-topic-1")

            let duplicate = try await iot.call(.post, "/rules/iotrule2", json: Self.seedPayload())
            duplicate.expectError("ResourceAlreadyExistsException", status: 409)
            try await iot.call(.get, "/rules/nope").expectError("UnauthorizedException", status: 401)
        }
    }

    @Test(
        "The SQL is parsed in the payload's dialect: SqlParseException",
        arguments: [
            ("SELECT * FROM", "2016-03-23"), ("SELEKT * FROM 'a'", "2016-03-23"),
            ("SELECT * FROM 'a' WHERE", "2015-10-08"),
            // Object literals exist only from 2016-03-23 on.
            ("SELECT {'a': 1} AS x FROM 'a'", "2015-10-08"),
        ])
    func sqlParse(sql: String, version: String) async throws {
        try await IoTFixture.with { iot in
            var payload = Self.seedPayload()
            payload["sql"] = sql
            payload["awsIotSqlVersion"] = version
            let message = try await iot.call(.post, "/rules/bad", json: payload)
                .expectError("SqlParseException", status: 400)
            #expect(message.hasPrefix("Line "))
            try await iot.call(.get, "/rules/bad").expectError("UnauthorizedException", status: 401)
        }
    }

    @Test("Version-dependent SQL, unknown versions and missing members")
    func versions() async throws {
        try await IoTFixture.with { iot in
            var payload = Self.seedPayload()
            payload["sql"] = "SELECT {'a': 1} AS x FROM 'objects/#'"
            try await iot.call(.post, "/rules/objects", json: payload).ok()
            #expect(try await iot.registry.getTopicRule(ruleName: "objects").topicPattern == "objects/#")
            payload["awsIotSqlVersion"] = "1999-01-01"
            try await iot.call(.post, "/rules/dated", json: payload)
                .expectError("InvalidRequestException", status: 400)
            try await iot.call(.post, "/rules/empty", json: ["sql": "SELECT * FROM 'a'"])
                .expectError("InvalidRequestException", status: 400)
            try await iot.call(.post, "/rules/bad-name", json: Self.seedPayload())
                .expectError("InvalidRequestException", status: 400)
            // Without awsIotSqlVersion the rule is 2015-10-08 SQL, stored without the member.
            var plain = Self.seedPayload(topic: "plain/+")
            plain.removeValue(forKey: "awsIotSqlVersion")
            try await iot.call(.post, "/rules/plain", json: plain).ok()
            let rule = try await iot.call(.get, "/rules/plain").ok()["rule"] as? [String: Any]
            #expect(rule?["awsIotSqlVersion"] == nil)
        }
    }

    @Test("ListTopicRules filters by topic and state, and pages")
    func list() async throws {
        try await IoTFixture.with { iot in
            for (index, topic) in ["a/b", "c/d", "a/b", "e/#"].enumerated() {
                try await iot.call(.post, "/rules/rule_\(index)", json: Self.seedPayload(topic: topic))
                    .ok()
            }
            try await iot.call(.post, "/rules/rule_1/disable").ok()
            var names: [String] = []
            var token: String?
            repeat {
                let query = "maxResults=3" + (token.map { "&nextToken=\(encoded($0))" } ?? "")
                let page = try await iot.call(.get, "/rules", query: query).ok()
                let rules = try #require(page["rules"] as? [[String: Any]])
                names += rules.compactMap { $0["ruleName"] as? String }
                token = page["nextToken"] as? String
            } while token != nil
            #expect(names == ["rule_0", "rule_1", "rule_2", "rule_3"])

            let onTopic = try await iot.call(.get, "/rules", query: "topic=\(encoded("a/b"))").ok()
            let matching = try #require(onTopic["rules"] as? [[String: Any]])
            #expect(matching.map { $0["ruleName"] as? String } == ["rule_0", "rule_2"])
            #expect(matching.first?["topicPattern"] as? String == "a/b")
            #expect(matching.first?["ruleArn"] as? String == iot.arn(.rule("rule_0")))
            #expect(matching.first?["ruleDisabled"] as? Bool == false)
            let disabled = try await iot.call(.get, "/rules", query: "ruleDisabled=true").ok()
            #expect((disabled["rules"] as? [[String: Any]])?.map { $0["ruleName"] as? String } == ["rule_1"])
        }
    }

    @Test("ReplaceTopicRule, EnableTopicRule, DisableTopicRule, DeleteTopicRule")
    func replaceEnableDelete() async throws {
        try await IoTFixture.with { iot in
            try await iot.call(.post, "/rules/r", json: Self.seedPayload()).ok()
            try await iot.call(.post, "/rules/r/disable").ok()
            var rule = try await iot.call(.get, "/rules/r").ok()["rule"] as? [String: Any]
            #expect(rule?["ruleDisabled"] as? Bool == true)
            try await iot.call(.post, "/rules/r/enable").ok()
            rule = try await iot.call(.get, "/rules/r").ok()["rule"] as? [String: Any]
            #expect(rule?["ruleDisabled"] as? Bool == false)

            var replacement = Self.seedPayload(topic: "new/topic")
            replacement["actions"] = [
                ["republish": ["topic": "out/${topic()}", "roleArn": "arn:aws:iam::123456789012:role/r", "qos": 1]]
            ]
            replacement["errorAction"] = [
                "republish": ["topic": "errors", "roleArn": "arn:aws:iam::123456789012:role/r"]
            ]
            try await iot.call(.patch, "/rules/r", json: replacement).ok()
            rule = try await iot.call(.get, "/rules/r").ok()["rule"] as? [String: Any]
            #expect(rule?["sql"] as? String == "SELECT * FROM 'new/topic'")
            let republish = (rule?["actions"] as? [[String: [String: Any]]])?.first?["republish"]
            #expect(republish?["topic"] as? String == "out/${topic()}")
            #expect(republish?["qos"] as? Int == 1)
            #expect((rule?["errorAction"] as? [String: [String: String]])?["republish"]?["topic"] == "errors")
            #expect(try await iot.registry.getTopicRule(ruleName: "r").topicPattern == "new/topic")
            var broken = replacement
            broken["sql"] = "SELECT FROM"
            try await iot.call(.patch, "/rules/r", json: broken)
                .expectError("SqlParseException", status: 400)
            try await iot.call(.patch, "/rules/nope", json: replacement)
                .expectError("UnauthorizedException", status: 401)
            try await iot.call(.post, "/rules/nope/enable").expectError("UnauthorizedException", status: 401)

            try await iot.call(.delete, "/rules/r").ok()
            try await iot.call(.get, "/rules/r").expectError("UnauthorizedException", status: 401)
            try await iot.call(.delete, "/rules/r").ok()
        }
    }

    @Test("CreateTopicRule takes tags from x-amz-tagging; TagResource, UntagResource, ListTagsForResource")
    func tags() async throws {
        try await IoTFixture.with { iot in
            try await iot.call(
                .post, "/rules/tagged", headers: [HeaderField("x-amz-tagging", "team=iot&purpose=alerts%20%26%20more")],
                json: Self.seedPayload()
            ).ok()
            let ruleArn = iot.arn(.rule("tagged"))
            var tags = try await iot.call(.get, "/tags", query: "resourceArn=\(encoded(ruleArn))").ok()
            #expect(
                tags["tags"] as? [[String: String]] == [
                    ["Key": "purpose", "Value": "alerts & more"], ["Key": "team", "Value": "iot"],
                ])

            try await iot.call(
                .post, "/tags",
                json: [
                    "resourceArn": ruleArn, "tags": [["Key": "team", "Value": "core"], ["Key": "new", "Value": ""]],
                ]
            ).ok()
            tags = try await iot.call(.get, "/tags", query: "resourceArn=\(encoded(ruleArn))").ok()
            #expect(
                tags["tags"] as? [[String: String]] == [
                    ["Key": "new", "Value": ""], ["Key": "purpose", "Value": "alerts & more"],
                    ["Key": "team", "Value": "core"],
                ])
            try await iot.call(.post, "/untag", json: ["resourceArn": ruleArn, "tagKeys": ["purpose", "absent"]]).ok()
            tags = try await iot.call(.get, "/tags", query: "resourceArn=\(encoded(ruleArn))").ok()
            #expect((tags["tags"] as? [[String: String]])?.map { $0["Key"] } == ["new", "team"])

            try await iot.call(.post, "/policies/p", json: ["policyDocument": IoTPolicyTests.allowAll]).ok()
            try await iot.call(
                .post, "/tags", json: ["resourceArn": iot.arn(.policy("p")), "tags": [["Key": "k", "Value": "v"]]]
            ).ok()
            try await iot.call(.post, "/thing-groups/g").ok()
            try await iot.call(
                .post, "/tags", json: ["resourceArn": iot.arn(.thingGroup("g")), "tags": [["Key": "k", "Value": "v"]]]
            ).ok()
            #expect(
                try await iot.call(.get, "/tags", query: "resourceArn=\(encoded(iot.arn(.thingGroup("g"))))").ok()[
                    "tags"]
                    as? [[String: String]] == [["Key": "k", "Value": "v"]])

            try await iot.call(
                .post, "/tags", json: ["resourceArn": iot.arn(.policy("nope")), "tags": [["Key": "k", "Value": "v"]]]
            )
            .expectError("ResourceNotFoundException", status: 404)
            try await iot.call(
                .post, "/tags",
                json: [
                    "resourceArn": "arn:aws:iot:us-east-1:123456789012:thing/t", "tags": [["Key": "k", "Value": "v"]],
                ]
            )
            .expectError("InvalidRequestException", status: 400)
            try await iot.call(
                .post, "/tags", json: ["resourceArn": ruleArn, "tags": [["Key": "aws:reserved", "Value": "v"]]]
            )
            .expectError("InvalidRequestException", status: 400)
            try await iot.call(.post, "/tags", json: ["resourceArn": ruleArn])
                .expectError("InvalidRequestException", status: 400)
            try await iot.call(.get, "/tags", query: "resourceArn=\(encoded(iot.arn(.rule("nope"))))")
                .expectError("ResourceNotFoundException", status: 404)
        }
    }
}
