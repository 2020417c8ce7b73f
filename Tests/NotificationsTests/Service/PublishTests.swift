import Foundation
import Notifications
import Testing

@Suite("SNS service: publishing")
struct PublishTests {
    typealias Attribute = NotificationService.MessageAttributeValue

    @Test(
        "Publish writes one delivery per confirmed subscription, in one transaction, then wakes the pipeline",
        arguments: SNSTestEngine.available)
    func fanOut(engine: SNSTestEngine) async throws {
        try await ServiceFixture.with(engine) { sns in
            let topic = try await sns.service.createTopic(name: "iot-notification")
            let email = try await sns.confirmedSubscription(
                topic: "iot-notification", protocol: "email", endpoint: "ops@example.com")
            let raw = try await sns.confirmedSubscription(
                topic: "iot-notification", protocol: "https", endpoint: "https://h/raw",
                attributes: ["RawMessageDelivery": "true"])
            _ = try await sns.service.subscribe(topicArn: topic, protocol: "http", endpoint: "http://h/pending")
            let wakesBefore = sns.notifier.count
            let before = try await sns.deliveries().count
            sns.clock.advance(seconds: 1)
            let messageId = try await sns.service.publish(
                .init(
                    topicArn: topic, message: #"{"temperature": 41}"#, subject: "Hot",
                    messageAttributes: ["room": .string("7"), "blob": .binary([2, 3, 4]), "n": .number("1.5")]))
            #expect(UUID(uuidString: messageId) != nil && messageId == messageId.lowercased())
            #expect(sns.notifier.count == wakesBefore + 1)
            let written = try await sns.deliveries().dropFirst(before)
            #expect(written.count == 2)
            let payloads = try await sns.notifications()
            #expect(Set(payloads.map(\.subscriptionArn)) == [email, raw])
            for payload in payloads {
                #expect(payload.messageId == messageId)
                #expect(payload.topicArn == topic)
                #expect(payload.subject == "Hot")
                #expect(payload.message == #"{"temperature": 41}"#)
                #expect(payload.timestamp == "2025-11-27T03:40:01.125Z")
                #expect(payload.token == nil)
                #expect(
                    payload.messageAttributes == [
                        "room": .init(type: "String", value: "7"), "blob": .init(type: "Binary", value: "AgME"),
                        "n": .init(type: "Number", value: "1.5"),
                    ])
            }
            #expect(payloads.first { $0.subscriptionArn == raw }?.rawMessageDelivery == true)
            #expect(payloads.first { $0.subscriptionArn == email }?.protocol == "email")
            #expect(payloads.first { $0.subscriptionArn == email }?.rawMessageDelivery == false)
            #expect(written.allSatisfy { $0.attempts == 0 && $0.nextAttempt == $0.created })
        }
    }

    @Test("a topic without confirmed subscriptions writes nothing and wakes nobody; TargetArn names a topic too")
    func nobodyListens() async throws {
        try await ServiceFixture.with { sns in
            let topic = try await sns.service.createTopic(name: "quiet")
            _ = try await sns.service.publish(.init(topicArn: topic, message: "hello"))
            _ = try await sns.service.publish(.init(targetArn: topic, message: "hello"))
            _ = try await sns.service.publish(.init(topicArn: topic, targetArn: topic, message: "hello"))
            #expect(try await sns.deliveries().isEmpty)
            #expect(sns.notifier.count == 0)
            await expectSNSError(.notFound, "Topic does not exist") {
                _ = try await sns.service.publish(.init(topicArn: sns.arn("missing"), message: "hello"))
            }
        }
    }

    @Test("filter policies on attributes and on the body decide who receives a message")
    func filtering() async throws {
        try await ServiceFixture.with { sns in
            let topic = try await sns.service.createTopic(name: "orders")
            let corp = try await sns.confirmedSubscription(
                topic: "orders", endpoint: "https://h/corp",
                attributes: ["FilterPolicy": #"{"store": ["example_corp"], "price": [{"numeric": [">=", 100]}]}"#])
            let body = try await sns.confirmedSubscription(
                topic: "orders", endpoint: "https://h/body",
                attributes: [
                    "FilterPolicy": #"{"order": {"kind": [{"prefix": "big"}]}}"#, "FilterPolicyScope": "MessageBody",
                ])
            let everyone = try await sns.confirmedSubscription(topic: "orders", endpoint: "https://h/all")
            func receivers(_ message: String, _ attributes: [String: Attribute] = [:]) async throws -> Set<String> {
                let id = try await sns.service.publish(
                    .init(topicArn: topic, message: message, messageAttributes: attributes))
                return Set(try await sns.notifications().filter { $0.messageId == id }.map(\.subscriptionArn))
            }
            #expect(
                try await receivers("x", ["store": .string("example_corp"), "price": .number("150")]) == [
                    corp, everyone,
                ])
            #expect(try await receivers("x", ["store": .string("example_corp"), "price": .number("99")]) == [everyone])
            #expect(try await receivers("x", ["store": .string("example_corp")]) == [everyone])
            #expect(try await receivers(#"{"order": {"kind": "big-box"}}"#) == [body, everyone])
            #expect(try await receivers(#"{"order": {"kind": "small"}}"#) == [everyone])
            #expect(try await receivers("not json") == [everyone])
        }
    }

    @Test(
        "a fan-out to 1 200 subscriptions writes every matching delivery, each with its own text and subscription",
        arguments: SNSTestEngine.available)
    func largeFanOut(engine: SNSTestEngine) async throws {
        try await ServiceFixture.with(engine) { sns in
            let topic = try await sns.service.createTopic(name: "many")
            let expected = try await sns.store.write { tables in
                var expected: [String: (protocol: String, endpoint: String, raw: Bool)] = [:]
                for index in 0..<1200 {
                    let email = index % 3 == 0
                    let id = String(format: "00000000-0000-4000-8000-%012d", index)
                    let endpoint = email ? "user\(index)@example.com" : "https://h/\(index)"
                    var attributes: [String: String] = [:]
                    if index % 5 == 1 { attributes["FilterPolicy"] = #"{"room": ["7"]}"# }
                    if index % 5 == 2 { attributes["FilterPolicy"] = #"{"room": ["8"]}"# }
                    if !email, index % 4 == 2 { attributes["RawMessageDelivery"] = "true" }
                    let confirmed = index % 50 != 0
                    try await tables.insertSubscription(
                        StoredSubscription(
                            id: id, topicName: "many", protocol: email ? "email" : "https", endpoint: endpoint,
                            isConfirmed: confirmed, token: nil, tokenExpires: nil, attributes: attributes, created: 1))
                    if confirmed, index % 5 != 2 {
                        expected[topic + ":" + id] = (
                            email ? "email" : "https", endpoint, attributes["RawMessageDelivery"] != nil
                        )
                    }
                }
                return expected
            }
            let messageId = try await sns.service.publish(
                .init(
                    topicArn: topic, message: #"{"default": "for https", "email": "for e-mail \"quoted\""}"#,
                    subject: "Hot", messageStructure: "json", messageAttributes: ["room": .string("7")]))
            #expect(sns.notifier.count == 1)
            let deliveries = try await sns.deliveries()
            #expect(deliveries.count == expected.count)
            #expect(Set(deliveries.map(\.id)).count == deliveries.count)
            #expect(Set(deliveries.map(\.payload.subscriptionArn)) == Set(expected.keys))
            for delivery in deliveries {
                let payload = delivery.payload
                let subscription = try #require(expected[payload.subscriptionArn])
                #expect(payload.subscriptionArn == topic + ":" + delivery.subscriptionId)
                #expect(payload.kind == .notification && payload.messageId == messageId && payload.subject == "Hot")
                #expect(payload.protocol == subscription.protocol && payload.endpoint == subscription.endpoint)
                #expect(payload.rawMessageDelivery == subscription.raw)
                #expect(payload.message == (subscription.protocol == "email" ? #"for e-mail "quoted""# : "for https"))
                #expect(payload.messageAttributes == ["room": .init(type: "String", value: "7")])
                #expect(delivery.attempts == 0 && delivery.lastError == nil && delivery.nextAttempt == delivery.created)
            }
        }
    }

    @Test("MessageStructure json gives each protocol its own text, or default")
    func structure() async throws {
        try await ServiceFixture.with { sns in
            let topic = try await sns.service.createTopic(name: "t")
            let email = try await sns.confirmedSubscription(topic: "t", protocol: "email", endpoint: "a@example.com")
            let json = try await sns.confirmedSubscription(
                topic: "t", protocol: "email-json", endpoint: "b@example.com")
            let https = try await sns.confirmedSubscription(topic: "t", protocol: "https", endpoint: "https://h/")
            let body =
                #"{"default": "plain", "email": "for e-mail", "https": "for https", "http": 5, "email-json": {"a": 1}}"#
            _ = try await sns.service.publish(.init(topicArn: topic, message: body, messageStructure: "json"))
            let texts = Dictionary(
                uniqueKeysWithValues: try await sns.notifications().map { ($0.subscriptionArn, $0.message) })
            #expect(texts == [email: "for e-mail", json: "plain", https: "for https"])
            await expectSNSError(
                .invalidParameter, "Invalid parameter: Message Structure - No default entry in JSON message body"
            ) {
                _ = try await sns.service.publish(
                    .init(topicArn: topic, message: #"{"email": "x"}"#, messageStructure: "json"))
            }
            await expectSNSError(
                .invalidParameter, "Invalid parameter: Message Structure - No default entry in JSON message body"
            ) {
                _ = try await sns.service.publish(
                    .init(topicArn: topic, message: #"{"default": 1}"#, messageStructure: "json"))
            }
            await expectSNSError(
                .invalidParameter, "Invalid parameter: Message Structure - JSON message body failed to parse"
            ) {
                _ = try await sns.service.publish(.init(topicArn: topic, message: "[1]", messageStructure: "json"))
            }
            await expectSNSError(.invalidParameter, "Invalid parameter: MessageStructure") {
                _ = try await sns.service.publish(.init(topicArn: topic, message: "x", messageStructure: "xml"))
            }
        }
    }

    @Test(
        "message attributes are checked as SNS checks them",
        arguments: [
            (
                ["a^b": Attribute.string("x")],
                "Invalid non-alphanumeric character '#x5E' was found in the message attribute name. Can only include alphanumeric characters, hyphens, underscores, or dots."
            ),
            ([".a": .string("x")], "Invalid message attribute name starting with character '.' was found."),
            (["a.": .string("x")], "Invalid message attribute name ending with character '.' was found."),
            (["a..b": .string("x")], "Message attribute name can not have successive '.' character."),
            (
                [String(repeating: "n", count: 256): .string("x")],
                "Length of message attribute name must be less than 256 bytes."
            ),
            (
                ["a": Attribute(dataType: "Text", stringValue: "x")],
                "The message attribute 'a' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String."
            ),
            (
                ["a": Attribute(dataType: "String.", stringValue: "x")],
                "The message attribute 'a' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String."
            ),
            (
                ["a": Attribute(dataType: "String")],
                "The message attribute 'a' must contain non-empty message attribute value for message attribute type 'String'."
            ),
            (
                ["a": .string("")],
                "The message attribute 'a' must contain non-empty message attribute value for message attribute type 'String'."
            ),
            (
                ["a": Attribute(dataType: "String", binaryValue: [1])],
                "The message attribute 'a' with type 'String' must use field 'String'."
            ),
            (
                ["a": Attribute(dataType: "Number", binaryValue: [1])],
                "The message attribute 'a' with type 'Number' must use field 'String'."
            ),
            (
                ["a": Attribute(dataType: "Binary", stringValue: "AQ==")],
                "The message attribute 'a' with type 'Binary' must use field 'Binary'."
            ),
            (
                ["a": .binary([])],
                "The message attribute 'a' must contain non-empty message attribute value for message attribute type 'Binary'."
            ),
            (["a": .number("12abc")], "Could not cast message attribute 'a' value to number."),
            (["a": .number("1e")], "Could not cast message attribute 'a' value to number."),
            (
                ["a": .stringArray(#"["x", {"y": 1}]"#)],
                "The message attribute 'a' with type 'String.Array' must be a JSON array of strings, numbers, true, false or null."
            ),
            (
                Dictionary(uniqueKeysWithValues: (0..<11).map { ("k\($0)", Attribute.string("v")) }),
                "Number of message attributes [11] exceeds the allowed maximum [10]."
            ),
        ])
    func attributes(attributes: [String: Attribute], message: String) async throws {
        try await ServiceFixture.with { sns in
            let topic = try await sns.service.createTopic(name: "t")
            await expectSNSError(.invalidParameterValue, message) {
                _ = try await sns.service.publish(.init(topicArn: topic, message: "m", messageAttributes: attributes))
            }
        }
    }

    @Test("valid attribute types, custom suffixes and numbers are accepted")
    func goodAttributes() async throws {
        try await ServiceFixture.with { sns in
            let topic = try await sns.service.createTopic(name: "t")
            let attributes: [String: Attribute] = [
                "a.b-c_D9": .string("x"), "f": Attribute(dataType: "Number.float", stringValue: "-1.25e-3"),
                "g": Attribute(dataType: "Binary.gif", binaryValue: [0x47]),
                "h": .stringArray(#"["x", 1, true, null]"#),
                "i": .number(".5"), "j": .number("+7"),
            ]
            _ = try await sns.service.publish(.init(topicArn: topic, message: "m", messageAttributes: attributes))
        }
    }

    @Test("the 256 KiB limit counts the message and its attributes")
    func size() async throws {
        try await ServiceFixture.with { sns in
            let topic = try await sns.service.createTopic(name: "t")
            let limit = 256 * 1024
            _ = try await sns.service.publish(.init(topicArn: topic, message: String(repeating: "a", count: limit)))
            await expectSNSError(.invalidParameter, "Invalid parameter: Message too long") {
                _ = try await sns.service.publish(
                    .init(topicArn: topic, message: String(repeating: "a", count: limit + 1)))
            }
            // "é" is two bytes: the limit is in bytes.
            await expectSNSError(.invalidParameter, "Invalid parameter: Message too long") {
                _ = try await sns.service.publish(
                    .init(topicArn: topic, message: String(repeating: "\u{e9}", count: limit / 2 + 1)))
            }
            // name (1) + type (6) + value (3) = 10 bytes of attributes.
            _ = try await sns.service.publish(
                .init(
                    topicArn: topic, message: String(repeating: "a", count: limit - 10),
                    messageAttributes: ["k": .string("abc")]))
            await expectSNSError(.invalidParameter, "Invalid parameter: Message too long") {
                _ = try await sns.service.publish(
                    .init(
                        topicArn: topic, message: String(repeating: "a", count: limit - 9),
                        messageAttributes: ["k": .string("abc")]))
            }
        }
    }

    @Test(
        "subjects, empty messages, targets and FIFO parameters",
        arguments: [
            (
                NotificationService.PublishRequest(topicArn: "T", message: "m", subject: ""),
                "Invalid parameter: Subject"
            ),
            (
                .init(topicArn: "T", message: "m", subject: String(repeating: "s", count: 101)),
                "Invalid parameter: Subject"
            ),
            (.init(topicArn: "T", message: "m", subject: "line\nbreak"), "Invalid parameter: Subject"),
            (.init(topicArn: "T", message: "m", subject: "tab\there"), "Invalid parameter: Subject"),
            (.init(topicArn: "T", message: ""), "Invalid parameter: Empty message"),
            (
                .init(phoneNumber: "+15555550100", message: "m"),
                "Invalid parameter: PhoneNumber Reason: Thingport does not send SMS messages"
            ),
            (.init(message: "m"), "Invalid parameter: TopicArn or TargetArn Reason: no value for required parameter"),
            (
                .init(targetArn: "arn:aws:sns:us-east-1:123456789012:endpoint/GCM/app/123", message: "m"),
                "Invalid parameter: TargetArn Reason: No endpoint found for the target arn specified"
            ),
            (
                .init(targetArn: "bad", message: "m"),
                "Invalid parameter: TargetArn Reason: An ARN must have at least 6 elements, not 1"
            ),
            (
                .init(topicArn: "T", message: "m", messageDeduplicationId: "d"),
                "Invalid parameter: MessageDeduplicationId Reason: The request includes MessageDeduplicationId parameter that is not valid for this topic type"
            ),
        ])
    func invalid(request: NotificationService.PublishRequest, message: String) async throws {
        try await ServiceFixture.with { sns in
            let topic = try await sns.service.createTopic(name: "t")
            var request = request
            if request.topicArn == "T" { request.topicArn = topic }
            await expectSNSError(.invalidParameter, message) { _ = try await sns.service.publish(request) }
        }
    }

    @Test("a subject of 100 characters, UTF-8 included, is accepted; MessageGroupId is ignored")
    func goodSubject() async throws {
        try await ServiceFixture.with { sns in
            let topic = try await sns.service.createTopic(name: "t")
            _ = try await sns.confirmedSubscription(topic: "t", protocol: "email", endpoint: "a@example.com")
            let subject = String(repeating: "\u{e9}", count: 100)
            _ = try await sns.service.publish(
                .init(topicArn: topic, message: "m", subject: subject, messageGroupId: "g"))
            #expect(try await sns.notifications().first?.subject == subject)
        }
    }

    @Test("PublishBatch publishes the good entries and reports the others", arguments: SNSTestEngine.available)
    func batch(engine: SNSTestEngine) async throws {
        try await ServiceFixture.with(engine) { sns in
            let topic = try await sns.service.createTopic(name: "t")
            let subscription = try await sns.confirmedSubscription(topic: "t")
            let wakes = sns.notifier.count
            let result = try await sns.service.publishBatch(
                topicArn: topic,
                entries: [
                    .init(id: "first", message: "one", subject: "S1", messageAttributes: ["a": .string("b")]),
                    .init(id: "empty", message: ""),
                    .init(id: "subject", message: "x", subject: "bad\nsubject"),
                    .init(id: "third_3", message: #"{"default": "three", "https": "drei"}"#, messageStructure: "json"),
                ])
            #expect(result.successful.map(\.id) == ["first", "third_3"])
            #expect(
                result.failed == [
                    .init(
                        id: "empty", code: "InvalidParameter", message: "Invalid parameter: Empty message",
                        senderFault: true),
                    .init(
                        id: "subject", code: "InvalidParameter", message: "Invalid parameter: Subject",
                        senderFault: true),
                ])
            #expect(sns.notifier.count == wakes + 1)
            let payloads = try await sns.notifications()
            #expect(payloads.map(\.message) == ["one", "drei"])
            #expect(payloads.map(\.messageId) == result.successful.map(\.messageId))
            #expect(payloads.allSatisfy { $0.subscriptionArn == subscription })
            #expect(payloads.first?.messageAttributes == ["a": .init(type: "String", value: "b")])
            #expect(Set(result.successful.map(\.messageId)).count == 2)
        }
    }

    @Test("PublishBatch request errors")
    func batchErrors() async throws {
        try await ServiceFixture.with { sns in
            let topic = try await sns.service.createTopic(name: "t")
            let entry = NotificationService.BatchEntry(id: "a", message: "m")
            await expectSNSError(.emptyBatchRequest, "The batch request doesn't contain any entries.") {
                _ = try await sns.service.publishBatch(topicArn: topic, entries: [])
            }
            await expectSNSError(
                .tooManyEntriesInBatchRequest, "The batch request contains more entries than permissible."
            ) {
                _ = try await sns.service.publishBatch(
                    topicArn: topic, entries: (0..<11).map { .init(id: "e\($0)", message: "m") })
            }
            await expectSNSError(
                .batchEntryIdsNotDistinct, "Two or more batch entries in the request have the same Id."
            ) {
                _ = try await sns.service.publishBatch(topicArn: topic, entries: [entry, entry])
            }
            for id in ["", "a b", String(repeating: "i", count: 81)] {
                await expectSNSError(.invalidBatchEntryId) {
                    _ = try await sns.service.publishBatch(topicArn: topic, entries: [.init(id: id, message: "m")])
                }
            }
            await expectSNSError(
                .batchRequestTooLong, "The length of all the messages put together is more than the limit."
            ) {
                _ = try await sns.service.publishBatch(
                    topicArn: topic,
                    entries: (0..<3).map { .init(id: "e\($0)", message: String(repeating: "a", count: 100_000)) })
            }
            await expectSNSError(
                .invalidParameterValue, "Could not cast message attribute 'n' value to number."
            ) {
                _ = try await sns.service.publishBatch(
                    topicArn: topic,
                    entries: [entry, .init(id: "b", message: "m", messageAttributes: ["n": .number("x")])])
            }
            await expectSNSError(.notFound, "Topic does not exist") {
                _ = try await sns.service.publishBatch(topicArn: sns.arn("missing"), entries: [entry])
            }
            #expect(try await sns.deliveries().isEmpty)
        }
    }
}
