import Foundation
import JSON
import Notifications
import SQLKit
import Storage
import Testing

@Suite("SNS store: schema and rows")
struct NotificationStoreTests {
    @Test(
        "the migration creates the spec's tables once, recorded as component notifications",
        arguments: SNSTestEngine.available)
    func migration(engine: SNSTestEngine) async throws {
        try await SNSTestDatabase.with(engine) { database in
            let store = NotificationStore(database: database)
            try await store.migrate()
            try await store.migrate()
            let applied = try await database.appliedMigrations(component: "notifications")
            #expect(applied.map(\.version) == [1])
            #expect(NotificationService.migrationComponent == "notifications")
            // Every column the delivery pipeline reads and writes, by its spec name.
            try await database.withTransaction { db in
                try await db.raw(
                    """
                    INSERT INTO sns_deliveries (id, subscription_id, kind, payload, attempts, next_attempt, created, last_error)
                    VALUES ('d1', 's1', 'notification', '{}', 0, 5, 5, NULL)
                    """
                ).run()
                try await db.raw(
                    """
                    UPDATE sns_deliveries SET attempts = 1, next_attempt = 10, last_error = 'HTTP 500'
                    WHERE next_attempt <= 5
                    """
                ).run()
                try await db.raw(
                    """
                    INSERT INTO sns_subscriptions (id, topic_name, protocol, endpoint, confirmed, token, token_expires,
                        attributes, created) VALUES ('s1', 't', 'http', 'http://h/', 0, 'ab', 7, '{}', 1)
                    """
                ).run()
            }
            let row = try await database.read { db in
                try await db.raw("SELECT attempts, last_error FROM sns_deliveries WHERE id = 'd1'").first()
            }
            #expect(try row?.decode(column: "attempts", as: Int.self) == 1)
            #expect(try row?.decode(column: "last_error", as: String?.self) == "HTTP 500")
        }
    }

    @Test("tags cascade with their topic; a duplicate topic name is refused", arguments: SNSTestEngine.available)
    func topicsAndTags(engine: SNSTestEngine) async throws {
        try await SNSTestDatabase.withStore(engine) { store in
            let attributes = ["DisplayName": "Alarms \"&\" <ops>", "Policy": #"{"Statement": []}"#]
            try await store.write { tables in
                try await tables.insertTopic(StoredTopic(name: "alarms", attributes: attributes, created: 42))
                try await tables.setTags(ofTopic: "alarms", [("team", "ops"), ("env", "dev")])
                try await tables.setTags(ofTopic: "alarms", [("team", "iot")])
            }
            await #expect(throws: (any Error).self) {
                try await store.write { try await $0.insertTopic(StoredTopic(name: "alarms", created: 43)) }
            }
            let (topic, tags) = try await store.read { tables in
                (try await tables.topic(named: "alarms"), try await tables.tags(ofTopic: "alarms"))
            }
            #expect(topic == StoredTopic(name: "alarms", attributes: attributes, created: 42))
            #expect(tags.map { "\($0.key)=\($0.value)" } == ["env=dev", "team=iot"])
            try await store.write { tables in
                try await tables.removeTags(ofTopic: "alarms", keys: ["env", "missing"])
                try await tables.updateTopicAttributes("alarms", ["DisplayName": "x"])
            }
            #expect(try await store.read { try await $0.tags(ofTopic: "alarms") }.map(\.key) == ["team"])
            #expect(try await store.read { try await $0.topic(named: "alarms") }?.attributes == ["DisplayName": "x"])
            let existed = try await store.write { try await $0.deleteTopic("alarms") }
            #expect(existed)
            #expect(try await store.write { try await $0.deleteTopic("alarms") } == false)
            let left = try await store.database.read { db in
                try await db.raw("SELECT COUNT(*) AS n FROM sns_topic_tags").first()?.decode(column: "n", as: Int.self)
            }
            #expect(left == 0)
        }
    }

    @Test("topics page in byte order", arguments: SNSTestEngine.available)
    func topicPaging(engine: SNSTestEngine) async throws {
        try await SNSTestDatabase.withStore(engine) { store in
            let names = ["b", "B", "a", "A_1", "a-2", "Z"]
            try await store.write { tables in
                for name in names { try await tables.insertTopic(StoredTopic(name: name, created: 1)) }
            }
            let first = try await store.read { try await $0.topics(after: nil, limit: 4) }
            #expect(first.map(\.name) == ["A_1", "B", "Z", "a"])
            let rest = try await store.read { try await $0.topics(after: "a", limit: 4) }
            #expect(rest.map(\.name) == ["a-2", "b"])
        }
    }

