import Foundation
import Notifications
import Testing

@Suite("SNS service: subscriptions and confirmation")
struct SubscriptionTests {
    @Test(
        "Subscribe writes a confirmation with a token valid 3 days and wakes the pipeline",
        arguments: [
            ("email", "ops@example.com"), ("email-json", "dev@example.org"), ("http", "http://h:8080/sns"),
            ("https", "https://hooks.example.com/in?x=1"),
        ])
    func subscribe(protocol: String, endpoint: String) async throws {
        try await ServiceFixture.with { sns in
            let topic = try await sns.service.createTopic(name: "iot-notification")
            let answer = try await sns.service.subscribe(topicArn: topic, protocol: `protocol`, endpoint: endpoint)
            #expect(answer == "pending confirmation")
            #expect(sns.notifier.count == 1)
            let deliveries = try await sns.deliveries()
            #expect(deliveries.count == 1)
            let delivery = try #require(deliveries.first)
            #expect(delivery.kind == .confirmation)
            #expect(delivery.attempts == 0)
            let now = Int64((sns.clock.now.timeIntervalSince1970 * 1000).rounded(.down))
            #expect(delivery.nextAttempt == now && delivery.created == now)
            let payload = delivery.payload
            #expect(payload.topicArn == topic)
            #expect(payload.protocol == `protocol` && payload.endpoint == endpoint)
            #expect(payload.subscriptionArn.hasPrefix(topic + ":"))
            #expect(
                payload.message
                    == "You have chosen to subscribe to the topic \(topic).\nTo confirm the subscription, visit the SubscribeURL included in this message."
            )
            #expect(payload.timestamp == "2025-11-27T03:40:00.125Z")
            #expect(payload.rawMessageDelivery == false)
            let token = try #require(payload.token)
            #expect(token.count == 128 && token.allSatisfy(\.isHexDigit))
            #expect(UUID(uuidString: payload.messageId) != nil && payload.messageId == payload.messageId.lowercased())
            let id = String(payload.subscriptionArn.dropFirst(topic.count + 1))
            #expect(UUID(uuidString: id) != nil && id == id.lowercased())
            let stored = try await sns.store.read { try await $0.subscription(id: id) }
            #expect(stored?.tokenExpires == now + 3 * 24 * 3600 * 1000)
            #expect(stored?.isConfirmed == false)

            let attributes = try await sns.service.getSubscriptionAttributes(subscriptionArn: payload.subscriptionArn)
            #expect(attributes["PendingConfirmation"] == "true")
            #expect(attributes["ConfirmationWasAuthenticated"] == "false")
            #expect(try await sns.service.getTopicAttributes(topicArn: topic)["SubscriptionsPending"] == "1")
        }
    }

    @Test("ReturnSubscriptionArn answers the ARN at once; re-subscribing answers the same subscription")
    func resubscribe() async throws {
        try await ServiceFixture.with { sns in
            let topic = try await sns.service.createTopic(name: "t")
            let arn = try await sns.service.subscribe(
                topicArn: topic, protocol: "email", endpoint: "a@example.com", returnSubscriptionArn: true)
            #expect(arn.hasPrefix(topic + ":"))
            let token = try await sns.token(for: arn)
            sns.clock.advance(seconds: 2 * 24 * 3600)
            #expect(
                try await sns.service.subscribe(
                    topicArn: topic, protocol: "email", endpoint: "a@example.com", returnSubscriptionArn: true) == arn)
            // Pending: the confirmation goes out again, with the same token, valid 3 days from now.
            let confirmations = try await sns.deliveries().filter { $0.kind == .confirmation }
            #expect(confirmations.count == 2)
            #expect(confirmations.map(\.payload.token) == [token, token])
            sns.clock.advance(seconds: 2 * 24 * 3600)
            #expect(try await sns.service.confirmSubscription(topicArn: topic, token: token) == arn)
            // Confirmed: the ARN, and no new confirmation.
            #expect(
                try await sns.service.subscribe(topicArn: topic, protocol: "email", endpoint: "a@example.com") == arn)
            #expect(try await sns.deliveries().count == 2)
            // The same address over another protocol is another subscription.
            let json = try await sns.service.subscribe(
                topicArn: topic, protocol: "email-json", endpoint: "a@example.com", returnSubscriptionArn: true)
            #expect(json != arn)
            await expectSNSError(
                .invalidParameter,
                "Invalid parameter: Attributes Reason: Subscription already exists with different attributes"
            ) {
                _ = try await sns.service.subscribe(
                    topicArn: topic, protocol: "email", endpoint: "a@example.com",
                    attributes: ["FilterPolicy": #"{"a": ["b"]}"#])
            }
        }
    }

    @Test(
        "protocols and endpoints are checked",
        arguments: [
            (
                "sms", "+15555550100",
                "Invalid parameter: Thingport does not support the sms protocol (supported: email, email-json, http, https)"
            ),
            (
                "sqs", "arn:aws:sqs:us-east-1:123456789012:q",
                "Invalid parameter: Thingport does not support the sqs protocol (supported: email, email-json, http, https)"
            ),
            ("ftp", "ftp://h/", "Invalid parameter: Amazon SNS does not support this protocol string: ftp"),
            ("HTTP", "http://h/", "Invalid parameter: Amazon SNS does not support this protocol string: HTTP"),
            ("email", "not-an-address", "Invalid parameter: Email address"),
            ("email", "a b@example.com", "Invalid parameter: Email address"),
            ("email-json", "x@", "Invalid parameter: Email address"),
            ("email", "", "Invalid parameter: Endpoint"),
            ("http", "https://h/", "Invalid parameter: Endpoint must match the specified protocol"),
            ("https", "http://h/", "Invalid parameter: Endpoint must match the specified protocol"),
            ("http", "http:///nohost", "Invalid parameter: Endpoint Reason: http:///nohost is not a valid URL"),
            ("https", "https://h/a b", "Invalid parameter: Endpoint Reason: https://h/a b is not a valid URL"),
        ])
    func invalid(protocol: String, endpoint: String, message: String) async throws {
        try await ServiceFixture.with { sns in
            let topic = try await sns.service.createTopic(name: "t")
            await expectSNSError(.invalidParameter, message) {
                _ = try await sns.service.subscribe(topicArn: topic, protocol: `protocol`, endpoint: endpoint)
            }
            #expect(try await sns.deliveries().isEmpty)
            #expect(sns.notifier.count == 0)
        }
    }

    @Test("Subscribe checks its attributes with AWS's wording")
    func subscribeAttributes() async throws {
        try await ServiceFixture.with { sns in
            let topic = try await sns.service.createTopic(name: "t")
            let cases: [(String, [String: String], String)] = [
                (
                    "email", ["RawMessageDelivery": "true"],
                    "Invalid parameter: Attributes Reason: Delivery protocol [email] does not support raw message delivery."
                ),
                (
                    "https", ["RawMessageDelivery": "yes"],
                    "Invalid parameter: Attributes Reason: RawMessageDelivery: Invalid value [yes]. Must be true or false."
                ),
                ("https", ["Color": "red"], "Invalid parameter: Attributes Reason: AttributeName"),
                (
                    "https", ["FilterPolicyScope": "Body"],
                    "Invalid parameter: Attributes Reason: FilterPolicyScope: Invalid value [Body]. Please use either MessageBody or MessageAttributes"
                ),
                (
                    "https", ["FilterPolicy": #"{"a": {"b": ["c"]}}"#],
                    "Invalid parameter: Attributes Reason: Filter policy scope MessageAttributes does not support nested filter policy"
                ),
                (
                    "email", ["DeliveryPolicy": #"{"healthyRetryPolicy":{"numRetries":2}}"#],
                    "Invalid parameter: Attributes Reason: DeliveryPolicy: Delivery protocol [email] does not support delivery policies."
                ),
            ]
            for (index, (proto, attributes, message)) in cases.enumerated() {
                let endpoint = proto == "email" ? "x\(index)@example.com" : "https://h/\(index)"
                await expectSNSError(.invalidParameter, message) {
                    _ = try await sns.service.subscribe(
                        topicArn: topic, protocol: proto, endpoint: endpoint, attributes: attributes)
                }
            }
            // Nested keys are fine with the body scope given in the same request.
            let arn = try await sns.service.subscribe(
                topicArn: topic, protocol: "https", endpoint: "https://h/body",
                attributes: [
                    "FilterPolicy": #"{"a": {"b": ["c"]}}"#, "FilterPolicyScope": "MessageBody",
                    "RawMessageDelivery": "True",
                ],
                returnSubscriptionArn: true)
            let attributes = try await sns.service.getSubscriptionAttributes(subscriptionArn: arn)
            #expect(attributes["FilterPolicyScope"] == "MessageBody")
            #expect(attributes["RawMessageDelivery"] == "true")
            #expect(attributes["FilterPolicy"] == #"{"a": {"b": ["c"]}}"#)
            await expectSNSError(.notFound, "Topic does not exist") {
                _ = try await sns.service.subscribe(topicArn: sns.arn("missing"), protocol: "email", endpoint: "a@b.c")
            }
        }
    }

    @Test("ConfirmSubscription: token, expiry, authentication", arguments: SNSTestEngine.available)
    func confirm(engine: SNSTestEngine) async throws {
        try await ServiceFixture.with(engine) { sns in
            let topic = try await sns.service.createTopic(name: "t")
            let other = try await sns.service.createTopic(name: "other")
            let arn = try await sns.service.subscribe(
                topicArn: topic, protocol: "https", endpoint: "https://h/", returnSubscriptionArn: true)
            let token = try await sns.token(for: arn)
            await expectSNSError(.invalidParameter, "Invalid parameter: Token") {
                _ = try await sns.service.confirmSubscription(topicArn: other, token: token)
            }
            await expectSNSError(.invalidParameter, "Invalid parameter: Token") {
                _ = try await sns.service.confirmSubscription(topicArn: sns.arn("missing"), token: token)
            }
            await expectSNSError(.invalidParameter, "Invalid parameter: Token") {
                _ = try await sns.service.confirmSubscription(
                    topicArn: topic, token: String(repeating: "a", count: 128))
            }
            await expectSNSError(.invalidParameter, "Invalid token") {
                _ = try await sns.service.confirmSubscription(topicArn: topic, token: "not-a-token")
            }
            await expectSNSError(.invalidParameter, "Invalid parameter: Topic") {
                _ = try await sns.service.confirmSubscription(topicArn: "nonsense", token: token)
            }
            #expect(
                try await sns.service.confirmSubscription(
                    topicArn: topic, token: token, authenticateOnUnsubscribe: true, authenticated: false) == arn)
            let attributes = try await sns.service.getSubscriptionAttributes(subscriptionArn: arn)
            #expect(attributes["PendingConfirmation"] == "false")
            #expect(attributes["ConfirmationWasAuthenticated"] == "false")
            #expect(attributes["AuthenticateOnUnsubscribe"] == nil)
            let stored = try await sns.store.read {
                try await $0.subscription(id: String(arn.split(separator: ":").last!))
            }
            #expect(stored?.token == token && stored?.isConfirmed == true)
            #expect(try await sns.service.getTopicAttributes(topicArn: topic)["SubscriptionsConfirmed"] == "1")
            // The token stays the subscription's own: another topic still does not know it.
            await expectSNSError(.invalidParameter, "Invalid parameter: Token") {
                _ = try await sns.service.confirmSubscription(topicArn: other, token: token)
            }
            // An unsigned confirmation could not ask for authenticated unsubscribes.
            try await sns.service.unsubscribe(subscriptionArn: arn, authenticated: false)
            #expect(try await sns.service.listSubscriptions().items.isEmpty)
        }
    }

    @Test(
        "confirming again (a link opened twice) answers the same ARN and changes nothing",
        arguments: SNSTestEngine.available)
    func reconfirm(engine: SNSTestEngine) async throws {
        try await ServiceFixture.with(engine) { sns in
            let topic = try await sns.service.createTopic(name: "t")
            let arn = try await sns.service.subscribe(
                topicArn: topic, protocol: "email", endpoint: "a@example.com", returnSubscriptionArn: true)
            let token = try await sns.token(for: arn)
            #expect(
                try await sns.service.confirmSubscription(
                    topicArn: topic, token: token, authenticateOnUnsubscribe: true) == arn)
            let before = try await sns.service.getSubscriptionAttributes(subscriptionArn: arn)
            sns.clock.advance(seconds: 3600)
            // Unsigned, from the link: the same ARN; the signed confirmation's settings stay.
            #expect(
                try await sns.service.confirmSubscription(topicArn: topic, token: token, authenticated: false) == arn)
            #expect(try await sns.service.confirmSubscription(topicArn: topic, token: token) == arn)
            #expect(try await sns.service.getSubscriptionAttributes(subscriptionArn: arn) == before)
            #expect(before["ConfirmationWasAuthenticated"] == "true")
            await expectSNSError(.authorizationError) {
                try await sns.service.unsubscribe(subscriptionArn: arn, authenticated: false)
            }
            // Subscribing the confirmed endpoint again sends no new confirmation.
            let confirmations = try await sns.deliveries().filter { $0.kind == .confirmation }.count
            #expect(
                try await sns.service.subscribe(topicArn: topic, protocol: "email", endpoint: "a@example.com") == arn)
            #expect(try await sns.deliveries().filter { $0.kind == .confirmation }.count == confirmations)
            #expect(try await sns.service.getTopicAttributes(topicArn: topic)["SubscriptionsConfirmed"] == "1")
            // Other tokens are still refused, and the token expires as before.
            await expectSNSError(.invalidParameter, "Invalid parameter: Token") {
                _ = try await sns.service.confirmSubscription(
                    topicArn: topic, token: String(repeating: "b", count: 128))
            }
            sns.clock.advance(seconds: 3 * 24 * 3600)
            await expectSNSError(.invalidParameter, "Invalid parameter: Token Reason: Token expired") {
                _ = try await sns.service.confirmSubscription(topicArn: topic, token: token)
            }
            #expect(
                try await sns.service.getSubscriptionAttributes(subscriptionArn: arn)["PendingConfirmation"] == "false")
        }
    }

    @Test("a token expires 3 days after Subscribe")
    func expiry() async throws {
        try await ServiceFixture.with { sns in
            let topic = try await sns.service.createTopic(name: "t")
            let arn = try await sns.service.subscribe(
                topicArn: topic, protocol: "email", endpoint: "a@example.com", returnSubscriptionArn: true)
            let token = try await sns.token(for: arn)
            sns.clock.advance(seconds: 3 * 24 * 3600 + 0.001)
            await expectSNSError(.invalidParameter, "Invalid parameter: Token Reason: Token expired") {
                _ = try await sns.service.confirmSubscription(topicArn: topic, token: token)
            }
            #expect(
                try await sns.service.getSubscriptionAttributes(subscriptionArn: arn)["PendingConfirmation"] == "true")
        }
    }

    @Test("AuthenticateOnUnsubscribe on a signed confirmation refuses unsigned unsubscribes")
    func authenticatedUnsubscribe() async throws {
        try await ServiceFixture.with { sns in
            let topic = try await sns.service.createTopic(name: "t")
            let arn = try await sns.service.subscribe(
                topicArn: topic, protocol: "email", endpoint: "a@example.com", returnSubscriptionArn: true)
            _ = try await sns.service.confirmSubscription(
                topicArn: topic, token: try await sns.token(for: arn), authenticateOnUnsubscribe: true)
            #expect(
                try await sns.service.getSubscriptionAttributes(subscriptionArn: arn)["ConfirmationWasAuthenticated"]
                    == "true")
            await expectSNSError(.authorizationError) {
                try await sns.service.unsubscribe(subscriptionArn: arn, authenticated: false)
            }
            try await sns.service.unsubscribe(subscriptionArn: arn)
            await expectSNSError(.notFound, "Subscription does not exist") {
                _ = try await sns.service.getSubscriptionAttributes(subscriptionArn: arn)
            }
        }
    }

    @Test("Unsubscribe is idempotent and checks the ARN")
    func unsubscribe() async throws {
        try await ServiceFixture.with { sns in
            let topic = try await sns.service.createTopic(name: "t")
            try await sns.service.unsubscribe(subscriptionArn: topic + ":0b1c6a2e-0000-4000-8000-000000000000")
            await expectSNSError(.invalidParameter, "Invalid parameter: SubscriptionId") {
                try await sns.service.unsubscribe(subscriptionArn: topic)
            }
            await expectSNSError(
                .invalidParameter,
                "Invalid parameter: SubscriptionArn Reason: An ARN must have at least 6 elements, not 1"
            ) {
                try await sns.service.unsubscribe(subscriptionArn: "PendingConfirmation")
            }
            // The id must belong to the topic the ARN names.
            let arn = try await sns.confirmedSubscription(topic: "t")
            let id = arn.split(separator: ":").last!
            let other = try await sns.service.createTopic(name: "other")
            try await sns.service.unsubscribe(subscriptionArn: "\(other):\(id)")
            #expect(try await sns.service.listSubscriptions().items.count == 1)
        }
    }

    @Test(
        "listings show PendingConfirmation until confirmed and page 100 at a time", arguments: SNSTestEngine.available)
    func listings(engine: SNSTestEngine) async throws {
        try await ServiceFixture.with(engine) { sns in
            let topic = try await sns.service.createTopic(name: "t")
            let other = try await sns.service.createTopic(name: "other")
            for index in 0..<150 {
                _ = try await sns.service.subscribe(
                    topicArn: topic, protocol: "email", endpoint: "u\(index)@example.com")
            }
            let confirmed = try await sns.confirmedSubscription(topic: "other", endpoint: "https://h/confirmed")
            let first = try await sns.service.listSubscriptionsByTopic(topicArn: topic)
            #expect(first.items.count == 100)
            #expect(
                first.items.allSatisfy { $0.listedSubscriptionArn == "PendingConfirmation" && $0.topicArn == topic })
            #expect(first.items.allSatisfy { $0.owner == "123456789012" && $0.protocol == "email" })
            let second = try await sns.service.listSubscriptionsByTopic(topicArn: topic, nextToken: first.nextToken)
            #expect(second.items.count == 50 && second.nextToken == nil)
            #expect(Set((first.items + second.items).map(\.endpoint)).count == 150)
            let byOther = try await sns.service.listSubscriptionsByTopic(topicArn: other)
            #expect(byOther.items.map(\.listedSubscriptionArn) == [confirmed])
            var all: [NotificationService.Subscription] = []
            var token: String?
            repeat {
                let page = try await sns.service.listSubscriptions(nextToken: token)
                all += page.items
                token = page.nextToken
            } while token != nil
            #expect(all.count == 151)
            #expect(all.filter(\.isConfirmed).map(\.subscriptionArn) == [confirmed])
            await expectSNSError(.notFound, "Topic does not exist") {
                _ = try await sns.service.listSubscriptionsByTopic(topicArn: sns.arn("missing"))
            }
        }
    }

    @Test("Get/SetSubscriptionAttributes")
    func subscriptionAttributes() async throws {
        try await ServiceFixture.with { sns in
            let topic = try await sns.service.createTopic(name: "t")
            let http = try await sns.confirmedSubscription(topic: "t", protocol: "http", endpoint: "http://h/x")
            var attributes = try await sns.service.getSubscriptionAttributes(subscriptionArn: http)
            #expect(
                attributes == [
                    "SubscriptionArn": http, "TopicArn": topic, "Owner": "123456789012", "Protocol": "http",
                    "Endpoint": "http://h/x", "PendingConfirmation": "false", "ConfirmationWasAuthenticated": "true",
                    "RawMessageDelivery": "false", "SubscriptionPrincipal": "arn:aws:iam::123456789012:root",
                    "EffectiveDeliveryPolicy":
                        #"{"healthyRetryPolicy":{"minDelayTarget":20,"maxDelayTarget":20,"numRetries":3,"numMaxDelayRetries":0,"numNoDelayRetries":0,"numMinDelayRetries":0,"backoffFunction":"linear"},"sicklyRetryPolicy":null,"throttlePolicy":null,"requestPolicy":{"headerContentType":"text/plain; charset=UTF-8"},"guaranteed":false}"#,
                ])
            try await sns.service.setSubscriptionAttributes(
                subscriptionArn: http, attributeName: "RawMessageDelivery", attributeValue: "TRUE")
            try await sns.service.setSubscriptionAttributes(
                subscriptionArn: http, attributeName: "FilterPolicy", attributeValue: #"{"store": ["example_corp"]}"#)
            try await sns.service.setSubscriptionAttributes(
                subscriptionArn: http, attributeName: "DeliveryPolicy",
                attributeValue:
                    #"{"healthyRetryPolicy":{"numRetries":5,"maxDelayTarget":30},"throttlePolicy":{"maxReceivesPerSecond":2}}"#
            )
            attributes = try await sns.service.getSubscriptionAttributes(subscriptionArn: http)
            #expect(attributes["RawMessageDelivery"] == "true")
            #expect(attributes["FilterPolicy"] == #"{"store": ["example_corp"]}"#)
            #expect(attributes["FilterPolicyScope"] == "MessageAttributes")
            #expect(
                attributes["EffectiveDeliveryPolicy"]
                    == #"{"healthyRetryPolicy":{"minDelayTarget":20,"maxDelayTarget":30,"numRetries":5,"numMaxDelayRetries":0,"numNoDelayRetries":0,"numMinDelayRetries":0,"backoffFunction":"linear"},"sicklyRetryPolicy":null,"throttlePolicy":{"maxReceivesPerSecond":2},"requestPolicy":{"headerContentType":"text/plain; charset=UTF-8"},"guaranteed":false}"#
            )
            // A nested policy needs the body scope first; the scope is checked against the policy.
            await expectSNSError(
                .invalidParameter,
                "Invalid parameter: Filter policy scope MessageAttributes does not support nested filter policy"
            ) {
                try await sns.service.setSubscriptionAttributes(
                    subscriptionArn: http, attributeName: "FilterPolicy", attributeValue: #"{"a": {"b": ["c"]}}"#)
            }
            try await sns.service.setSubscriptionAttributes(
                subscriptionArn: http, attributeName: "FilterPolicyScope", attributeValue: "MessageBody")
            try await sns.service.setSubscriptionAttributes(
                subscriptionArn: http, attributeName: "FilterPolicy", attributeValue: #"{"a": {"b": ["c"]}}"#)
            await expectSNSError(
                .invalidParameter,
                "Invalid parameter: Filter policy scope MessageAttributes does not support nested filter policy"
            ) {
                try await sns.service.setSubscriptionAttributes(
                    subscriptionArn: http, attributeName: "FilterPolicyScope", attributeValue: "MessageAttributes")
            }
            let invalidJSON = await expectSNSError(.invalidParameter) {
                try await sns.service.setSubscriptionAttributes(
                    subscriptionArn: http, attributeName: "FilterPolicy", attributeValue: "{nope")
            }
            #expect(invalidJSON?.message.hasPrefix("Invalid parameter: FilterPolicy: failed to parse JSON.") == true)
            // An empty policy removes it, and its scope with it from the attributes shown.
            try await sns.service.setSubscriptionAttributes(
                subscriptionArn: http, attributeName: "FilterPolicy", attributeValue: "")
            attributes = try await sns.service.getSubscriptionAttributes(subscriptionArn: http)
            #expect(attributes["FilterPolicy"] == nil && attributes["FilterPolicyScope"] == nil)

            let email = try await sns.confirmedSubscription(topic: "t", protocol: "email", endpoint: "a@example.com")
            #expect(
                try await sns.service.getSubscriptionAttributes(subscriptionArn: email)["EffectiveDeliveryPolicy"]
                    == nil)
            await expectSNSError(
                .invalidParameter, "Invalid parameter: Delivery protocol [email] does not support raw message delivery."
            ) {
                try await sns.service.setSubscriptionAttributes(
                    subscriptionArn: email, attributeName: "RawMessageDelivery", attributeValue: "true")
            }
            try await sns.service.setSubscriptionAttributes(
                subscriptionArn: email, attributeName: "RawMessageDelivery", attributeValue: "false")
            await expectSNSError(
                .invalidParameter, "Invalid parameter: RawMessageDelivery: Invalid value []. Must be true or false."
            ) {
                try await sns.service.setSubscriptionAttributes(
                    subscriptionArn: email, attributeName: "RawMessageDelivery", attributeValue: nil)
            }
            await expectSNSError(.invalidParameter, "Invalid parameter: AttributeName") {
                try await sns.service.setSubscriptionAttributes(
                    subscriptionArn: email, attributeName: "Endpoint", attributeValue: "b@example.com")
            }
            await expectSNSError(.notFound, "Subscription does not exist") {
                try await sns.service.setSubscriptionAttributes(
                    subscriptionArn: topic + ":00000000-0000-4000-8000-000000000000",
                    attributeName: "RawMessageDelivery",
                    attributeValue: "false")
            }
        }
    }
}

extension Character {
    fileprivate var isHexDigit: Bool { ("0"..."9").contains(self) || ("a"..."f").contains(self) }
}
