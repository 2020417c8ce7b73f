import Foundation
import Notifications
import Testing

@Suite("SNS service: topics")
struct TopicTests {
    @Test("CreateTopic is idempotent; GetTopicAttributes shows AWS's full set", arguments: SNSTestEngine.available)
    func createAndDescribe(engine: SNSTestEngine) async throws {
        try await ServiceFixture.with(engine) { sns in
            let arn = try await sns.service.createTopic(name: "iot-notification")
            #expect(arn == "arn:aws:sns:us-east-1:123456789012:iot-notification")
            #expect(try await sns.service.createTopic(name: "iot-notification") == arn)
            let attributes = try await sns.service.getTopicAttributes(topicArn: arn)
            #expect(
                Set(attributes.keys) == [
                    "TopicArn", "Owner", "DisplayName", "Policy", "SubscriptionsConfirmed", "SubscriptionsPending",
                    "SubscriptionsDeleted", "EffectiveDeliveryPolicy",
                ])
            #expect(attributes["TopicArn"] == arn)
            #expect(attributes["Owner"] == "123456789012")
            #expect(attributes["DisplayName"] == "")
            #expect(attributes["SubscriptionsConfirmed"] == "0")
            #expect(attributes["SubscriptionsPending"] == "0")
            #expect(attributes["SubscriptionsDeleted"] == "0")
            #expect(
                attributes["Policy"]
                    == #"{"Version":"2008-10-17","Id":"__default_policy_ID","Statement":[{"Sid":"__default_statement_ID","Effect":"Allow","Principal":{"AWS":"*"},"Action":["SNS:GetTopicAttributes","SNS:SetTopicAttributes","SNS:AddPermission","SNS:RemovePermission","SNS:DeleteTopic","SNS:Subscribe","SNS:ListSubscriptionsByTopic","SNS:Publish"],"Resource":"arn:aws:sns:us-east-1:123456789012:iot-notification","Condition":{"StringEquals":{"AWS:SourceOwner":"123456789012"}}}]}"#
            )
            #expect(
                attributes["EffectiveDeliveryPolicy"]
                    == #"{"http":{"defaultHealthyRetryPolicy":{"minDelayTarget":20,"maxDelayTarget":20,"numRetries":3,"numMaxDelayRetries":0,"numNoDelayRetries":0,"numMinDelayRetries":0,"backoffFunction":"linear"},"disableSubscriptionOverrides":false,"defaultRequestPolicy":{"headerContentType":"text/plain; charset=UTF-8"}}}"#
            )
        }
    }

    @Test(
        "topic names: 1–256 of [A-Za-z0-9_-]",
        arguments: [
            ("a", true), ("Alarms_2-b", true), (String(repeating: "x", count: 256), true),
            (String(repeating: "x", count: 257), false), ("", false), ("with space", false), ("dot.name", false),
            ("caf\u{e9}", false), ("a/b", false),
        ])
    func names(name: String, valid: Bool) async throws {
        try await ServiceFixture.with { sns in
            if valid {
                let arn = try await sns.service.createTopic(name: name)
                #expect(arn == sns.arn(name))
            } else {
                await expectSNSError(.invalidParameter, "Invalid parameter: Topic Name") {
                    try await sns.service.createTopic(name: name)
                }
            }
        }
    }

    @Test("FIFO topics are refused clearly; FifoTopic=false is accepted and not kept")
    func fifo() async throws {
        try await ServiceFixture.with { sns in
            let message = "Invalid parameter: FIFO topics are not supported by Thingport"
            await expectSNSError(.invalidParameter, message) {
                try await sns.service.createTopic(name: "orders.fifo", attributes: ["FifoTopic": "true"])
            }
            await expectSNSError(.invalidParameter, message) { try await sns.service.createTopic(name: "orders.fifo") }
            await expectSNSError(.invalidParameter, message) {
                try await sns.service.createTopic(name: "orders", attributes: ["FifoTopic": "TRUE"])
            }
            let arn = try await sns.service.createTopic(name: "orders", attributes: ["FifoTopic": "false"])
            #expect(try await sns.service.getTopicAttributes(topicArn: arn)["FifoTopic"] == nil)
            await expectSNSError(.invalidParameter, "Invalid parameter: AttributeName") {
                try await sns.service.setTopicAttributes(
                    topicArn: arn, attributeName: "FifoTopic", attributeValue: "true")
            }
            await expectSNSError(
                .invalidParameter, "Invalid parameter: Attributes Reason: Unknown attribute ContentBasedDeduplication"
            ) {
                try await sns.service.createTopic(name: "dedup", attributes: ["ContentBasedDeduplication": "true"])
            }
        }
    }

    @Test("attributes are checked on create and set, and a different repeat is refused")
    func attributes() async throws {
        try await ServiceFixture.with { sns in
            let policy =
                #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"SNS:Publish","Resource":"*"}]}"#
            let arn = try await sns.service.createTopic(
                name: "alarms",
                attributes: [
                    "DisplayName": "Alarms", "Policy": policy, "SignatureVersion": "2", "TracingConfig": "Active",
                ])
            var attributes = try await sns.service.getTopicAttributes(topicArn: arn)
            #expect(attributes["DisplayName"] == "Alarms")
            #expect(attributes["Policy"] == policy)
            #expect(attributes["SignatureVersion"] == "2")
            #expect(attributes["TracingConfig"] == "Active")
            // The same attributes again, or a subset: the same topic.
            #expect(try await sns.service.createTopic(name: "alarms", attributes: ["DisplayName": "Alarms"]) == arn)
            await expectSNSError(
                .invalidParameter,
                "Invalid parameter: Attributes Reason: Topic already exists with different attributes"
            ) {
                try await sns.service.createTopic(name: "alarms", attributes: ["DisplayName": "Other"])
            }
            // A default counts as the value of an attribute never set.
            let plain = try await sns.service.createTopic(name: "plain")
            #expect(try await sns.service.createTopic(name: "plain", attributes: ["DisplayName": ""]) == plain)

            try await sns.service.setTopicAttributes(topicArn: arn, attributeName: "DisplayName", attributeValue: "New")
            try await sns.service.setTopicAttributes(topicArn: arn, attributeName: "Policy", attributeValue: "")
            attributes = try await sns.service.getTopicAttributes(topicArn: arn)
            #expect(attributes["DisplayName"] == "New")
            #expect(attributes["Policy"]?.contains("__default_policy_ID") == true)

            let cases: [(String, String, String)] = [
                ("SignatureVersion", "3", "SignatureVersion: Invalid value [3]. Must be 1 or 2."),
                ("TracingConfig", "On", "TracingConfig: Invalid value [On]. Must be PassThrough or Active."),
                ("DisplayName", String(repeating: "d", count: 101), "DisplayName: must be at most 100 characters"),
                ("Policy", "{", "Policy Error: failed to parse JSON."),
                ("Policy", #"{"Version":"2012-10-17"}"#, "Policy Error: the policy must have a Statement"),
                ("HTTPSuccessFeedbackSampleRate", "101", "HTTPSuccessFeedbackSampleRate: Invalid value [101]."),
                (
                    "DeliveryPolicy", #"{"http":{"defaultHealthyRetryPolicy":{"numRetries":101}}}"#,
                    "DeliveryPolicy: http.defaultHealthyRetryPolicy.numRetries must be at most 100"
                ),
            ]
            for (name, value, reason) in cases {
                let set = await expectSNSError(.invalidParameter) {
                    try await sns.service.setTopicAttributes(topicArn: arn, attributeName: name, attributeValue: value)
                }
                #expect(set?.message.hasPrefix("Invalid parameter: " + reason) == true, "\(set?.message ?? "")")
                let create = await expectSNSError(.invalidParameter) {
                    try await sns.service.createTopic(name: "fresh", attributes: [name: value])
                }
                #expect(
                    create?.message.hasPrefix("Invalid parameter: Attributes Reason: " + reason) == true,
                    "\(create?.message ?? "")")
            }
            await expectSNSError(.invalidParameter, "Invalid parameter: AttributeName") {
                try await sns.service.setTopicAttributes(topicArn: arn, attributeName: "Color", attributeValue: "red")
            }
            await expectSNSError(.notFound, "Topic does not exist") {
                try await sns.service.setTopicAttributes(
                    topicArn: sns.arn("missing"), attributeName: "DisplayName", attributeValue: "x")
            }
        }
    }

    @Test("a DeliveryPolicy shows in EffectiveDeliveryPolicy over AWS's defaults")
    func deliveryPolicy() async throws {
        try await ServiceFixture.with { sns in
            let arn = try await sns.service.createTopic(name: "hooks")
            let policy =
                #"{"http":{"defaultHealthyRetryPolicy":{"minDelayTarget":5,"maxDelayTarget":40,"numRetries":6,"numNoDelayRetries":2,"backoffFunction":"exponential"},"defaultThrottlePolicy":{"maxReceivesPerSecond":3},"disableSubscriptionOverrides":true}}"#
            try await sns.service.setTopicAttributes(
                topicArn: arn, attributeName: "DeliveryPolicy", attributeValue: policy)
            let attributes = try await sns.service.getTopicAttributes(topicArn: arn)
            #expect(attributes["DeliveryPolicy"] == policy)
            #expect(
                attributes["EffectiveDeliveryPolicy"]
                    == #"{"http":{"defaultHealthyRetryPolicy":{"minDelayTarget":5,"maxDelayTarget":40,"numRetries":6,"numMaxDelayRetries":0,"numNoDelayRetries":2,"numMinDelayRetries":0,"backoffFunction":"exponential"},"disableSubscriptionOverrides":true,"defaultThrottlePolicy":{"maxReceivesPerSecond":3},"defaultRequestPolicy":{"headerContentType":"text/plain; charset=UTF-8"}}}"#
            )
        }
    }

    @Test("DeleteTopic removes the topic with its subscriptions and tags, and is idempotent")
    func delete() async throws {
        try await ServiceFixture.with { sns in
            let arn = try await sns.service.createTopic(name: "doomed", tags: [.init(key: "k", value: "v")])
            let subscription = try await sns.confirmedSubscription(topic: "doomed")
            try await sns.service.deleteTopic(topicArn: arn)
            try await sns.service.deleteTopic(topicArn: arn)
            try await sns.service.deleteTopic(topicArn: sns.arn("never-existed"))
            await expectSNSError(.notFound, "Topic does not exist") {
                _ = try await sns.service.getTopicAttributes(topicArn: arn)
            }
            await expectSNSError(.notFound, "Subscription does not exist") {
                _ = try await sns.service.getSubscriptionAttributes(subscriptionArn: subscription)
            }
            #expect(try await sns.service.listSubscriptions().items.isEmpty)
            // A new topic of the same name starts without the old tags.
            let again = try await sns.service.createTopic(name: "doomed")
            #expect(try await sns.service.listTagsForResource(resourceArn: again).isEmpty)
        }
    }

    @Test("ListTopics pages 100 at a time in name order", arguments: SNSTestEngine.available)
    func listing(engine: SNSTestEngine) async throws {
        try await ServiceFixture.with(engine) { sns in
            let names = (0..<205).map { String(format: "topic-%03d", $0) }
            for name in names.shuffled() { try await sns.service.createTopic(name: name) }
            var seen: [String] = []
            var token: String?
            var pages = 0
            repeat {
                let page = try await sns.service.listTopics(nextToken: token)
                #expect(page.items.count <= 100)
                seen += page.items
                token = page.nextToken
                pages += 1
            } while token != nil && pages < 10
            #expect(pages == 3)
            #expect(seen == names.map(sns.arn))
            await expectSNSError(.invalidParameter, "Invalid parameter: NextToken") {
                _ = try await sns.service.listTopics(nextToken: "not-a-token")
            }
        }
    }

    @Test(
        "topic ARNs are checked as SNS checks them",
        arguments: [
            (
                "", NotificationError.Code.invalidParameter,
                "Invalid parameter: TopicArn Reason: An ARN must have at least 6 elements, not 1"
            ),
            (
                "arn:aws:sns", .invalidParameter,
                "Invalid parameter: TopicArn Reason: An ARN must have at least 6 elements, not 3"
            ),
            ("arn:aws:sns:eu-west-1:123456789012:t", .invalidParameter, "Invalid parameter: TopicArn"),
            ("arn:aws:sqs:us-east-1:123456789012:t", .invalidParameter, "Invalid parameter: TopicArn"),
            ("arn:aws:sns:us-east-1:123456789012:t:extra", .invalidParameter, "Invalid parameter: TopicArn"),
            (
                "arn:aws:sns:us-east-1:999999999999:t", .authorizationError,
                "User: arn:aws:iam::123456789012:root is not authorized to perform: SNS:GetTopicAttributes on resource: "
                    + "arn:aws:sns:us-east-1:999999999999:t because no resource-based policy allows the "
                    + "SNS:GetTopicAttributes action"
            ),
        ])
    func arns(arn: String, code: NotificationError.Code, message: String) async throws {
        try await ServiceFixture.with { sns in
            await expectSNSError(code, message) { _ = try await sns.service.getTopicAttributes(topicArn: arn) }
        }
    }

    @Test("data protection policies are refused")
    func dataProtection() async throws {
        try await ServiceFixture.with { sns in
            await expectSNSError(.invalidParameter) {
                try await sns.service.createTopic(name: "t", dataProtectionPolicy: "{}")
            }
        }
    }
}
