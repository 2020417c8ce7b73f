import JSON
import Notifications
import Testing

@Suite("Filter policy on the message body")
struct FilterPolicyBodyTests {
    struct MatchCase: Sendable, CustomTestStringConvertible {
        var note: String
        var policy: String
        var body: String
        var matches: Bool
        var testDescription: String { note }
    }

    static let nestedPolicy = #"{"object": {"key": [{"prefix": "auto-"}]}}"#
    static let s3Policy = #"{"Records": {"s3": {"object": {"key": [{"prefix": "auto-"}]}}}}"#

    static let cases: [MatchCase] = [
        .init(
            note: "top-level key", policy: #"{"customer_interests": ["rugby"]}"#,
            body: #"{"customer_interests": "rugby"}"#, matches: true),
        .init(
            note: "top-level key: other value", policy: #"{"customer_interests": ["rugby"]}"#,
            body: #"{"customer_interests": "baseball"}"#, matches: false),
        .init(note: "nested key", policy: nestedPolicy, body: #"{"object": {"key": "auto-test"}}"#, matches: true),
        .init(
            note: "nested key: other value", policy: nestedPolicy, body: #"{"object": {"key": "home-test"}}"#,
            matches: false),
        .init(
            note: "nested key: missing", policy: nestedPolicy, body: #"{"object": {"other": "auto-test"}}"#,
            matches: false),
        .init(
            note: "nested key: parent is a string", policy: nestedPolicy, body: #"{"object": "auto-test"}"#,
            matches: false),
        .init(
            note: "dotted name in the body matches a nested policy", policy: nestedPolicy,
            body: #"{"object.key": "auto-x"}"#, matches: true),
        .init(
            note: "dotted policy key matches a nested body", policy: #"{"object.nested": ["v"]}"#,
            body: #"{"object": {"nested": "v"}}"#, matches: true),
        .init(
            note: "deeper mixtures of dots and nesting", policy: #"{"object": {"nested": {"test": ["v"]}}}"#,
            body: #"{"object.nested": {"test": "v"}}"#, matches: true),
        // Arrays in the body
        .init(
            note: "array of values", policy: #"{"headers": {"route-to": ["queue1"]}}"#,
            body: #"{"headers": {"route-to": ["queue1", "queue2"]}}"#, matches: true),
        .init(
            note: "array of values without the value", policy: #"{"headers": {"route-to": ["queue1"]}}"#,
            body: #"{"headers": {"route-to": ["queue2"]}}"#, matches: false),
        .init(
            note: "array of objects", policy: s3Policy,
            body:
                #"{"Records": [{"s3": {"object": {"key": "home-1.xml"}}}, {"s3": {"object": {"key": "auto-2.xml"}}}]}"#,
            matches: true),
        .init(
            note: "array of objects without a match", policy: s3Policy,
            body: #"{"Records": [{"s3": {"object": {"key": "home-1.xml"}}}]}"#, matches: false),
        .init(
            note: "arrays nested in arrays", policy: s3Policy,
            body: #"{"Records": [{"s3": {"object": [[{"key": "auto-insurance-2314.xml", "size": 17}]]}}]}"#,
            matches: true),
        .init(
            note: "keys in one array element must match together", policy: #"{"items": {"name": ["a"], "size": [2]}}"#,
            body: #"{"items": [{"name": "a", "size": 1}, {"name": "b", "size": 2}]}"#, matches: false),
        .init(
            note: "keys in one array element that match together", policy: #"{"items": {"name": ["a"], "size": [2]}}"#,
            body: #"{"items": [{"name": "b", "size": 1}, {"name": "a", "size": 2}]}"#, matches: true),
        .init(
            note: "keys outside the array combine with any element",
            policy: #"{"kind": ["order"], "items": {"name": ["b"]}}"#,
            body: #"{"kind": "order", "items": [{"name": "a"}, {"name": "b"}]}"#, matches: true),
        .init(
            note: "empty array is absent", policy: #"{"a": [{"exists": false}]}"#, body: #"{"a": []}"#, matches: true),
        .init(
            note: "anything-but over an array", policy: #"{"a": [{"anything-but": ["x"]}]}"#,
            body: #"{"a": ["x", "y"]}"#, matches: true),
        .init(
            note: "anything-but over an array of excluded values", policy: #"{"a": [{"anything-but": ["x"]}]}"#,
            body: #"{"a": ["x", "x"]}"#, matches: false),
        // Types in the body
        .init(note: "number 5 vs body 5", policy: #"{"a": [5]}"#, body: #"{"a": 5.0}"#, matches: true),
        .init(note: "number 5 vs body \"5\"", policy: #"{"a": [5]}"#, body: #"{"a": "5"}"#, matches: false),
        .init(note: "string \"5\" vs body 5", policy: #"{"a": ["5"]}"#, body: #"{"a": 5}"#, matches: false),
        .init(
            note: "numeric equals", policy: #"{"price_usd": [{"numeric": ["=", 301.5]}]}"#,
            body: #"{"price_usd": 3.015e2}"#, matches: true),
        .init(
            note: "numeric range", policy: #"{"price_usd": [{"numeric": [">", 0, "<=", 150]}]}"#,
            body: #"{"price_usd": 150}"#, matches: true),
        .init(
            note: "numeric range on a string", policy: #"{"price_usd": [{"numeric": [">", 0]}]}"#,
            body: #"{"price_usd": "150"}"#, matches: false),
        .init(note: "boolean", policy: #"{"encrypted": [false]}"#, body: #"{"encrypted": false}"#, matches: true),
        .init(
            note: "boolean vs string", policy: #"{"encrypted": [false]}"#, body: #"{"encrypted": "false"}"#,
            matches: false),
        .init(note: "null", policy: #"{"a": [null]}"#, body: #"{"a": null}"#, matches: true),
        .init(
            note: "null is present for exists", policy: #"{"a": [{"exists": true}]}"#, body: #"{"a": null}"#,
            matches: true),
        .init(note: "null vs absent", policy: #"{"a": [null]}"#, body: #"{}"#, matches: false),
        // exists
        .init(
            note: "exists true", policy: #"{"store": [{"exists": true}]}"#,
            body: #"{"store": "fans", "customer_interests": ["baseball", "basketball"]}"#, matches: true),
        .init(
            note: "exists true: absent", policy: #"{"store": [{"exists": true}]}"#,
            body: #"{"customer_interests": ["baseball", "basketball"]}"#, matches: false),
        .init(
            note: "exists false", policy: #"{"store": [{"exists": false}]}"#,
            body: #"{"customer_interests": ["baseball", "basketball"]}"#, matches: true),
        .init(
            note: "exists false: present", policy: #"{"store": [{"exists": false}]}"#, body: #"{"store": "fans"}"#,
            matches: false),
        .init(
            note: "exists applies to leaves only", policy: #"{"object": [{"exists": true}]}"#,
            body: #"{"object": {"key": "v"}}"#, matches: false),
        .init(
            note: "anything-but needs the key", policy: #"{"a": [{"anything-but": "x"}]}"#, body: #"{"b": "y"}"#,
            matches: false),
        // $or in nested objects
        .init(
            note: "$or inside a nested object", policy: #"{"detail": {"$or": [{"c": [1]}, {"d": [2]}]}}"#,
            body: #"{"detail": {"d": 2}}"#, matches: true),
        .init(
            note: "$or inside a nested object: neither", policy: #"{"detail": {"$or": [{"c": [1]}, {"d": [2]}]}}"#,
            body: #"{"detail": {"c": 2, "d": 1}}"#, matches: false),
        // Bodies that are not JSON objects
        .init(note: "body is not JSON", policy: #"{"a": [{"exists": false}]}"#, body: "plain text", matches: false),
        .init(note: "body is a JSON array", policy: #"{"a": [{"exists": false}]}"#, body: "[1]", matches: false),
        .init(note: "empty policy accepts any body", policy: "{}", body: "plain text", matches: true),
    ]

    @Test("matches as SNS documents", arguments: cases)
    func matching(testCase: MatchCase) throws {
        let policy = try FilterPolicy(json: testCase.policy, scope: .messageBody)
        #expect(policy.matches(body: testCase.body) == testCase.matches)
        #expect(policy.matches(body: testCase.body, attributes: ["a": .string("x")]) == testCase.matches)
        if let parsed = try? JSONValue.parse(testCase.body) {
            #expect(policy.matches(body: parsed) == testCase.matches)
        }
    }

    @Test("AWS example: S3 event notifications filtered on the object key")
    func s3Example() throws {
        let policy = try FilterPolicy(
            json:
                #"{"Records": {"s3": {"object": {"key": [{"prefix": "auto-"}]}}, "eventName": [{"prefix": "ObjectCreated:"}]}}"#,
            scope: .messageBody)
        func record(_ eventName: String) -> String {
            """
            {"Records": [{"eventSource": "aws:s3", "eventName": "\(eventName)",
                          "s3": {"bucket": {"name": "b"}, "object": {"key": "auto-insurance-2314.xml", "size": 17}}}]}
            """
        }
        #expect(policy.matches(body: record("ObjectCreated:Put")))
        #expect(!policy.matches(body: record("ObjectRemoved:Delete")))
        // The key and the event name must come from the same record.
        let mixed = """
            {"Records": [{"eventName": "ObjectCreated:Put", "s3": {"object": {"key": "home.xml"}}},
                         {"eventName": "ObjectRemoved:Delete", "s3": {"object": {"key": "auto-1.xml"}}}]}
            """
        #expect(!policy.matches(body: mixed))
    }

    @Test("the scope decides what a message is matched on")
    func scope() throws {
        let json = #"{"store": ["example_corp"]}"#
        let body = #"{"store": "example_corp"}"#
        let attributes: [String: FilterPolicy.MessageAttribute] = ["store": .string("other")]
        #expect(try FilterPolicy(json: json, scope: .messageBody).matches(body: body, attributes: attributes))
        #expect(try !FilterPolicy(json: json, scope: .messageAttributes).matches(body: body, attributes: attributes))
    }
}