    @Test("subscriptions: lookups by id, endpoint and token, counts, confirmation", arguments: SNSTestEngine.available)
    func subscriptions(engine: SNSTestEngine) async throws {
        try await SNSTestDatabase.withStore(engine) { store in
            let pending = StoredSubscription(
                id: "0001", topicName: "t", protocol: "email", endpoint: "a@example.com", isConfirmed: false,
                token: "abcd", tokenExpires: 99, attributes: ["FilterPolicy": #"{"k": ["v"]}"#], created: 1)
            var confirmed = StoredSubscription(
                id: "0002", topicName: "t", protocol: "https", endpoint: "https://h/x", isConfirmed: true, token: nil,
                tokenExpires: nil, created: 2)
            let other = StoredSubscription(
                id: "0003", topicName: "u", protocol: "http", endpoint: "http://h/x", isConfirmed: true, token: nil,
                tokenExpires: nil, created: 3)
            try await store.write { tables in
                for subscription in [pending, confirmed, other] { try await tables.insertSubscription(subscription) }
            }
            try await store.read { tables in
                #expect(try await tables.subscription(id: "0001") == pending)
                #expect(
                    try await tables.subscription(topic: "t", protocol: "email", endpoint: "a@example.com") == pending)
                #expect(
                    try await tables.subscription(topic: "t", protocol: "email-json", endpoint: "a@example.com") == nil)
                #expect(try await tables.subscription(topic: "t", token: "abcd") == pending)
                #expect(try await tables.subscription(topic: "u", token: "abcd") == nil)
                let counts = try await tables.subscriptionCounts(topic: "t")
                #expect(counts.confirmed == 1 && counts.pending == 1)
                #expect(
                    try await tables.recipients(topic: "t")
                        == [StoredRecipient(id: "0002", protocol: "https", endpoint: "https://h/x", attributes: [:])])
                #expect(try await tables.recipients(topic: "u").map(\.id) == ["0003"])
                #expect(try await tables.recipients(topic: "missing").isEmpty)
                #expect(try await tables.subscriptions(after: "0001", limit: 10).map(\.id) == ["0002", "0003"])
                #expect(try await tables.subscriptions(topic: "t", after: nil, limit: 1).map(\.id) == ["0001"])
            }
            confirmed.attributes = ["RawMessageDelivery": "true"]
            confirmed.isConfirmed = false
            confirmed.token = "ffff"
            confirmed.tokenExpires = 1234
            try await store.write { try await $0.updateSubscription(confirmed) }
            #expect(try await store.read { try await $0.subscription(id: "0002") } == confirmed)
            #expect(try await store.write { try await $0.deleteSubscription(id: "0002") })
            #expect(try await store.write { try await $0.deleteSubscription(id: "0002") } == false)
            // Deleting a topic deletes its subscriptions, and only them.
            try await store.write { tables in
                try await tables.insertTopic(StoredTopic(name: "t", created: 1))
                try await tables.deleteTopic("t")
            }
            #expect(try await store.read { try await $0.subscriptions(after: nil, limit: 10) }.map(\.id) == ["0003"])
        }
    }

    @Test(
        "deliveries are written in batches in one transaction and read back as written",
        arguments: SNSTestEngine.available)
    func deliveries(engine: SNSTestEngine) async throws {
        try await SNSTestDatabase.withStore(engine) { store in
            func delivery(_ index: Int) -> StoredDelivery {
                let payload = DeliveryPayload(
                    kind: index == 0 ? .confirmation : .notification, messageId: "m\(index)",
                    topicArn: "arn:aws:sns:us-east-1:123456789012:t", subject: index % 2 == 0 ? "Hi" : nil,
                    message: "message \(index) \u{e9}\n\"quoted\"",
                    messageAttributes: ["n": DeliveryPayload.MessageAttribute(type: "Number", value: String(index))],
                    timestamp: "2025-11-27T03:40:00.123Z", token: index == 0 ? "abcd" : nil,
                    subscriptionArn: "arn:aws:sns:us-east-1:123456789012:t:s\(index % 3)", protocol: "https",
                    endpoint: "https://h/", rawMessageDelivery: index % 5 == 0)
                let id = "d" + String(repeating: "0", count: 4 - String(index).count) + String(index)
                return StoredDelivery(
                    id: id, subscriptionId: "s\(index % 3)", payload: payload, now: 1000 + Int64(index))
            }
            let deliveries = (0..<250).map(delivery)
            try await store.write { try await $0.insertDeliveries(deliveries) }
            let all = try await store.read { try await $0.deliveries() }
            #expect(all == deliveries)
            #expect(try await store.read { try await $0.deliveries(subscription: "s1") }.count == 83)
            let kinds = try await store.database.read { db in
                try await db.raw("SELECT kind FROM sns_deliveries WHERE id = 'd0000' OR id = 'd0001' ORDER BY id").all()
                    .map { try $0.decode(column: "kind", as: String.self) }
            }
            #expect(kinds == ["confirmation", "notification"])
            // The payload column is the JSON DeliveryPayload's Codable conformance reads.
            let text = try await store.database.read { db in
                try await db.raw("SELECT payload FROM sns_deliveries WHERE id = 'd0001'").first()?
                    .decode(column: "payload", as: String.self)
            }
            #expect(
                text
                    == #"{"kind":"notification","messageId":"m1","topicArn":"arn:aws:sns:us-east-1:123456789012:t","message":"message 1 \#u{e9}\n\"quoted\"","messageAttributes":{"n":{"Type":"Number","Value":"1"}},"timestamp":"2025-11-27T03:40:00.123Z","subscriptionArn":"arn:aws:sns:us-east-1:123456789012:t:s1","protocol":"https","endpoint":"https://h/","rawMessageDelivery":false}"#
            )

            // A failing transaction leaves nothing behind.
            struct Boom: Error {}
            await #expect(throws: Boom.self) {
                try await store.write { tables in
                    try await tables.insertDeliveries([
                        StoredDelivery(id: "x", subscriptionId: "s", payload: deliveries[1].payload, now: 1)
                    ])
                    throw Boom()
                }
            }
            #expect(try await store.read { try await $0.deliveries() }.count == 250)
            try await store.write { try await $0.deleteEverything() }
            #expect(try await store.read { try await $0.deliveries() }.isEmpty)
        }
    }

    @Test(
        "large fan-outs are split by rows and by payload bytes, and every column reads back as written",
        arguments: SNSTestEngine.available)
    func largeDeliveryBatches(engine: SNSTestEngine) async throws {
        try await SNSTestDatabase.withStore(engine) { store in
            let big = String(repeating: "x\u{e9}\"\\\n", count: 2_000)
            func delivery(_ index: Int) -> StoredDelivery {
                // Two messages alternate, as the texts of a MessageStructure=json message do.
                let payload = DeliveryPayload(
                    kind: .notification, messageId: index < 1300 ? "m\(index % 2)" : "m\(index)",
                    topicArn: "arn:aws:sns:us-east-1:123456789012:t", subject: index % 2 == 0 ? "Hi" : nil,
                    message: index < 1300 ? "short \(index % 2)" : big + String(index),
                    messageAttributes: [
                        "b": .init(type: "String", value: "v\(index % 2)"), "a": .init(type: "Number", value: "1"),
                    ],
                    timestamp: "2025-11-27T03:40:00.123Z",
                    subscriptionArn: "arn:aws:sns:us-east-1:123456789012:t:s\(index)",
                    protocol: index % 2 == 0 ? "https" : "email", endpoint: "https://h/\(index)",
                    rawMessageDelivery: index % 3 == 0)
                return StoredDelivery(
                    id: String(format: "d%05d", index), subscriptionId: "s\(index)", payload: payload,
                    attempts: Int64(index % 4), nextAttempt: 2_000_000_000_000 + Int64(index), created: 1000,
                    lastError: index % 7 == 0 ? "it's \"broken\" \(index)" : nil)
            }
            // 1 300 small rows (more than one statement's rows), then 400 of about 12 KB (more than
            // one statement's bytes).
            let deliveries = (0..<1700).map(delivery)
            try await store.write { try await $0.insertDeliveries(deliveries) }
            let all = try await store.read { try await $0.deliveries() }
            #expect(all.count == deliveries.count)
            #expect(all == deliveries)
            // Each payload is exactly what the JSON module writes for it.
            let texts = try await store.database.read { db in
                try await db.raw("SELECT payload FROM sns_deliveries WHERE id IN ('d00004', 'd01301') ORDER BY id")
                    .all().map { try $0.decode(column: "payload", as: String.self) }
            }
            #expect(texts.count == 2)
            for (text, index) in zip(texts, [4, 1301]) {
                let payload = deliveries[index].payload
                var members: [JSONValue.Member] = [
                    .init(key: "kind", value: "notification"),
                    .init(key: "messageId", value: .string(payload.messageId)),
                    .init(key: "topicArn", value: .string(payload.topicArn)),
                ]
                if let subject = payload.subject { members.append(.init(key: "subject", value: .string(subject))) }
                let attributes = payload.messageAttributes.mapValues { attribute -> JSONValue in
                    .object([
                        .init(key: "Type", value: .string(attribute.type)),
                        .init(key: "Value", value: .string(attribute.value)),
                    ])
                }
                members += [
                    .init(key: "message", value: .string(payload.message)),
                    .init(key: "messageAttributes", value: JSONValue(attributes)),
                    .init(key: "timestamp", value: .string(payload.timestamp)),
                    .init(key: "subscriptionArn", value: .string(payload.subscriptionArn)),
                    .init(key: "protocol", value: .string(payload.protocol)),
                    .init(key: "endpoint", value: .string(payload.endpoint)),
                    .init(key: "rawMessageDelivery", value: .bool(payload.rawMessageDelivery)),
                ]
                #expect(text == JSONValue.object(members).serializedString())
            }
        }
    }
}
