import PolicyEngine
import Testing

/// One condition block evaluated against one request context.
struct ConditionCase: Sendable, CustomTestStringConvertible {
    var block: String
    var context: PolicyContext
    var expected: Bool
    var note: String

    init(_ note: String, _ block: String, _ context: PolicyContext, _ expected: Bool) {
        self.note = note
        self.block = block
        self.context = context
        self.expected = expected
    }

    var testDescription: String { note }
}

@Suite("Condition operators")
struct ConditionTests {
    static let stringCases: [ConditionCase] = [
        .init("StringEquals match", #"{"StringEquals": {"aws:username": "alice"}}"#, ["aws:username": "alice"], true),
        .init(
            "StringEquals is case-sensitive", #"{"StringEquals": {"aws:username": "alice"}}"#,
            ["aws:username": "Alice"], false),
        .init("StringEquals absent key", #"{"StringEquals": {"aws:username": "alice"}}"#, [:], false),
        .init(
            "StringEquals key names ignore case", #"{"StringEquals": {"AWS:UserName": "alice"}}"#,
            ["aws:username": "alice"], true),
        .init(
            "StringEquals values are OR-ed", #"{"StringEquals": {"aws:username": ["bob", "alice"]}}"#,
            ["aws:username": "alice"], true),
        .init(
            "StringEquals no wildcard", #"{"StringEquals": {"aws:username": "a*"}}"#, ["aws:username": "alice"], false),
        .init(
            "StringNotEquals different", #"{"StringNotEquals": {"aws:username": ["bob", "carol"]}}"#,
            ["aws:username": "alice"], true),
        .init(
            "StringNotEquals equal to one (NOR)", #"{"StringNotEquals": {"aws:username": ["bob", "carol"]}}"#,
            ["aws:username": "carol"], false),
        .init("StringNotEquals absent key holds", #"{"StringNotEquals": {"aws:username": "bob"}}"#, [:], true),
        .init(
            "StringEqualsIgnoreCase", #"{"StringEqualsIgnoreCase": {"aws:username": "ALICE"}}"#,
            ["aws:username": "alice"], true),
        .init(
            "StringEqualsIgnoreCase non-ASCII", #"{"StringEqualsIgnoreCase": {"aws:username": "ÉLODIE"}}"#,
            ["aws:username": "élodie"], true),
        .init(
            "StringEqualsIgnoreCase different", #"{"StringEqualsIgnoreCase": {"aws:username": "ALICE"}}"#,
            ["aws:username": "alicia"], false),
        .init(
            "StringNotEqualsIgnoreCase equal", #"{"StringNotEqualsIgnoreCase": {"aws:username": "ALICE"}}"#,
            ["aws:username": "alice"], false),
        .init(
            "StringNotEqualsIgnoreCase absent", #"{"StringNotEqualsIgnoreCase": {"aws:username": "ALICE"}}"#, [:], true),
        .init("StringLike star", #"{"StringLike": {"iot:ClientId": "sensor-*"}}"#, ["iot:ClientId": "sensor-12"], true),
        .init(
            "StringLike is case-sensitive", #"{"StringLike": {"iot:ClientId": "sensor-*"}}"#,
            ["iot:ClientId": "Sensor-12"], false),
        .init(
            "StringLike question mark", #"{"StringLike": {"iot:ClientId": "sensor-?"}}"#, ["iot:ClientId": "sensor-1"],
            true),
        .init(
            "StringLike question mark is one character", #"{"StringLike": {"iot:ClientId": "sensor-?"}}"#,
            ["iot:ClientId": "sensor-12"], false),
        .init("StringLike absent", #"{"StringLike": {"iot:ClientId": "*"}}"#, [:], false),
        .init(
            "StringNotLike no match", #"{"StringNotLike": {"iot:ClientId": "sensor-*"}}"#, ["iot:ClientId": "pump-1"],
            true),
        .init(
            "StringNotLike match", #"{"StringNotLike": {"iot:ClientId": ["pump-*", "sensor-*"]}}"#,
            ["iot:ClientId": "sensor-1"], false),
        .init("StringNotLike absent holds", #"{"StringNotLike": {"iot:ClientId": "sensor-*"}}"#, [:], true),
        .init("StringEqualsIfExists absent", #"{"StringEqualsIfExists": {"aws:username": "alice"}}"#, [:], true),
        .init(
            "StringEqualsIfExists present, different", #"{"StringEqualsIfExists": {"aws:username": "alice"}}"#,
            ["aws:username": "bob"], false),
        .init(
            "StringEqualsIfExists present, equal", #"{"StringEqualsIfExists": {"aws:username": "alice"}}"#,
            ["aws:username": "alice"], true),
        .init("StringLikeIfExists absent", #"{"StringLikeIfExists": {"aws:username": "a*"}}"#, [:], true),
        .init(
            "StringNotEqualsIfExists present, equal", #"{"StringNotEqualsIfExists": {"aws:username": "a"}}"#,
            ["aws:username": "a"], false),
        .init(
            "BinaryEquals equal", #"{"BinaryEquals": {"a:key": "QmluYXJ5VmFsdWU="}}"#, ["a:key": "QmluYXJ5VmFsdWU="],
            true),
        .init(
            "BinaryEquals different", #"{"BinaryEquals": {"a:key": "QmluYXJ5VmFsdWU="}}"#, ["a:key": "QmluYXJ5"], false),
    ]

    @Test("string operators", arguments: stringCases)
    func stringOperators(_ testCase: ConditionCase) throws {
        #expect(try conditionAllows(testCase.block, testCase.context) == testCase.expected)
    }

    static let numericCases: [ConditionCase] = [
        .init("NumericEquals", #"{"NumericEquals": {"a:n": "10"}}"#, ["a:n": "10"], true),
        .init("NumericEquals compares numbers, not text", #"{"NumericEquals": {"a:n": "10"}}"#, ["a:n": "10.0"], true),
        .init("NumericEquals different", #"{"NumericEquals": {"a:n": "10"}}"#, ["a:n": "11"], false),
        .init("NumericEquals not a number", #"{"NumericEquals": {"a:n": "10"}}"#, ["a:n": "ten"], false),
        .init("NumericEquals absent", #"{"NumericEquals": {"a:n": "10"}}"#, [:], false),
        .init("NumericEquals JSON number", #"{"NumericEquals": {"a:n": 10}}"#, ["a:n": "10"], true),
        .init("NumericNotEquals different", #"{"NumericNotEquals": {"a:n": "10"}}"#, ["a:n": "11"], true),
        .init("NumericNotEquals equal", #"{"NumericNotEquals": {"a:n": "10"}}"#, ["a:n": "10"], false),
        .init("NumericNotEquals absent holds", #"{"NumericNotEquals": {"a:n": "10"}}"#, [:], true),
        .init("NumericLessThan less", #"{"NumericLessThan": {"s3:max-keys": 10}}"#, ["s3:max-keys": "9"], true),
        .init("NumericLessThan equal", #"{"NumericLessThan": {"s3:max-keys": 10}}"#, ["s3:max-keys": "10"], false),
        .init("NumericLessThanEquals equal", #"{"NumericLessThanEquals": {"a:n": "10"}}"#, ["a:n": "10"], true),
        .init("NumericLessThanEquals greater", #"{"NumericLessThanEquals": {"a:n": "10"}}"#, ["a:n": "10.5"], false),
        .init("NumericGreaterThan greater", #"{"NumericGreaterThan": {"a:n": "10"}}"#, ["a:n": "11"], true),
        .init("NumericGreaterThan equal", #"{"NumericGreaterThan": {"a:n": "10"}}"#, ["a:n": "10"], false),
        .init("NumericGreaterThan negative", #"{"NumericGreaterThan": {"a:n": "-5"}}"#, ["a:n": "-4.5"], true),
        .init("NumericGreaterThanEquals equal", #"{"NumericGreaterThanEquals": {"a:n": "10"}}"#, ["a:n": "10"], true),
        .init("NumericGreaterThanEquals less", #"{"NumericGreaterThanEquals": {"a:n": "10"}}"#, ["a:n": "9"], false),
        .init(
            "NumericLessThan any of several values", #"{"NumericLessThan": {"a:n": ["1", "100"]}}"#, ["a:n": "50"], true
        ),
        .init("NumericLessThanIfExists absent", #"{"NumericLessThanIfExists": {"a:n": "10"}}"#, [:], true),
        .init("NumericLessThanIfExists present", #"{"NumericLessThanIfExists": {"a:n": "10"}}"#, ["a:n": "20"], false),
    ]

    @Test("numeric operators", arguments: numericCases)
    func numericOperators(_ testCase: ConditionCase) throws {
        #expect(try conditionAllows(testCase.block, testCase.context) == testCase.expected)
    }

    static let dateCases: [ConditionCase] = [
        .init(
            "DateLessThan earlier", #"{"DateLessThan": {"aws:CurrentTime": "2030-01-01T00:00:00Z"}}"#,
            ["aws:CurrentTime": "2024-05-01T12:00:00Z"], true),
        .init(
            "DateLessThan later", #"{"DateLessThan": {"aws:CurrentTime": "2030-01-01T00:00:00Z"}}"#,
            ["aws:CurrentTime": "2031-01-01T00:00:00Z"], false),
        .init("DateLessThan absent", #"{"DateLessThan": {"aws:CurrentTime": "2030-01-01T00:00:00Z"}}"#, [:], false),
        .init(
            "DateLessThan unparseable request", #"{"DateLessThan": {"aws:CurrentTime": "2030-01-01T00:00:00Z"}}"#,
            ["aws:CurrentTime": "yesterday"], false),
        .init(
            "DateGreaterThan epoch policy value", #"{"DateGreaterThan": {"aws:CurrentTime": 1700000000}}"#,
            ["aws:CurrentTime": "2024-05-01T00:00:00Z"], true),
        .init(
            "DateGreaterThan epoch request value", #"{"DateGreaterThan": {"aws:EpochTime": "2024-01-01T00:00:00Z"}}"#,
            ["aws:EpochTime": "1714521600"], true),
        .init(
            "DateEquals across time zones", #"{"DateEquals": {"aws:CurrentTime": "2024-05-01T12:00:00Z"}}"#,
            ["aws:CurrentTime": "2024-05-01T14:00:00+02:00"], true),
        .init(
            "DateEquals date only", #"{"DateEquals": {"aws:CurrentTime": "2024-05-01"}}"#,
            ["aws:CurrentTime": "2024-05-01T00:00:00Z"], true),
        .init(
            "DateNotEquals equal", #"{"DateNotEquals": {"aws:CurrentTime": "2024-05-01T12:00:00Z"}}"#,
            ["aws:CurrentTime": "2024-05-01T12:00:00Z"], false),
        .init(
            "DateNotEquals absent holds", #"{"DateNotEquals": {"aws:CurrentTime": "2024-05-01T12:00:00Z"}}"#, [:], true),
        .init(
            "DateLessThanEquals equal", #"{"DateLessThanEquals": {"aws:CurrentTime": "2024-05-01T12:00:00Z"}}"#,
            ["aws:CurrentTime": "2024-05-01T12:00:00.000Z"], true),
        .init(
            "DateGreaterThanEquals equal epoch and ISO",
            #"{"DateGreaterThanEquals": {"aws:EpochTime": "2024-05-01T00:00:00Z"}}"#, ["aws:EpochTime": "1714521600"],
            true),
        .init(
            "DateGreaterThanEquals earlier", #"{"DateGreaterThanEquals": {"aws:CurrentTime": "2024-05-01T00:00:00Z"}}"#,
            ["aws:CurrentTime": "2024-04-30T23:59:59Z"], false),
        .init(
            "DateLessThanIfExists absent", #"{"DateLessThanIfExists": {"aws:TokenIssueTime": "2020-01-01"}}"#, [:], true
        ),
    ]

    @Test("date operators", arguments: dateCases)
    func dateOperators(_ testCase: ConditionCase) throws {
        #expect(try conditionAllows(testCase.block, testCase.context) == testCase.expected)
    }

    static let boolAndNullCases: [ConditionCase] = [
        .init("Bool true", #"{"Bool": {"aws:SecureTransport": "true"}}"#, ["aws:SecureTransport": "true"], true),
        .init("Bool JSON literal", #"{"Bool": {"aws:SecureTransport": true}}"#, ["aws:SecureTransport": "TRUE"], true),
        .init(
            "Bool false request", #"{"Bool": {"aws:SecureTransport": "true"}}"#, ["aws:SecureTransport": "false"], false
        ),
        .init(
            "Bool expects false", #"{"Bool": {"aws:SecureTransport": "false"}}"#, ["aws:SecureTransport": "false"], true
        ),
        .init("Bool absent", #"{"Bool": {"aws:SecureTransport": "false"}}"#, [:], false),
        .init(
            "Bool not a boolean", #"{"Bool": {"aws:SecureTransport": "true"}}"#, ["aws:SecureTransport": "yes"], false),
        .init("BoolIfExists absent", #"{"BoolIfExists": {"aws:MultiFactorAuthPresent": "true"}}"#, [:], true),
        .init("Null true, absent", #"{"Null": {"aws:TokenIssueTime": "true"}}"#, [:], true),
        .init(
            "Null true, present", #"{"Null": {"aws:TokenIssueTime": "true"}}"#,
            ["aws:TokenIssueTime": "2024-01-01T00:00:00Z"], false),
        .init("Null false, present", #"{"Null": {"aws:TokenIssueTime": "false"}}"#, ["aws:TokenIssueTime": "x"], true),
        .init("Null false, absent", #"{"Null": {"aws:TokenIssueTime": "false"}}"#, [:], false),
        .init("Null true, empty multi-valued key", #"{"Null": {"aws:TagKeys": true}}"#, ["aws:TagKeys": []], true),
    ]

    @Test("Bool and Null operators", arguments: boolAndNullCases)
    func boolAndNull(_ testCase: ConditionCase) throws {
        #expect(try conditionAllows(testCase.block, testCase.context) == testCase.expected)
    }

    static let ipCases: [ConditionCase] = [
        .init(
            "IpAddress IPv4 inside", #"{"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}"#,
            ["aws:SourceIp": "203.0.113.7"], true),
        .init(
            "IpAddress IPv4 outside", #"{"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}"#,
            ["aws:SourceIp": "203.0.114.7"], false),
        .init("IpAddress absent", #"{"IpAddress": {"aws:SourceIp": "0.0.0.0/0"}}"#, [:], false),
        .init(
            "IpAddress bare address", #"{"IpAddress": {"aws:SourceIp": "192.0.2.1"}}"#, ["aws:SourceIp": "192.0.2.1"],
            true),
        .init(
            "IpAddress bare address, other", #"{"IpAddress": {"aws:SourceIp": "192.0.2.1"}}"#,
            ["aws:SourceIp": "192.0.2.2"], false),
        .init(
            "IpAddress IPv6 block", #"{"IpAddress": {"aws:SourceIp": ["10.0.0.0/8", "2001:db8::/32"]}}"#,
            ["aws:SourceIp": "2001:db8:1::5"], true),
        .init(
            "IpAddress IPv6 outside", #"{"IpAddress": {"aws:SourceIp": ["10.0.0.0/8", "2001:db8::/32"]}}"#,
            ["aws:SourceIp": "2001:db9::1"], false),
        .init(
            "IpAddress IPv4 does not match an IPv6 block", #"{"IpAddress": {"aws:SourceIp": "::/0"}}"#,
            ["aws:SourceIp": "10.0.0.1"], false),
        .init(
            "IpAddress IPv4-mapped address", #"{"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}"#,
            ["aws:SourceIp": "::ffff:10.1.2.3"], true),
        .init(
            "IpAddress not an address", #"{"IpAddress": {"aws:SourceIp": "0.0.0.0/0"}}"#, ["aws:SourceIp": "localhost"],
            false),
        .init(
            "NotIpAddress outside", #"{"NotIpAddress": {"aws:SourceIp": "203.0.113.0/24"}}"#,
            ["aws:SourceIp": "198.51.100.1"], true),
        .init(
            "NotIpAddress inside", #"{"NotIpAddress": {"aws:SourceIp": "203.0.113.0/24"}}"#,
            ["aws:SourceIp": "203.0.113.9"], false),
        .init("NotIpAddress absent holds", #"{"NotIpAddress": {"aws:SourceIp": "203.0.113.0/24"}}"#, [:], true),
        .init("IpAddressIfExists absent", #"{"IpAddressIfExists": {"aws:SourceIp": "203.0.113.0/24"}}"#, [:], true),
    ]

    @Test("IP address operators", arguments: ipCases)
    func ipOperators(_ testCase: ConditionCase) throws {
        #expect(try conditionAllows(testCase.block, testCase.context) == testCase.expected)
    }

    static let arnCases: [ConditionCase] = [
        .init(
            "ArnLike wildcard region", #"{"ArnLike": {"aws:SourceArn": "arn:aws:iot:*:123456789012:rule/*"}}"#,
            ["aws:SourceArn": "arn:aws:iot:us-east-1:123456789012:rule/r1"], true),
        .init(
            "ArnLike other account", #"{"ArnLike": {"aws:SourceArn": "arn:aws:iot:*:123456789012:rule/*"}}"#,
            ["aws:SourceArn": "arn:aws:iot:us-east-1:999999999999:rule/r1"], false),
        .init(
            "ArnLike star does not cross components", #"{"ArnLike": {"aws:SourceArn": "arn:aws:iot:us-*:rule/*"}}"#,
            ["aws:SourceArn": "arn:aws:iot:us-east-1:123456789012:rule/r1"], false),
        .init(
            "ArnLike resource with colons", #"{"ArnLike": {"aws:SourceArn": "arn:aws:s3:::bucket/*"}}"#,
            ["aws:SourceArn": "arn:aws:s3:::bucket/a:b"], true),
        .init(
            "ArnLike request not an ARN", #"{"ArnLike": {"aws:SourceArn": "arn:aws:s3:::*"}}"#,
            ["aws:SourceArn": "bucket"], false),
        .init(
            "ArnLike star alone", #"{"ArnLike": {"aws:SourceArn": "*"}}"#,
            ["aws:SourceArn": "arn:aws:sns:us-east-1:1:t"], true),
        .init(
            "ArnEquals exact", #"{"ArnEquals": {"aws:SourceArn": "arn:aws:sns:us-east-1:123456789012:topic"}}"#,
            ["aws:SourceArn": "arn:aws:sns:us-east-1:123456789012:topic"], true),
        .init(
            "ArnEquals is case-sensitive",
            #"{"ArnEquals": {"aws:SourceArn": "arn:aws:sns:us-east-1:123456789012:topic"}}"#,
            ["aws:SourceArn": "arn:aws:sns:us-east-1:123456789012:Topic"], false),
        .init(
            "ArnEquals accepts wildcards like ArnLike",
            #"{"ArnEquals": {"aws:SourceArn": "arn:aws:sns:*:123456789012:*"}}"#,
            ["aws:SourceArn": "arn:aws:sns:eu-west-1:123456789012:t"], true),
        .init(
            "ArnNotLike no match", #"{"ArnNotLike": {"aws:SourceArn": "arn:aws:iot:*:*:rule/internal*"}}"#,
            ["aws:SourceArn": "arn:aws:iot:us-east-1:1:rule/public"], true),
        .init(
            "ArnNotLike match", #"{"ArnNotLike": {"aws:SourceArn": "arn:aws:iot:*:*:rule/internal*"}}"#,
            ["aws:SourceArn": "arn:aws:iot:us-east-1:1:rule/internal1"], false),
        .init("ArnNotLike absent holds", #"{"ArnNotLike": {"aws:SourceArn": "arn:aws:iot:*:*:rule/*"}}"#, [:], true),
        .init(
            "ArnNotEquals equal", #"{"ArnNotEquals": {"aws:SourceArn": "arn:aws:iot:us-east-1:1:rule/r"}}"#,
            ["aws:SourceArn": "arn:aws:iot:us-east-1:1:rule/r"], false),
        .init(
            "ArnLikeIfExists absent", #"{"ArnLikeIfExists": {"aws:SourceArn": "arn:aws:iot:*:*:rule/*"}}"#, [:], true),
    ]

    @Test("ARN operators", arguments: arnCases)
    func arnOperators(_ testCase: ConditionCase) throws {
        #expect(try conditionAllows(testCase.block, testCase.context) == testCase.expected)
    }

    static let setCases: [ConditionCase] = [
        .init(
            "ForAllValues all match", #"{"ForAllValues:StringEquals": {"aws:TagKeys": ["a", "b"]}}"#,
            ["aws:TagKeys": ["a"]], true),
        .init(
            "ForAllValues one does not", #"{"ForAllValues:StringEquals": {"aws:TagKeys": ["a", "b"]}}"#,
            ["aws:TagKeys": ["a", "c"]], false),
        .init(
            "ForAllValues absent key holds", #"{"ForAllValues:StringEquals": {"aws:TagKeys": ["a", "b"]}}"#, [:], true),
        .init(
            "ForAllValues empty list holds", #"{"ForAllValues:StringEquals": {"aws:TagKeys": ["a", "b"]}}"#,
            ["aws:TagKeys": []], true),
        .init(
            "ForAnyValue one matches", #"{"ForAnyValue:StringEquals": {"aws:TagKeys": ["a", "b"]}}"#,
            ["aws:TagKeys": ["c", "a"]], true),
        .init(
            "ForAnyValue none matches", #"{"ForAnyValue:StringEquals": {"aws:TagKeys": ["a", "b"]}}"#,
            ["aws:TagKeys": ["c"]], false),
        .init(
            "ForAnyValue absent key fails", #"{"ForAnyValue:StringEquals": {"aws:TagKeys": ["a", "b"]}}"#, [:], false),
        .init(
            "ForAnyValue empty list fails", #"{"ForAnyValue:StringEquals": {"aws:TagKeys": ["a", "b"]}}"#,
            ["aws:TagKeys": []], false),
        .init(
            "ForAnyValue single value", #"{"ForAnyValue:StringLike": {"aws:TagKeys": "env*"}}"#,
            ["aws:TagKeys": "environment"], true),
        // AWS's published tables for the negated forms.
        .init(
            "ForAllValues:StringNotEquals absent",
            #"{"ForAllValues:StringNotEquals": {"aws:TagKeys": ["DataClass", "Owner"]}}"#, [:], true),
        .init(
            "ForAllValues:StringNotEquals both listed",
            #"{"ForAllValues:StringNotEquals": {"aws:TagKeys": ["DataClass", "Owner"]}}"#,
            ["aws:TagKeys": ["DataClass", "Owner"]], false),
        .init(
            "ForAllValues:StringNotEquals one listed",
            #"{"ForAllValues:StringNotEquals": {"aws:TagKeys": ["DataClass", "Owner"]}}"#,
            ["aws:TagKeys": ["Dept", "DataClass"]], false),
        .init(
            "ForAllValues:StringNotEquals none listed",
            #"{"ForAllValues:StringNotEquals": {"aws:TagKeys": ["DataClass", "Owner"]}}"#,
            ["aws:TagKeys": ["Dept", "SIC"]], true),
        .init(
            "ForAnyValue:StringNotEquals absent",
            #"{"ForAnyValue:StringNotEquals": {"aws:TagKeys": ["DataClass", "Owner"]}}"#, [:], false),
        .init(
            "ForAnyValue:StringNotEquals both listed",
            #"{"ForAnyValue:StringNotEquals": {"aws:TagKeys": ["DataClass", "Owner"]}}"#,
            ["aws:TagKeys": ["DataClass", "Owner"]], false),
        .init(
            "ForAnyValue:StringNotEquals one unlisted",
            #"{"ForAnyValue:StringNotEquals": {"aws:TagKeys": ["DataClass", "Owner"]}}"#,
            ["aws:TagKeys": ["Dept", "DataClass"]], true),
        .init(
            "ForAllValues:StringNotLike key1:legal", #"{"ForAllValues:StringNotLike": {"aws:TagKeys": "key1*"}}"#,
            ["aws:TagKeys": ["key1:legal"]], false),
        .init(
            "ForAllValues:StringNotLike key1:hr, key1:personnel",
            #"{"ForAllValues:StringNotLike": {"aws:TagKeys": "key1*"}}"#,
            ["aws:TagKeys": ["key1:hr", "key1:personnel"]], false),
        .init(
            "ForAllValues:StringNotLike key2:audit", #"{"ForAllValues:StringNotLike": {"aws:TagKeys": "key1*"}}"#,
            ["aws:TagKeys": ["key2:audit"]], true),
        .init(
            "ForAllValues:StringNotLike absent", #"{"ForAllValues:StringNotLike": {"aws:TagKeys": "key1*"}}"#, [:], true
        ),
        .init("ForAnyValue IfExists absent", #"{"ForAnyValue:StringLikeIfExists": {"aws:TagKeys": "a*"}}"#, [:], true),
        .init(
            "ForAnyValue IfExists present", #"{"ForAnyValue:StringLikeIfExists": {"aws:TagKeys": "a*"}}"#,
            ["aws:TagKeys": ["b"]], false),
        .init(
            "ForAllValues numeric", #"{"ForAllValues:NumericLessThan": {"a:ports": "1024"}}"#,
            ["a:ports": ["22", "80"]], true),
        .init(
            "ForAllValues numeric one too big", #"{"ForAllValues:NumericLessThan": {"a:ports": "1024"}}"#,
            ["a:ports": ["22", "8080"]], false),
        .init(
            "no qualifier, multi-valued key: any value", #"{"StringEquals": {"aws:TagKeys": "a"}}"#,
            ["aws:TagKeys": ["b", "a"]], true),
        .init(
            "no qualifier, negated, multi-valued key", #"{"StringNotEquals": {"aws:TagKeys": "a"}}"#,
            ["aws:TagKeys": ["b", "a"]], false),
    ]

    @Test("ForAllValues and ForAnyValue", arguments: setCases)
    func setOperators(_ testCase: ConditionCase) throws {
        #expect(try conditionAllows(testCase.block, testCase.context) == testCase.expected)
    }

    static let blockCases: [ConditionCase] = [
        .init(
            "two keys of one operator: both hold", #"{"StringEquals": {"a:x": "1", "a:y": "2"}}"#,
            ["a:x": "1", "a:y": "2"], true),
        .init(
            "two keys of one operator: one absent", #"{"StringEquals": {"a:x": "1", "a:y": "2"}}"#, ["a:x": "1"], false),
        .init(
            "two operators: both hold", #"{"StringEquals": {"a:x": "1"}, "NumericLessThan": {"a:n": "5"}}"#,
            ["a:x": "1", "a:n": "3"], true),
        .init(
            "two operators: one fails", #"{"StringEquals": {"a:x": "1"}, "NumericLessThan": {"a:n": "5"}}"#,
            ["a:x": "1", "a:n": "7"], false),
        .init("empty Condition object", #"{}"#, [:], true),
    ]

    @Test("a condition block is an AND of its operators and keys", arguments: blockCases)
    func conditionBlocks(_ testCase: ConditionCase) throws {
        #expect(try conditionAllows(testCase.block, testCase.context) == testCase.expected)
    }

    @Test("a Deny with a negated condition denies when the key is absent")
    func denyWithAbsentKey() throws {
        let document = try identityPolicy(
            """
            {"Version": "2012-10-17", "Statement": [
              {"Effect": "Allow", "Action": "iot:*", "Resource": "*"},
              {"Effect": "Deny", "Action": "iot:*", "Resource": "*",
               "Condition": {"StringNotEquals": {"iot:Connection.Thing.ThingTypeName": "sensor"}}}
            ]}
            """
        )
        let resource = iotARN("topic/a")
        #expect(
            PolicyEvaluator.evaluate(action: "iot:Publish", resource: resource, document: document) == .explicitDeny)
        let sensor: PolicyContext = ["iot:Connection.Thing.ThingTypeName": "sensor"]
        #expect(
            PolicyEvaluator.evaluate(action: "iot:Publish", resource: resource, context: sensor, document: document)
                == .allowed)
    }

    @Test("condition keys come from the request context first, then from the fixed context")
    func contextLayers() throws {
        let document = try identityPolicy(
            """
            {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "iot:Publish", "Resource": "*",
             "Condition": {"Bool": {"iot:Connection.Thing.IsAttached": "true"},
                           "StringEquals": {"a:mode": "on"}}}}
            """
        )
        let set = CompiledPolicySet(
            policies: [(name: "p", document: document)],
            variables: ["iot:Connection.Thing.IsAttached": "true", "a:mode": "off"]
        )
        #expect(set.outcome(.publish, resourceName: "t", scope: testScope) == .implicitDeny)
        #expect(set.outcome(.publish, resourceName: "t", scope: testScope, context: ["a:mode": "on"]) == .allowed)
        #expect(set.outcome(action: "iot:Publish", resource: iotARN("topic/t"), context: ["A:MODE": "on"]) == .allowed)
    }
}
