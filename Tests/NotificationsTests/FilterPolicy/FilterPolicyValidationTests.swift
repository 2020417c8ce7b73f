import Notifications
import Testing

@Suite("Filter policy validation")
struct FilterPolicyValidationTests {
    struct InvalidCase: Sendable, CustomTestStringConvertible {
        var json: String
        var scope: FilterPolicy.Scope = .messageAttributes
        var reason: String
        var testDescription: String { json }
    }

    /// Policies SNS refuses, with the reason it gives (most recorded from AWS responses).
    static let invalid: [InvalidCase] = [
        // Structure
        .init(
            json: #"{"key":[["value"]]}"#,
            reason: "FilterPolicy: Match value must be String, number, true, false, or null"),
        .init(json: #"{"key":"value"}"#, reason: #"FilterPolicy: "key" must be an object or an array"#),
        .init(json: #"{"key":5}"#, reason: #"FilterPolicy: "key" must be an object or an array"#),
        .init(json: #"{"key":{"suffix":"value"}}"#, reason: #"FilterPolicy: "suffix" must be an object or an array"#),
        .init(json: #"{"key":[]}"#, reason: "FilterPolicy: Empty arrays are not allowed"),
        .init(json: #"{"a":{}}"#, scope: .messageBody, reason: "FilterPolicy: Empty objects are not allowed"),
        .init(json: #"["a"]"#, reason: "FilterPolicy: Filter is not an object"),
        .init(
            json: #"{"object":{"key":[{"prefix":"auto-"}]}}"#,
            reason: "Filter policy scope MessageAttributes does not support nested filter policy"),
        .init(
            json: #"{"a":["x"],"$or":[{"b":["y"]},{"c":{"d":["z"]}}]}"#,
            reason: "Filter policy scope MessageAttributes does not support nested filter policy"),
        // Match expressions
        .init(
            json: #"{"key":[{"wrong-operator":true}]}"#, reason: "FilterPolicy: Unrecognized match type wrong-operator"),
        .init(json: #"{"key":[{"cidr":"10.0.0.0/24"}]}"#, reason: "FilterPolicy: Unrecognized match type cidr"),
        .init(
            json: #"{"key":[{"suffix":"value","prefix":"value2"}]}"#,
            reason: "FilterPolicy: Only one key allowed in match expression"),
        .init(json: #"{"key":[{}]}"#, reason: "FilterPolicy: Match expression name not found"),
        .init(json: #"{"key":[{"suffix":100}]}"#, reason: "FilterPolicy: suffix match pattern must be a string"),
        .init(json: #"{"key":[{"suffix":null}]}"#, reason: "FilterPolicy: suffix match pattern must be a string"),
        .init(json: #"{"key":[{"suffix":[]}]}"#, reason: "FilterPolicy: suffix match pattern must be a string"),
        .init(json: #"{"key":[{"suffix":["a","b"]}]}"#, reason: "FilterPolicy: suffix match pattern must be a string"),
        .init(json: #"{"key":[{"prefix":1}]}"#, reason: "FilterPolicy: prefix match pattern must be a string"),
        .init(
            json: #"{"key":[{"equals-ignore-case":true}]}"#,
            reason: "FilterPolicy: equals-ignore-case match pattern must be a string"),
        .init(
            json: #"{"key":[{"exists":null}]}"#,
            reason: "FilterPolicy: exists match pattern must be either true or false."),
        .init(
            json: #"{"key":[{"exists":"no"}]}"#,
            reason: "FilterPolicy: exists match pattern must be either true or false."),
        // anything-but
        .init(
            json: #"{"key":[{"anything-but":{"wrong-operator":null}}]}"#,
            reason: "FilterPolicy: Unsupported anything-but pattern: wrong-operator"),
        .init(
            json: #"{"key":[{"anything-but":{"exists":false}}]}"#,
            reason: "FilterPolicy: Unsupported anything-but pattern: exists"),
        .init(
            json: #"{"key":[{"anything-but":{"prefix":false}}]}"#,
            reason: "FilterPolicy: prefix match pattern must be a string"),
        .init(
            json: #"{"key":[{"anything-but":{"suffix":""}}]}"#, reason: "FilterPolicy: Null prefix/suffix not allowed"),
        .init(
            json: #"{"key":[{"anything-but":{"prefix":"a","suffix":"b"}}]}"#,
            reason: "FilterPolicy: Only one key allowed in match expression"),
        .init(
            json: #"{"key":[{"anything-but":["a",1]}]}"#,
            reason:
                "FilterPolicy: Inside anything but list, either all values are number or string, mixed type is not supported"
        ),
        .init(
            json: #"{"key":[{"anything-but":[]}]}"#,
            reason:
                "FilterPolicy: Inside anything but list, either all values are number or string, mixed type is not supported"
        ),
        .init(
            json: #"{"key":[{"anything-but":["a",null]}]}"#,
            reason: "FilterPolicy: Inside anything but list, start|null|boolean is not supported."),
        .init(
            json: #"{"key":[{"anything-but":true}]}"#,
            reason: "FilterPolicy: Value of anything-but must be an array or single string/number value."),
        // numeric
        .init(json: #"{"key":[{"numeric":[]}]}"#, reason: "FilterPolicy: Invalid member in numeric match: ]"),
        .init(json: #"{"key":[{"numeric":[1,"<="]}]}"#, reason: "FilterPolicy: Invalid member in numeric match: 1"),
        .init(
            json: #"{"key":[{"numeric":["operator"]}]}"#,
            reason: "FilterPolicy: Unrecognized numeric range operator: operator"),
        .init(json: #"{"key":[{"numeric":["=","000"]}]}"#, reason: "FilterPolicy: Value of equals must be numeric"),
        .init(json: #"{"key":[{"numeric":[">="]}]}"#, reason: "FilterPolicy: Value of >= must be numeric"),
        .init(
            json: #"{"key":[{"numeric":["<",100,">",10]}]}"#,
            reason: "FilterPolicy: Too many elements in numeric expression"),
        .init(
            json: #"{"key":[{"numeric":["=",1,2]}]}"#, reason: "FilterPolicy: Too many elements in numeric expression"),
        .init(json: #"{"key":[{"numeric":[">=",1,">",2]}]}"#, reason: "FilterPolicy: Bad numeric range operator: >"),
        .init(json: #"{"key":[{"numeric":[">",3,"<",1]}]}"#, reason: "FilterPolicy: Bottom must be less than top"),
        .init(json: #"{"key":[{"numeric":[">",3,"<=",3]}]}"#, reason: "FilterPolicy: Bottom must be less than top"),
        .init(json: #"{"key":[{"numeric":[">",20,"<="]}]}"#, reason: "FilterPolicy: Value of <= must be numeric"),
        .init(json: #"{"key":[{"numeric":[">",20,30]}]}"#, reason: "FilterPolicy: Bad value in numeric range: 30"),
        .init(
            json: #"{"key":[{"numeric":[">",20,"test"]}]}"#, reason: "FilterPolicy: Bad numeric range operator: test"),
        .init(json: #"{"key":[{"numeric":[">","20","<","30"]}]}"#, reason: "FilterPolicy: Value of > must be numeric"),
        .init(json: #"{"key":[{"numeric":[">",20,"<","30"]}]}"#, reason: "FilterPolicy: Value of < must be numeric"),
        .init(
            json: #"{"key":[{"numeric":[">",20,"<",30,"<",50]}]}"#,
            reason: "FilterPolicy: Too many terms in numeric range expression"),
        .init(json: #"{"key":[{"numeric":">"}]}"#, reason: "FilterPolicy: Value of numeric must be an array."),
        .init(
            json: #"{"key":[{"numeric":[">",1000000001]}]}"#,
            reason: "FilterPolicy: Value must be between -1.0E9 and 1.0E9, inclusive"),
        .init(
            json: #"{"key":[{"numeric":[">",0],"exists":true}]}"#,
            reason: "FilterPolicy: Too many elements in numeric expression"),
        // Limits
        .init(
            json: #"{"a":["1"],"b":["2"],"c":["3"],"d":["4"],"e":["5"],"f":["6"]}"#,
            reason: "FilterPolicy: Filter policy can not have more than 5 keys"),
        .init(
            json: #"{"a":{"b":["1"],"c":["2"],"d":["3"]},"e":{"f":["4"],"g":["5"],"h":["6"]}}"#, scope: .messageBody,
            reason: "FilterPolicy: Filter policy can not have more than 5 keys"),
        .init(
            json: #"{"a":["1"],"b":["2"],"c":["3"],"$or":[{"d":["4"],"e":["5"],"f":["6"]},{"g":["7"]}]}"#,
            reason: "FilterPolicy: Filter policy can not have more than 5 keys"),
        .init(json: "{\"key\":[\(numbers(151))]}", reason: "FilterPolicy: Filter policy is too complex"),
        .init(
            json: "{\"a\":[\(numbers(10))],\"b\":[\(numbers(16))]}",
            reason: "FilterPolicy: Filter policy is too complex"),
        // AWS's example of nesting: 3 x 4 x 2 x 3 x 1 x 3 = 216 combinations.
        .init(
            json: """
                {"key_a": {"key_b": {"key_c": ["value_one", "value_two", "value_three", "value_four"]}},
                 "key_d": {"key_e": ["value_one", "value_two", "value_three"]},
                 "key_f": ["value_one", "value_two", "value_three"]}
                """,
            scope: .messageBody, reason: "FilterPolicy: Filter policy is too complex"),
        // $or alternatives add up: 100 + 60 > 150.
        .init(
            json: "{\"$or\":[{\"a\":[\(numbers(100))]},{\"b\":[\(numbers(60))]}]}",
            reason: "FilterPolicy: Filter policy is too complex"),
        // Not JSON
        .init(
            json: #"{"key": ["a",]}"#, reason: "FilterPolicy: failed to parse JSON. unexpected character at offset 13"),
    ]

    static func numbers(_ count: Int) -> String {
        (1...count).map(String.init).joined(separator: ",")
    }

    @Test("refuses what SNS refuses, with its reason", arguments: invalid)
    func refuses(testCase: InvalidCase) {
        #expect(throws: FilterPolicy.ValidationError.self) {
            try FilterPolicy(json: testCase.json, scope: testCase.scope)
        }
        do {
            _ = try FilterPolicy(json: testCase.json, scope: testCase.scope)
        } catch {
            #expect(error.reason == testCase.reason)
            #expect(error.code == "InvalidParameter")
        }
    }

    @Test(
        "accepts well-formed policies",
        arguments: [
            #"{}"#,
            #"{"store":["example_corp"],"event":[{"anything-but":"order_cancelled"}],"customer_interests":["rugby","football","baseball"],"price_usd":[{"numeric":[">=",100]}]}"#,
            #"{"a":[null,true,false,1.5,-3,"s",{"prefix":""},{"suffix":"x"},{"equals-ignore-case":"Y"},{"exists":false}]}"#,
            #"{"a":[{"anything-but":["x","y"]},{"anything-but":[1,2]},{"anything-but":5},{"anything-but":{"prefix":"p"}},{"anything-but":{"suffix":"s"}}]}"#,
            #"{"a":[{"numeric":["=",0]},{"numeric":["<",-1e9]},{"numeric":[">",0,"<=",150]},{"numeric":[">=",1e9]}]}"#,
            #"{"source":["aws.cloudwatch"],"$or":[{"metricName":["CPUUtilization"]},{"namespace":["AWS/EC2"]}]}"#,
            // "$or" that is not an operator is an ordinary key.
            #"{"$or":["a","b"]}"#,
            #"{"$or":[{"prefix":"a"},{"suffix":"b"}]}"#,
            // Exact numbers beyond the numeric range are compared as text.
            #"{"account":[123456789012]}"#,
            // Exactly 150 combinations and five keys.
            "{\"a\":[\(numbers(10))],\"b\":[\(numbers(15))],\"c\":[1],\"d\":[1],\"e\":[1]}",
        ])
    func accepts(json: String) throws {
        _ = try FilterPolicy(json: json)
        _ = try FilterPolicy(json: json, scope: .messageBody)
    }

    @Test("accepts nesting for the message body only")
    func nesting() throws {
        let json = #"{"object":{"key":[{"prefix":"auto-"}]}}"#
        let policy = try FilterPolicy(json: json, scope: .messageBody)
        #expect(policy.scope == .messageBody)
        #expect(throws: FilterPolicy.ValidationError.self) { try FilterPolicy(json: json) }
        // 2 (depth) x 3 values x 5 x 5 = 150 combinations: at the limit.
        _ = try FilterPolicy(json: #"{"a":{"b":["1","2","3"]},"c":[1,2,3,4,5],"d":[1,2,3,4,5]}"#, scope: .messageBody)
        #expect(throws: FilterPolicy.ValidationError.self) {
            try FilterPolicy(
                json: #"{"a":{"b":["1","2","3","4"]},"c":[1,2,3,4,5],"d":[1,2,3,4,5]}"#, scope: .messageBody)
        }
    }

    @Test("words the error for each API")
    func messages() {
        do {
            _ = try FilterPolicy(json: #"{"key":[{"wrong":1}]}"#)
            Issue.record("expected an error")
        } catch {
            #expect(error.message == "Invalid parameter: FilterPolicy: Unrecognized match type wrong")
            #expect(
                error.subscribeMessage
                    == "Invalid parameter: Attributes Reason: FilterPolicy: Unrecognized match type wrong")
            #expect(error.description == error.message)
        }
    }

    @Test("limits the document size to 256 KB")
    func size() throws {
        let padding = String(repeating: " ", count: FilterPolicy.maximumSize - 12)
        _ = try FilterPolicy(json: #"{"a":["b"]}"# + padding)
        #expect(throws: FilterPolicy.ValidationError.self) { try FilterPolicy(json: #"{"a":["b"]}"# + padding + "  ") }
    }
}
