import Notifications
import Testing

@Suite("Filter policy on message attributes")
struct FilterPolicyAttributeTests {
    typealias Attribute = FilterPolicy.MessageAttribute

    struct MatchCase: Sendable, CustomTestStringConvertible {
        var note: String
        var policy: String
        var attributes: [String: Attribute]
        var matches: Bool
        var testDescription: String { note }
    }

    static let cases: [MatchCase] = [
        // Exact string matching (AWS "String value matching" examples)
        .init(
            note: "exact: one of the values", policy: #"{"customer_interests": ["rugby", "tennis"]}"#,
            attributes: ["customer_interests": .string("rugby")], matches: true),
        .init(
            note: "exact: String.Array with a listed element", policy: #"{"customer_interests": ["rugby", "tennis"]}"#,
            attributes: ["customer_interests": .stringArray(#"["rugby", "tennis"]"#)], matches: true),
        .init(
            note: "exact: no listed value", policy: #"{"customer_interests": ["rugby", "tennis"]}"#,
            attributes: ["customer_interests": .string("baseball")], matches: false),
        .init(
            note: "exact: String.Array without a listed element",
            policy: #"{"customer_interests": ["rugby", "tennis"]}"#,
            attributes: ["customer_interests": .stringArray(#"["baseball"]"#)], matches: false),
        .init(
            note: "exact: case-sensitive", policy: #"{"a": ["Rugby"]}"#, attributes: ["a": .string("rugby")],
            matches: false),
        .init(note: "exact: attribute absent", policy: #"{"a": ["x"]}"#, attributes: [:], matches: false),
        .init(
            note: "exact: empty string", policy: #"{"a": [""]}"#, attributes: ["a": .string("")], matches: true),
        .init(
            note: "exact: custom String type", policy: #"{"a": ["x"]}"#,
            attributes: ["a": Attribute(dataType: "String.custom", stringValue: "x")], matches: true),
        // Numbers versus strings
        .init(note: "number 5 vs Number 5", policy: #"{"a": [5]}"#, attributes: ["a": .number("5")], matches: true),
        .init(note: "number 5 vs Number 5.0", policy: #"{"a": [5]}"#, attributes: ["a": .number("5.0")], matches: true),
        .init(
            note: "number 5 vs String \"5\"", policy: #"{"a": [5]}"#, attributes: ["a": .string("5")], matches: false),
        .init(
            note: "string \"5\" vs Number 5", policy: #"{"a": ["5"]}"#, attributes: ["a": .number("5")], matches: false),
        .init(
            note: "string \"5\" vs String \"5\"", policy: #"{"a": ["5"]}"#, attributes: ["a": .string("5")],
            matches: true),
        .init(
            note: "number in String.Array", policy: #"{"a": [5]}"#, attributes: ["a": .stringArray(#"["x", 5]"#)],
            matches: true),
        .init(
            note: "quoted number in String.Array is a string", policy: #"{"a": [5]}"#,
            attributes: ["a": .stringArray(#"["5"]"#)], matches: false),
        .init(
            note: "numeric equals with exponent", policy: #"{"price_usd": [{"numeric": ["=", 301.5]}]}"#,
            attributes: ["price_usd": .number("3.015e2")], matches: true),
        .init(
            note: "five digits of accuracy", policy: #"{"a": [{"numeric": ["=", 1.000001]}]}"#,
            attributes: ["a": .number("1.000009")], matches: true),
        .init(
            note: "differences at five digits count", policy: #"{"a": [{"numeric": ["=", 1.00001]}]}"#,
            attributes: ["a": .number("1.00002")], matches: false),
        .init(
            note: "numeric never matches a String", policy: #"{"a": [{"numeric": [">", 0]}]}"#,
            attributes: ["a": .string("10")], matches: false),
        .init(
            note: "big exact number compared as text", policy: #"{"account": [123456789012]}"#,
            attributes: ["account": .number("123456789012")], matches: true),
        .init(
            note: "big exact number, other text", policy: #"{"account": [123456789012]}"#,
            attributes: ["account": .number("123456789013")], matches: false),
        .init(
            note: "out-of-range value never in a numeric range", policy: #"{"a": [{"numeric": [">", 0]}]}"#,
            attributes: ["a": .number("2000000000")], matches: false),
        // Booleans and null only come from String.Array elements
        .init(
            note: "false vs String \"false\"", policy: #"{"encrypted": [false]}"#,
            attributes: ["encrypted": .string("false")], matches: false),
        .init(
            note: "false in String.Array", policy: #"{"encrypted": [false]}"#,
            attributes: ["encrypted": .stringArray("[false]")], matches: true),
        .init(
            note: "null in String.Array", policy: #"{"a": [null]}"#, attributes: ["a": .stringArray("[null]")],
            matches: true),
        .init(
            note: "null and anything-but do not match an absent attribute",
            policy: #"{"attr1": [null, {"anything-but": "whatever"}]}"#, attributes: [:], matches: false),
        // Prefix, suffix, equals-ignore-case
        .init(
            note: "prefix", policy: #"{"customer_interests": [{"prefix": "bas"}]}"#,
            attributes: ["customer_interests": .string("basketball")], matches: true),
        .init(
            note: "prefix: other value", policy: #"{"customer_interests": [{"prefix": "bas"}]}"#,
            attributes: ["customer_interests": .string("rugby")], matches: false),
        .init(
            note: "prefix never matches a Number", policy: #"{"a": [{"prefix": "1"}]}"#,
            attributes: ["a": .number("12")], matches: false),
        .init(
            note: "prefix in String.Array", policy: #"{"a": [{"prefix": "bas"}]}"#,
            attributes: ["a": .stringArray(#"["rugby", "baseball"]"#)], matches: true),
        .init(
            note: "prefix works on bytes, not characters", policy: #"{"a": [{"prefix": "e"}]}"#,
            attributes: ["a": .string("e\u{301}t\u{e9}")], matches: true),
        .init(
            note: "suffix", policy: #"{"customer_interests": [{"suffix": "ball"}]}"#,
            attributes: ["customer_interests": .string("baseball")], matches: true),
        .init(
            note: "suffix: other value", policy: #"{"customer_interests": [{"suffix": "ball"}]}"#,
            attributes: ["customer_interests": .string("rugby")], matches: false),
        .init(
            note: "equals-ignore-case", policy: #"{"customer_interests": [{"equals-ignore-case": "tennis"}]}"#,
            attributes: ["customer_interests": .string("TeNnIs")], matches: true),
        .init(
            note: "equals-ignore-case: other value",
            policy: #"{"customer_interests": [{"equals-ignore-case": "tennis"}]}"#,
            attributes: ["customer_interests": .string("baseball")], matches: false),
        // anything-but
        .init(
            note: "anything-but list: other value",
            policy: #"{"customer_interests": [{"anything-but": ["rugby", "tennis"]}]}"#,
            attributes: ["customer_interests": .string("baseball")], matches: true),
        .init(
            note: "anything-but list: String.Array with one other element",
            policy: #"{"customer_interests": [{"anything-but": ["rugby", "tennis"]}]}"#,
            attributes: ["customer_interests": .stringArray(#"["rugby", "baseball"]"#)], matches: true),
        .init(
            note: "anything-but list: excluded value",
            policy: #"{"customer_interests": [{"anything-but": ["rugby", "tennis"]}]}"#,
            attributes: ["customer_interests": .string("rugby")], matches: false),
        .init(
            note: "anything-but list: String.Array of excluded elements",
            policy: #"{"customer_interests": [{"anything-but": ["rugby", "tennis"]}]}"#,
            attributes: ["customer_interests": .stringArray(#"["rugby", "tennis"]"#)], matches: false),
        .init(
            note: "anything-but: missing attribute", policy: #"{"a": [{"anything-but": "x"}]}"#,
            attributes: ["b": .string("y")], matches: false),
        .init(
            note: "anything-but: empty String.Array is absent", policy: #"{"a": [{"anything-but": "x"}]}"#,
            attributes: ["a": .stringArray("[]")], matches: false),
        .init(
            note: "anything-but strings accept a Number", policy: #"{"a": [{"anything-but": ["5"]}]}"#,
            attributes: ["a": .number("5")], matches: true),
        .init(
            note: "anything-but numbers", policy: #"{"price": [{"anything-but": [100, 500]}]}"#,
            attributes: ["price": .number("100.1")], matches: true),
        .init(
            note: "anything-but numbers: excluded", policy: #"{"price": [{"anything-but": [100, 500]}]}"#,
            attributes: ["price": .number("100")], matches: false),
        .init(
            note: "anything-but numbers: excluded written differently",
            policy: #"{"price": [{"anything-but": [100, 500]}]}"#,
            attributes: ["price": .number("1e2")], matches: false),
        .init(
            note: "anything-but numbers: array with another value",
            policy: #"{"price": [{"anything-but": [100, 500]}]}"#,
            attributes: ["price": .stringArray("[100, 50]")], matches: true),
        .init(
            note: "anything-but prefix", policy: #"{"event": [{"anything-but": {"prefix": "order-"}}]}"#,
            attributes: ["event": .string("data-entry")], matches: true),
        .init(
            note: "anything-but prefix: underscore is not a dash",
            policy: #"{"event": [{"anything-but": {"prefix": "order-"}}]}"#,
            attributes: ["event": .string("order_number")], matches: true),
        .init(
            note: "anything-but prefix: excluded", policy: #"{"event": [{"anything-but": {"prefix": "order-"}}]}"#,
            attributes: ["event": .string("order-cancelled")], matches: false),
        .init(
            note: "anything-but suffix", policy: #"{"event": [{"anything-but": {"suffix": "-cancelled"}}]}"#,
            attributes: ["event": .string("order-placed")], matches: true),
        .init(
            note: "anything-but suffix: excluded", policy: #"{"event": [{"anything-but": {"suffix": "-cancelled"}}]}"#,
            attributes: ["event": .string("order-cancelled")], matches: false),
        // Numeric ranges
        .init(
            note: "range: inside", policy: #"{"price_usd": [{"numeric": [">", 0, "<=", 150]}]}"#,
            attributes: ["price_usd": .number("150")], matches: true),
        .init(
            note: "range: open bottom", policy: #"{"price_usd": [{"numeric": [">", 0, "<=", 150]}]}"#,
            attributes: ["price_usd": .number("0")], matches: false),
        .init(
            note: "range: above top", policy: #"{"price_usd": [{"numeric": [">", 0, "<=", 150]}]}"#,
            attributes: ["price_usd": .number("150.00001")], matches: false),
        .init(
            note: "less than zero", policy: #"{"price_usd": [{"numeric": ["<", 0]}]}"#,
            attributes: ["price_usd": .number("-0.5")], matches: true),
        .init(
            note: "less than zero: zero", policy: #"{"price_usd": [{"numeric": ["<", 0]}]}"#,
            attributes: ["price_usd": .number("-0")], matches: false),
        .init(
            note: ">=", policy: #"{"a": [{"numeric": [">=", 100]}]}"#, attributes: ["a": .number("100")], matches: true),
        .init(
            note: "<=", policy: #"{"a": [{"numeric": ["<=", -1e9]}]}"#, attributes: ["a": .number("-1000000000")],
            matches: true),
        .init(
            note: "range on String.Array elements", policy: #"{"a": [{"numeric": [">=", 10, "<", 20]}]}"#,
            attributes: ["a": .stringArray("[1, 15]")], matches: true),
        // exists
        .init(
            note: "exists true", policy: #"{"store": [{"exists": true}]}"#,
            attributes: ["store": .string("fans"), "customer_interests": .stringArray(#"["baseball"]"#)], matches: true),
        .init(
            note: "exists true: Number attribute", policy: #"{"store": [{"exists": true}]}"#,
            attributes: ["store": .number("99")], matches: true),
        .init(
            note: "exists true: absent", policy: #"{"store": [{"exists": true}]}"#,
            attributes: ["customer_interests": .stringArray(#"["baseball"]"#)], matches: false),
        .init(
            note: "exists false: absent", policy: #"{"store": [{"exists": false}]}"#,
            attributes: ["customer_interests": .stringArray(#"["baseball"]"#)], matches: true),
        .init(
            note: "exists false: no attributes at all", policy: #"{"store": [{"exists": false}]}"#, attributes: [:],
            matches: true),
        .init(
            note: "exists false: present", policy: #"{"store": [{"exists": false}]}"#,
            attributes: ["store": .string("fans")], matches: false),
        .init(
            note: "exists false or a value: present with the value", policy: #"{"store": ["fans", {"exists": false}]}"#,
            attributes: ["store": .string("fans")], matches: true),
        .init(
            note: "exists false or a value: present with another value",
            policy: #"{"store": ["fans", {"exists": false}]}"#,
            attributes: ["store": .string("other")], matches: false),
        // Binary attributes are ignored
        .init(
            note: "binary is not compared", policy: #"{"a": ["x"]}"#,
            attributes: ["a": Attribute(dataType: "Binary", stringValue: "x", binaryValue: [0x78])], matches: false),
        .init(
            note: "binary is absent for exists true", policy: #"{"a": [{"exists": true}]}"#,
            attributes: ["a": .binary([1, 2])], matches: false),
        .init(
            note: "binary is absent for exists false", policy: #"{"a": [{"exists": false}]}"#,
            attributes: ["a": .binary([1, 2])], matches: true),
        // AND across keys, OR within a key, $or
        .init(
            note: "AND: both keys match",
            policy: #"{"customer_interests": ["rugby"], "price_usd": [{"numeric": [">", 100]}]}"#,
            attributes: ["customer_interests": .string("rugby"), "price_usd": .number("101")], matches: true),
        .init(
            note: "AND: one key fails",
            policy: #"{"customer_interests": ["rugby"], "price_usd": [{"numeric": [">", 100]}]}"#,
            attributes: ["customer_interests": .string("rugby"), "price_usd": .number("100")], matches: false),
        .init(
            note: "OR within a key", policy: #"{"customer_interests": ["rugby", "football", "baseball"]}"#,
            attributes: ["customer_interests": .string("football")], matches: true),
        .init(
            note: "OR within a key mixes operators", policy: #"{"a": ["x", {"prefix": "y"}, {"numeric": ["=", 3]}]}"#,
            attributes: ["a": .number("3")], matches: true),
        .init(
            note: "$or: first group",
            policy:
                #"{"source": ["aws.cloudwatch"], "$or": [{"metricName": ["CPUUtilization"]}, {"namespace": ["AWS/EC2"]}]}"#,
            attributes: ["source": .string("aws.cloudwatch"), "metricName": .string("CPUUtilization")], matches: true),
        .init(
            note: "$or: second group",
            policy:
                #"{"source": ["aws.cloudwatch"], "$or": [{"metricName": ["CPUUtilization"]}, {"namespace": ["AWS/EC2"]}]}"#,
            attributes: ["source": .string("aws.cloudwatch"), "namespace": .string("AWS/EC2")], matches: true),
        .init(
            note: "$or: no group",
            policy:
                #"{"source": ["aws.cloudwatch"], "$or": [{"metricName": ["CPUUtilization"]}, {"namespace": ["AWS/EC2"]}]}"#,
            attributes: ["source": .string("aws.cloudwatch"), "namespace": .string("AWS/ES")], matches: false),
        .init(
            note: "$or: the shared key still applies",
            policy:
                #"{"source": ["aws.cloudwatch"], "$or": [{"metricName": ["CPUUtilization"]}, {"namespace": ["AWS/EC2"]}]}"#,
            attributes: ["source": .string("aws.ec2"), "metricName": .string("CPUUtilization")], matches: false),
        .init(
            note: "$or nested in $or",
            policy: #"{"$or": [{"a": ["1"]}, {"b": ["2"], "$or": [{"c": ["3"]}, {"d": ["4"]}]}]}"#,
            attributes: ["b": .string("2"), "d": .string("4")], matches: true),
        .init(
            note: "$or nested in $or: inner fails",
            policy: #"{"$or": [{"a": ["1"]}, {"b": ["2"], "$or": [{"c": ["3"]}, {"d": ["4"]}]}]}"#,
            attributes: ["b": .string("2"), "e": .string("4")], matches: false),
        .init(
            note: "$or that is not an operator is a key", policy: #"{"$or": [{"prefix": "a"}, {"suffix": "z"}]}"#,
            attributes: ["$or": .string("xyz")], matches: true),
        // Anything else
        .init(note: "empty policy matches everything", policy: "{}", attributes: [:], matches: true),
        .init(
            note: "unparsable String.Array is absent", policy: #"{"a": [{"exists": false}]}"#,
            attributes: ["a": .stringArray("[oops")], matches: true),
        .init(
            note: "objects in String.Array are not compared", policy: #"{"a": [{"exists": true}]}"#,
            attributes: ["a": .stringArray(#"[{"b": 1}]"#)], matches: false),
    ]

    @Test("matches as SNS documents", arguments: cases)
    func matching(testCase: MatchCase) throws {
        let policy = try FilterPolicy(json: testCase.policy)
        #expect(policy.matches(attributes: testCase.attributes) == testCase.matches)
        #expect(policy.matches(body: "not even JSON", attributes: testCase.attributes) == testCase.matches)
    }

    /// The message of AWS's "Example filter policies".
    static let exampleMessage: [String: Attribute] = [
        "customer_interests": .stringArray(#"["soccer", "rugby", "hockey"]"#),
        "store": .string("example_corp"),
        "event": .string("order_placed"),
        "price_usd": .number("210.75"),
    ]

    @Test("AWS example: a policy that accepts the message")
    func exampleAccepts() throws {
        let policy = try FilterPolicy(
            json: """
                {
                   "store": ["example_corp"],
                   "event": [{"anything-but": "order_cancelled"}],
                   "customer_interests": ["rugby", "football", "baseball"],
                   "price_usd": [{"numeric": [">=", 100]}]
                }
                """)
        #expect(policy.matches(attributes: Self.exampleMessage))
    }

    @Test("AWS example: a policy that rejects the message")
    func exampleRejects() throws {
        let policy = try FilterPolicy(
            json: """
                {
                   "store": ["example_corp"],
                   "event": ["order_cancelled"],
                   "encrypted": [false],
                   "customer_interests": ["basketball", "baseball"]
                }
                """)
        #expect(!policy.matches(attributes: Self.exampleMessage))
    }

    @Test("one prepared input serves many policies")
    func preparedInput() throws {
        let input = FilterPolicy.Input(attributes: Self.exampleMessage)
        #expect(try FilterPolicy(json: #"{"store": ["example_corp"]}"#).matches(input))
        #expect(try !FilterPolicy(json: #"{"store": ["other"]}"#).matches(input))
        #expect(try FilterPolicy(json: #"{"customer_interests": [{"prefix": "hock"}]}"#).matches(input))
    }
}
