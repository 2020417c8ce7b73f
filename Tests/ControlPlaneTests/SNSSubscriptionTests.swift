import AWSWire
import ControlPlane
import Foundation
import Testing

@Suite("sns: subscriptions over the query protocol")
struct SNSSubscriptionTests {
    @Test("Subscribe, ConfirmSubscription, listings, attributes, Unsubscribe")
    func lifecycle() async throws {
        try await SNSFixture.with { sns in
            let topic = sns.topicArn("iot-notification")
            try await sns.call("CreateTopic", [("Name", "iot-notification")]).snsOK("CreateTopic")
            let pending = try await sns.call(
                "Subscribe", [("TopicArn", topic), ("Protocol", "email"), ("Endpoint", "ops@example.com")]
            ).snsOK("Subscribe")
            #expect(
                pending.body.contains(
                    "<SubscribeResult><SubscriptionArn>pending confirmation</SubscriptionArn></SubscribeResult>"))
            let withArn = try await sns.call(
                "Subscribe",
                [
                    ("TopicArn", topic), ("Protocol", "https"), ("Endpoint", "https://hooks.example.com/sns"),
                    ("Attributes.entry.1.key", "RawMessageDelivery"), ("Attributes.entry.1.value", "true"),
                    ("ReturnSubscriptionArn", "true"),
                ]
            ).snsOK("Subscribe")
            let arn = try #require(withArn.xml("SubscriptionArn"))
            #expect(arn.hasPrefix(topic + ":"))

            let listed = try await sns.call("ListSubscriptionsByTopic", [("TopicArn", topic)]).snsOK(
                "ListSubscriptionsByTopic")
            #expect(listed.xmlAll("SubscriptionArn") == ["PendingConfirmation", "PendingConfirmation"])
            #expect(Set(listed.xmlAll("Endpoint")) == ["ops@example.com", "https://hooks.example.com/sns"])
            #expect(listed.xmlAll("Owner") == [SNSFixture.accountId, SNSFixture.accountId])
            #expect(listed.body.contains("<Subscriptions><member>"))

            let token = try await sns.token(for: arn)
            let confirmed = try await sns.call("ConfirmSubscription", [("TopicArn", topic), ("Token", token)])
                .snsOK("ConfirmSubscription")
            #expect(
                confirmed.body.contains(
                    "<ConfirmSubscriptionResult><SubscriptionArn>\(arn)</SubscriptionArn></ConfirmSubscriptionResult>"))
            #expect(try await sns.call("ListSubscriptions").xmlAll("SubscriptionArn").contains(arn))

            let attributes = try await sns.call("GetSubscriptionAttributes", [("SubscriptionArn", arn)])
                .snsOK("GetSubscriptionAttributes").xmlEntries
            #expect(attributes["PendingConfirmation"] == "false")
            #expect(attributes["ConfirmationWasAuthenticated"] == "true")
            #expect(attributes["RawMessageDelivery"] == "true")
            #expect(attributes["Protocol"] == "https")
            #expect(attributes["TopicArn"] == topic)
            #expect(attributes["EffectiveDeliveryPolicy"]?.hasPrefix(#"{"healthyRetryPolicy":"#) == true)

            try await sns.call(
                "SetSubscriptionAttributes",
                [("SubscriptionArn", arn), ("AttributeName", "FilterPolicy"), ("AttributeValue", #"{"room": ["7"]}"#)]
            ).snsOK("SetSubscriptionAttributes")
            let filtered = try await sns.call("GetSubscriptionAttributes", [("SubscriptionArn", arn)]).xmlEntries
            #expect(filtered["FilterPolicy"] == #"{"room": ["7"]}"#)
            #expect(filtered["FilterPolicyScope"] == "MessageAttributes")

            try await sns.call("Unsubscribe", [("SubscriptionArn", arn)]).snsOK("Unsubscribe")
            try await sns.call("Unsubscribe", [("SubscriptionArn", arn)]).snsOK("Unsubscribe")
            #expect(
                try await sns.call("GetSubscriptionAttributes", [("SubscriptionArn", arn)])
                    .snsError("NotFound", status: 404) == "Subscription does not exist")
        }
    }

    @Test("Subscribe and ConfirmSubscription errors")
    func errors() async throws {
        try await SNSFixture.with { sns in
            let topic = sns.topicArn("t")
            try await sns.call("CreateTopic", [("Name", "t")]).snsOK("CreateTopic")
            #expect(
                try await sns.call(
                    "Subscribe", [("TopicArn", topic), ("Protocol", "carrier-pigeon"), ("Endpoint", "x")]
                )
                .snsError("InvalidParameter", status: 400)
                    == "Invalid parameter: Amazon SNS does not support this protocol string: carrier-pigeon")
            #expect(
                try await sns.call("Subscribe", [("TopicArn", topic), ("Protocol", "email"), ("Endpoint", "nobody")])
                    .snsError("InvalidParameter", status: 400) == "Invalid parameter: Email address")
            #expect(
                try await sns.call(
                    "Subscribe",
                    [
                        ("TopicArn", topic), ("Protocol", "http"), ("Endpoint", "http://h/"),
                        ("Attributes.entry.1.key", "FilterPolicy"), ("Attributes.entry.1.value", "{"),
                    ]
                ).snsError("InvalidParameter", status: 400).hasPrefix(
                    "Invalid parameter: Attributes Reason: FilterPolicy: failed to parse JSON."))
            #expect(
                try await sns.call(
                    "Subscribe", [("TopicArn", sns.topicArn("none")), ("Protocol", "email"), ("Endpoint", "a@b.co")]
                )
                .snsError("NotFound", status: 404) == "Topic does not exist")
            #expect(
                try await sns.call(
                    "ConfirmSubscription", [("TopicArn", topic), ("Token", String(repeating: "0", count: 128))]
                )
                .snsError("InvalidParameter", status: 400) == "Invalid parameter: Token")
            #expect(
                try await sns.call("ConfirmSubscription", [("TopicArn", topic), ("Token", "x")])
                    .snsError("InvalidParameter", status: 400) == "Invalid token")
        }
    }
}
