import AWSWire
import ControlPlane
import Foundation
import Notifications
import Testing

@Suite("sns: publishing over the query protocol")
struct SNSPublishTests {
    @Test("Publish binds MessageAttributes (Name/Value entries, binary in base64) and answers MessageId")
    func publish() async throws {
        try await SNSFixture.with { sns in
            let topic = sns.topicArn("t")
            try await sns.call("CreateTopic", [("Name", "t")]).snsOK("CreateTopic")
            let subscription = try #require(
                try await sns.call(
                    "Subscribe",
                    [
                        ("TopicArn", topic), ("Protocol", "http"), ("Endpoint", "http://h/"),
                        ("ReturnSubscriptionArn", "true"),
                    ]
                ).xml("SubscriptionArn"))
            try await sns.call(
                "ConfirmSubscription", [("TopicArn", topic), ("Token", try await sns.token(for: subscription))]
            )
            .snsOK("ConfirmSubscription")
            let published = try await sns.call(
                "Publish",
                [
                    ("TopicArn", topic), ("Message", "hello & <world>"), ("Subject", "Greetings"),
                    ("MessageAttributes.entry.1.Name", "room"), ("MessageAttributes.entry.1.Value.DataType", "String"),
                    ("MessageAttributes.entry.1.Value.StringValue", "7"),
                    ("MessageAttributes.entry.2.Name", "raw"), ("MessageAttributes.entry.2.Value.DataType", "Binary"),
                    ("MessageAttributes.entry.2.Value.BinaryValue", "AgME"),
                ]
            ).snsOK("Publish")
            let messageId = try #require(published.xml("MessageId"))
            #expect(published.body.contains("<PublishResult><MessageId>\(messageId)</MessageId></PublishResult>"))
            let payloads = try await sns.notificationPayloads()
            #expect(payloads.count == 1)
            #expect(payloads.first?.messageId == messageId)
            #expect(payloads.first?.message == "hello & <world>")
            #expect(payloads.first?.subject == "Greetings")
            #expect(
                payloads.first?.messageAttributes == [
                    "room": .init(type: "String", value: "7"), "raw": .init(type: "Binary", value: "AgME"),
                ])

            let invalid = try await sns.call(
                "Publish",
                [
                    ("TopicArn", topic), ("Message", "m"), ("MessageAttributes.entry.1.Name", "n"),
                    ("MessageAttributes.entry.1.Value.DataType", "Number"),
                    ("MessageAttributes.entry.1.Value.StringValue", "many"),
                ])
            // InvalidParameterValueException's code on the wire.
            #expect(
                invalid.snsError("ParameterValueInvalid", status: 400)
                    == "Could not cast message attribute 'n' value to number.")
            #expect(
                try await sns.call("Publish", [("TopicArn", topic), ("Message", "")]).snsError(
                    "InvalidParameter", status: 400)
                    == "Invalid parameter: Empty message")
            #expect(
                try await sns.call("Publish", [("TopicArn", sns.topicArn("missing")), ("Message", "m")])
                    .snsError("NotFound", status: 404) == "Topic does not exist")
        }
    }

    @Test("PublishBatch answers Successful and Failed lists")
    func batch() async throws {
        try await SNSFixture.with { sns in
            let topic = sns.topicArn("t")
            try await sns.call("CreateTopic", [("Name", "t")]).snsOK("CreateTopic")
            let answer = try await sns.call(
                "PublishBatch",
                [
                    ("TopicArn", topic),
                    ("PublishBatchRequestEntries.member.1.Id", "ok"),
                    ("PublishBatchRequestEntries.member.1.Message", "m"),
                    ("PublishBatchRequestEntries.member.2.Id", "bad"),
                    ("PublishBatchRequestEntries.member.2.Message", "m"),
                    ("PublishBatchRequestEntries.member.2.Subject", "a\nb"),
                ]
            ).snsOK("PublishBatch")
            #expect(answer.body.contains("<Successful><member><Id>ok</Id><MessageId>"))
            #expect(
                answer.body.contains(
                    "<Failed><member><Id>bad</Id><Code>InvalidParameter</Code><Message>Invalid parameter: Subject</Message>"
                        + "<SenderFault>true</SenderFault></member></Failed>"))
            let duplicate = try await sns.call(
                "PublishBatch",
                [
                    ("TopicArn", topic),
                    ("PublishBatchRequestEntries.member.1.Id", "x"),
                    ("PublishBatchRequestEntries.member.1.Message", "m"),
                    ("PublishBatchRequestEntries.member.2.Id", "x"),
                    ("PublishBatchRequestEntries.member.2.Message", "m"),
                ])
            #expect(
                duplicate.snsError("BatchEntryIdsNotDistinct", status: 400)
                    == "Two or more batch entries in the request have the same Id.")
        }
    }
}
