import PolicyEngine
import Testing

@Suite("Policy variables")
struct PolicyVariableTests {
    /// A one-statement Allow for `iot:*` on `resource`, under `version` (nil: no Version).
    func policy(resource: String, version: String? = "2012-10-17") throws -> PolicyDocument {
        let versionMember = version.map { #""Version": "\#($0)", "# } ?? ""
        return try identityPolicy(
            #"{\#(versionMember)"Statement": {"Effect": "Allow", "Action": "iot:*", "Resource": "\#(resource)"}}"#
        )
    }

    func allows(_ document: PolicyDocument, _ resourceSuffix: String, _ context: PolicyContext) -> Bool {
        PolicyEvaluator.evaluate(
            action: "iot:Connect",
            resource: iotARN(resourceSuffix),
            context: context,
            document: document
        ) == .allowed
    }

    struct VariableCase: Sendable, CustomTestStringConvertible {
        var note: String
        var resource: String
        var version: String? = "2012-10-17"
        var request: String
        var context: PolicyContext
        var expected: Bool
        var testDescription: String { note }
    }

    static let clientResource = "arn:aws:iot:us-east-1:123456789012:client/${iot:ClientId}"

    static let cases: [VariableCase] = [
        .init(
            note: "substituted", resource: clientResource, request: "client/dev1", context: ["iot:ClientId": "dev1"],
            expected: true),
        .init(
            note: "substituted, other client", resource: clientResource, request: "client/dev2",
            context: ["iot:ClientId": "dev1"], expected: false),
        .init(
            note: "missing value matches nothing", resource: clientResource, request: "client/", context: [:],
            expected: false),
        .init(
            note: "missing value is not the literal text", resource: clientResource, request: "client/${iot:ClientId}",
            context: [:], expected: false),
        .init(
            note: "multi-valued key is not substituted", resource: clientResource, request: "client/a",
            context: ["iot:ClientId": ["a"]], expected: false),
        .init(
            note: "variable names ignore case", resource: "arn:aws:iot:us-east-1:123456789012:client/${IOT:clientid}",
            request: "client/dev1", context: ["iot:ClientId": "dev1"], expected: true),
        .init(
            note: "spaces inside the braces", resource: "arn:aws:iot:us-east-1:123456789012:client/${ iot:ClientId }",
            request: "client/dev1", context: ["iot:ClientId": "dev1"], expected: true),
        .init(
            note: "substituted value is literal, not a wildcard", resource: clientResource, request: "client/other",
            context: ["iot:ClientId": "*"], expected: false),
        .init(
            note: "substituted star matches a literal star", resource: clientResource, request: "client/*",
            context: ["iot:ClientId": "*"], expected: true),
        .init(
            note: "substituted question mark is literal", resource: clientResource, request: "client/x",
            context: ["iot:ClientId": "?"], expected: false),
        .init(
            note: "wildcards around a variable", resource: "arn:aws:iot:us-east-1:123456789012:topic/${iot:ClientId}/*",
            request: "topic/dev1/a/b", context: ["iot:ClientId": "dev1"], expected: true),
        .init(
            note: "two variables",
            resource:
                "arn:aws:iot:us-east-1:123456789012:topic/${iot:Connection.Thing.ThingTypeName}/${iot:Connection.Thing.ThingName}",
            request: "topic/lamp/kitchen",
            context: ["iot:Connection.Thing.ThingTypeName": "lamp", "iot:Connection.Thing.ThingName": "kitchen"],
            expected: true),
        .init(
            note: "two variables, one missing",
            resource:
                "arn:aws:iot:us-east-1:123456789012:topic/${iot:Connection.Thing.ThingTypeName}/${iot:Connection.Thing.ThingName}",
            request: "topic//kitchen", context: ["iot:Connection.Thing.ThingName": "kitchen"], expected: false),
        .init(
            note: "thing attribute",
            resource: "arn:aws:iot:us-east-1:123456789012:topic/${iot:Connection.Thing.Attributes[location]}/*",
            request: "topic/kitchen/temp", context: ["iot:Connection.Thing.Attributes[location]": "kitchen"],
            expected: true),
        .init(
            note: "thing attribute names keep their case",
            resource: "arn:aws:iot:us-east-1:123456789012:topic/${iot:Connection.Thing.Attributes[location]}/*",
            request: "topic/kitchen/temp", context: ["iot:Connection.Thing.Attributes[Location]": "kitchen"],
            expected: false),
        .init(
            note: "thing attribute prefix ignores case",
            resource: "arn:aws:iot:us-east-1:123456789012:topic/${IoT:connection.thing.attributes[location]}",
            request: "topic/hall", context: ["iot:Connection.Thing.Attributes[location]": "hall"], expected: true),
        .init(
            note: "${*} is a literal star", resource: "arn:aws:iot:us-east-1:123456789012:topic/a${*}b",
            request: "topic/a*b", context: [:], expected: true),
        .init(
            note: "${*} is not a wildcard", resource: "arn:aws:iot:us-east-1:123456789012:topic/a${*}b",
            request: "topic/axxb", context: [:], expected: false),
        .init(
            note: "${?} is a literal question mark", resource: "arn:aws:iot:us-east-1:123456789012:topic/a${?}",
            request: "topic/a?", context: [:], expected: true),
        .init(
            note: "${?} is not a wildcard", resource: "arn:aws:iot:us-east-1:123456789012:topic/a${?}",
            request: "topic/ab", context: [:], expected: false),
        .init(
            note: "${$} is a literal dollar", resource: "arn:aws:iot:us-east-1:123456789012:topic/${$}{iot:ClientId}",
            request: "topic/${iot:ClientId}", context: ["iot:ClientId": "dev1"], expected: true),
        .init(
            note: "$aws needs no escape",
            resource: "arn:aws:iot:us-east-1:123456789012:topic/$aws/things/${iot:ClientId}/shadow/*",
            request: "topic/$aws/things/dev1/shadow/get", context: ["iot:ClientId": "dev1"], expected: true),
        .init(
            note: "default value used when absent",
            resource: "arn:aws:iot:us-east-1:123456789012:client/${aws:username, 'anonymous'}",
            request: "client/anonymous", context: [:], expected: true),
        .init(
            note: "default value ignored when present",
            resource: "arn:aws:iot:us-east-1:123456789012:client/${aws:username, 'anonymous'}",
            request: "client/anonymous", context: ["aws:username": "bob"], expected: false),
        .init(
            note: "default value with a doubled quote",
            resource: "arn:aws:iot:us-east-1:123456789012:client/${aws:username, 'o''brien'}",
            request: "client/o'brien", context: [:], expected: true),
        .init(
            note: "unterminated variable is text", resource: "arn:aws:iot:us-east-1:123456789012:client/${iot:ClientId",
            request: "client/${iot:ClientId", context: ["iot:ClientId": "dev1"], expected: true),
        .init(
            note: "empty variable is text", resource: "arn:aws:iot:us-east-1:123456789012:client/${}",
            request: "client/${}", context: [:], expected: true),
        .init(
            note: "2008-10-17: variables are literal", resource: clientResource, version: "2008-10-17",
            request: "client/${iot:ClientId}", context: ["iot:ClientId": "dev1"], expected: true),
        .init(
            note: "2008-10-17: no substitution", resource: clientResource, version: "2008-10-17",
            request: "client/dev1", context: ["iot:ClientId": "dev1"], expected: false),
        .init(
            note: "no Version: variables are literal", resource: clientResource, version: nil,
            request: "client/${iot:ClientId}", context: ["iot:ClientId": "dev1"], expected: true),
        .init(
            note: "no Version: no substitution", resource: clientResource, version: nil, request: "client/dev1",
            context: ["iot:ClientId": "dev1"], expected: false),
        .init(
            note: "no Version: escapes are literal text", resource: "arn:aws:iot:us-east-1:123456789012:topic/${*}",
            version: nil, request: "topic/${*}", context: [:], expected: true),
    ]

    @Test("in Resource", arguments: cases)
    func resourceVariables(_ testCase: VariableCase) throws {
        let document = try policy(resource: testCase.resource, version: testCase.version)
        #expect(allows(document, testCase.request, testCase.context) == testCase.expected)
    }

    @Test("a statement whose only resource cannot be resolved does not apply, others still do")
    func unresolvedStatementDropped() throws {
        let document = try identityPolicy(
            """
            {"Version": "2012-10-17", "Statement": [
              {"Effect": "Deny", "Action": "iot:Publish", "Resource": "arn:aws:iot:us-east-1:123456789012:topic/${iot:Connection.Thing.ThingName}/*"},
              {"Effect": "Allow", "Action": "iot:Publish", "Resource": ["arn:aws:iot:us-east-1:123456789012:topic/${iot:Connection.Thing.ThingName}", "arn:aws:iot:us-east-1:123456789012:topic/open"]}
            ]}
            """
        )
        let set = CompiledPolicySet(policies: [(name: "p", document: document)], variables: ["iot:ClientId": "c"])
        #expect(set.outcome(.publish, resourceName: "open", scope: testScope) == .allowed)
        #expect(set.outcome(.publish, resourceName: "", scope: testScope) == .implicitDeny)
        #expect(set.outcome(.publish, resourceName: "x/y", scope: testScope) == .implicitDeny)
    }

    @Test("NotResource with an unresolved variable excludes nothing")
    func unresolvedNotResource() throws {
        let document = try identityPolicy(
            """
            {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "iot:Publish",
             "NotResource": "arn:aws:iot:us-east-1:123456789012:topic/${iot:ClientId}"}}
            """
        )
        let missing = CompiledPolicySet(policies: [(name: "p", document: document)])
        #expect(missing.outcome(.publish, resourceName: "anything", scope: testScope) == .allowed)
        let present = CompiledPolicySet(policies: [(name: "p", document: document)], variables: ["iot:ClientId": "me"])
        #expect(present.outcome(.publish, resourceName: "me", scope: testScope) == .implicitDeny)
        #expect(present.outcome(.publish, resourceName: "you", scope: testScope) == .allowed)
    }

    static let conditionCases: [ConditionCase] = [
        .init(
            "StringEquals with a variable", #"{"StringEquals": {"iot:Connection.Thing.ThingName": "${iot:ClientId}"}}"#,
            ["iot:Connection.Thing.ThingName": "t1", "iot:ClientId": "t1"], true),
        .init(
            "StringEquals with a variable, different",
            #"{"StringEquals": {"iot:Connection.Thing.ThingName": "${iot:ClientId}"}}"#,
            ["iot:Connection.Thing.ThingName": "t1", "iot:ClientId": "t2"], false),
        .init(
            "StringEquals with a missing variable",
            #"{"StringEquals": {"iot:Connection.Thing.ThingName": "${iot:ClientId}"}}"#,
            ["iot:Connection.Thing.ThingName": "t1"], false),
        .init(
            "StringEquals, missing variable is not its text", #"{"StringEquals": {"a:k": "${iot:ClientId}"}}"#,
            ["a:k": "${iot:ClientId}"], false),
        .init(
            "StringNotEquals with a missing variable holds",
            #"{"StringNotEquals": {"iot:Connection.Thing.ThingName": "${iot:ClientId}"}}"#,
            ["iot:Connection.Thing.ThingName": "t1"], true),
        .init(
            "StringLike with a variable and wildcard", #"{"StringLike": {"s3:prefix": "${aws:username}/*"}}"#,
            ["s3:prefix": "alice/docs", "aws:username": "alice"], true),
        .init(
            "StringLike variable value is literal", #"{"StringLike": {"s3:prefix": "${aws:username}/x"}}"#,
            ["s3:prefix": "alice/x", "aws:username": "*"], false),
        .init("StringLike ${*} is literal", #"{"StringLike": {"a:k": "a${*}"}}"#, ["a:k": "a*"], true),
        .init("StringLike ${*} is not a wildcard", #"{"StringLike": {"a:k": "a${*}"}}"#, ["a:k": "abc"], false),
        .init(
            "ArnEquals with a variable",
            #"{"ArnEquals": {"aws:SourceArn": "arn:aws:iot:us-east-1:123456789012:thing/${iot:Connection.Thing.ThingName}"}}"#,
            ["aws:SourceArn": "arn:aws:iot:us-east-1:123456789012:thing/t1", "iot:Connection.Thing.ThingName": "t1"],
            true),
        .init(
            "ArnLike with an ARN-valued variable", #"{"ArnLike": {"aws:SourceArn": "${a:expected}"}}"#,
            ["aws:SourceArn": "arn:aws:iot:us-east-1:1:rule/r", "a:expected": "arn:aws:iot:us-east-1:1:rule/r"], true),
        .init(
            "NumericEquals does not substitute", #"{"NumericEquals": {"a:n": "${a:m}"}}"#, ["a:n": "5", "a:m": "5"],
            false),
        .init(
            "IpAddress does not substitute", #"{"IpAddress": {"aws:SourceIp": "${a:cidr}"}}"#,
            ["aws:SourceIp": "10.0.0.1", "a:cidr": "10.0.0.0/8"], false),
        .init(
            "default value in a condition", #"{"StringEquals": {"a:k": "${aws:username, 'nobody'}"}}"#,
            ["a:k": "nobody"], true),
    ]

    @Test("in Condition values", arguments: conditionCases)
    func conditionVariables(_ testCase: ConditionCase) throws {
        #expect(try conditionAllows(testCase.block, testCase.context) == testCase.expected)
    }

    @Test("2008-10-17: condition values are literal")
    func conditionVariables2008() throws {
        let document = try identityPolicy(
            """
            {"Version": "2008-10-17", "Statement": {"Effect": "Allow", "Action": "iot:*", "Resource": "*",
             "Condition": {"StringEquals": {"a:k": "${iot:ClientId}"}}}}
            """
        )
        let resource = iotARN("topic/t")
        let literal: PolicyContext = ["a:k": "${iot:ClientId}", "iot:ClientId": "c"]
        let substituted: PolicyContext = ["a:k": "c", "iot:ClientId": "c"]
        #expect(
            PolicyEvaluator.evaluate(action: "iot:Publish", resource: resource, context: literal, document: document)
                == .allowed)
        #expect(
            PolicyEvaluator.evaluate(
                action: "iot:Publish", resource: resource, context: substituted, document: document) == .implicitDeny)
    }

    @Test("context keys are normalized")
    func contextNormalization() {
        var context = PolicyContext()
        context["IOT:Connection.Thing.Attributes[Color]"] = "red"
        #expect(context["iot:connection.thing.attributes[Color]"] == "red")
        #expect(context["iot:connection.thing.attributes[color]"] == nil)
        #expect(PolicyContext.normalizedKey("AWS:SourceIp") == "aws:sourceip")
        #expect(
            PolicyContext.normalizedKey("iot:Connection.Thing.Attributes[Mixed]")
                == "iot:connection.thing.attributes[Mixed]")
        var merged: PolicyContext = ["a:x": "1", "a:y": "1"]
        merged.merge(["A:Y": "2"])
        #expect(merged == ["a:x": "1", "a:y": "2"])
        #expect(PolicyContext.Value.multiple(["a", "b"]).values == ["a", "b"])
        #expect(PolicyContext.Value.multiple(["a"]).single == nil)
        #expect(PolicyContext(["K:V": "x"])["k:v"] == "x")
        #expect(PolicyContext().isEmpty)
    }

    @Test(
        "a key already normalized is kept as it is; any capital or non-ASCII letter before '[' is lowered",
        arguments: [
            ("iot:clientid", "iot:clientid"),
            ("iot:connection.thing.attributes[Color]", "iot:connection.thing.attributes[Color]"),
            ("iot:ClientId", "iot:clientid"),
            ("iot:clientiD[X]", "iot:clientid[X]"),
            ("aws:Ünïcode", "aws:ünïcode"),
            ("", ""),
        ])
    func normalizedKeyForms(key: String, normalized: String) {
        #expect(PolicyContext.normalizedKey(key) == normalized)
        #expect(PolicyContext.normalizedKey(normalized) == normalized)
    }
}
