import AWSWire
import ControlPlane
import Foundation
import Testing

@Suite("sns: topics over the query protocol")
struct SNSTopicTests {
    @Test("CreateTopic, GetTopicAttributes (entry/key/value), SetTopicAttributes, ListTopics, DeleteTopic")
    func lifecycle() async throws {
        try await SNSFixture.with { sns in
            let created = try await sns.call(
                "CreateTopic",
                [
                    ("Name", "iot-notification"), ("Attributes.entry.1.key", "DisplayName"),
                    ("Attributes.entry.1.value", "IoT & <alerts>"), ("Tags.member.1.Key", "team"),
                    ("Tags.member.1.Value", "ops"),
                ]
            ).snsOK("CreateTopic")
            let arn = sns.topicArn("iot-notification")
            #expect(
                created.body.hasPrefix(
                    #"<CreateTopicResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><CreateTopicResult><TopicArn>\#(arn)</TopicArn></CreateTopicResult><ResponseMetadata><RequestId>"#
                ))
            let described = try await sns.call("GetTopicAttributes", [("TopicArn", arn)]).snsOK("GetTopicAttributes")
            #expect(
                described.body.contains(
                    "<GetTopicAttributesResult><Attributes><entry><key>DisplayName</key><value>IoT &amp; &lt;alerts&gt;</value></entry>"
                ))
            let attributes = described.xmlEntries
            #expect(attributes["DisplayName"] == "IoT & <alerts>")
            #expect(attributes["TopicArn"] == arn)
            #expect(attributes["Owner"] == SNSFixture.accountId)
            #expect(attributes["SubscriptionsPending"] == "0")
            #expect(attributes["Policy"]?.hasPrefix(#"{"Version":"2008-10-17","Id":"__default_policy_ID""#) == true)
            #expect(attributes["EffectiveDeliveryPolicy"]?.hasPrefix(#"{"http":{"defaultHealthyRetryPolicy":"#) == true)

            try await sns.call(
                "SetTopicAttributes",
                [("TopicArn", arn), ("AttributeName", "DisplayName"), ("AttributeValue", "Renamed")]
            ).snsOK("SetTopicAttributes")
            let renamed = try await sns.call("GetTopicAttributes", [("TopicArn", arn)]).xmlEntries
            #expect(renamed["DisplayName"] == "Renamed")

            let tags = try await sns.call("ListTagsForResource", [("ResourceArn", arn)]).snsOK("ListTagsForResource")
            #expect(tags.body.contains("<Tags><member><Key>team</Key><Value>ops</Value></member></Tags>"))

            let listed = try await sns.call("ListTopics").snsOK("ListTopics")
            #expect(
                listed.body.contains(
                    "<ListTopicsResult><Topics><member><TopicArn>\(arn)</TopicArn></member></Topics></ListTopicsResult>"
                ))

            let deleted = try await sns.call("DeleteTopic", [("TopicArn", arn)]).snsOK("DeleteTopic")
            #expect(
                deleted.body.contains(
                    "<DeleteTopicResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\"><ResponseMetadata>"))
            try await sns.call("DeleteTopic", [("TopicArn", arn)]).snsOK("DeleteTopic")
            let missing = try await sns.call("GetTopicAttributes", [("TopicArn", arn)])
            #expect(missing.snsError("NotFound", status: 404) == "Topic does not exist")
        }
    }

    @Test("ListTopics pages with NextToken")
    func paging() async throws {
        try await SNSFixture.with { sns in
            for index in 0..<101 {
                try await sns.call("CreateTopic", [("Name", String(format: "t%03d", index))]).snsOK("CreateTopic")
            }
            let first = try await sns.call("ListTopics")
            #expect(first.xmlAll("TopicArn").count == 100)
            let token = try #require(first.xml("NextToken"))
            let second = try await sns.call("ListTopics", [("NextToken", token)])
            #expect(second.xmlAll("TopicArn") == [sns.topicArn("t100")])
            #expect(second.xml("NextToken") == nil)
        }
    }

    @Test("errors answer AWS's codes, statuses and messages in query XML")
    func errors() async throws {
        try await SNSFixture.with { sns in
            #expect(
                try await sns.call("CreateTopic", [("Name", "bad name")]).snsError("InvalidParameter", status: 400)
                    == "Invalid parameter: Topic Name")
            #expect(
                try await sns.call(
                    "CreateTopic",
                    [
                        ("Name", "orders.fifo"), ("Attributes.entry.1.key", "FifoTopic"),
                        ("Attributes.entry.1.value", "true"),
                    ]
                )
                .snsError("InvalidParameter", status: 400)
                    == "Invalid parameter: FIFO topics are not supported by Thingport")
            #expect(
                try await sns.call("GetTopicAttributes", [("TopicArn", "arn:aws:sns:us-east-1:999999999999:t")])
                    .snsError("AuthorizationError", status: 403).hasPrefix(
                        "User: arn:aws:iam::123456789012:root is not authorized"))
            #expect(
                try await sns.call("GetTopicAttributes", [("TopicArn", "t")]).snsError("InvalidParameter", status: 400)
                    == "Invalid parameter: TopicArn Reason: An ARN must have at least 6 elements, not 1")
            // Model validation: a required member.
            #expect(
                try await sns.call("GetTopicAttributes").snsError("InvalidParameter", status: 400)
                    == "1 validation error detected: Value null at 'topicArn' failed to satisfy constraint: "
                    + "Member must not be null")
            let arn = sns.topicArn("t")
            try await sns.call("CreateTopic", [("Name", "t")]).snsOK("CreateTopic")
            #expect(
                try await sns.call(
                    "SetTopicAttributes", [("TopicArn", arn), ("AttributeName", "Nope"), ("AttributeValue", "x")]
                )
                .snsError("InvalidParameter", status: 400) == "Invalid parameter: AttributeName")
            let tags = (0..<51).flatMap {
                [("Tags.member.\($0 + 1).Key", "k\($0)"), ("Tags.member.\($0 + 1).Value", "v")]
            }
            #expect(
                try await sns.call("TagResource", [("ResourceArn", arn)] + tags).snsError(
                    "TagLimitExceeded", status: 400)
                    == "Could not complete request: tag quota of per resource exceeded")
            #expect(
                try await sns.call("ListTagsForResource", [("ResourceArn", sns.topicArn("missing"))])
                    .snsError("ResourceNotFound", status: 404) == "Resource does not exist")
            try await sns.call(
                "TagResource", [("ResourceArn", arn), ("Tags.member.1.Key", "a"), ("Tags.member.1.Value", "1")]
            )
            .snsOK("TagResource")
            try await sns.call("UntagResource", [("ResourceArn", arn), ("TagKeys.member.1", "a")]).snsOK(
                "UntagResource")
            #expect(try await sns.call("ListTagsForResource", [("ResourceArn", arn)]).body.contains("<Tags></Tags>"))
        }
    }
}
