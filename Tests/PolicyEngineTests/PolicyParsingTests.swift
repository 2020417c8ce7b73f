import PolicyEngine
import Testing

@Suite("Parsing policy documents")
struct PolicyParsingTests {
    @Test("statement as an object, values as strings")
    func singleStatementObject() throws {
        let document = try identityPolicy(
            """
            {"Version": "2012-10-17", "Id": "device-policy",
             "Statement": {"Sid": "Pub", "Effect": "Allow", "Action": "iot:Publish",
                           "Resource": "arn:aws:iot:us-east-1:123456789012:topic/a"}}
            """
        )
        #expect(document.version == .v2012_10_17)
        #expect(document.id == "device-policy")
        #expect(document.substitutesVariables)
        let statement = try #require(document.statements.first)
        #expect(document.statements.count == 1)
        #expect(statement.sid == "Pub")
        #expect(statement.effect == .allow)
        #expect(statement.actions == .init(["iot:Publish"]))
        #expect(statement.resources == .init(["arn:aws:iot:us-east-1:123456789012:topic/a"]))
        #expect(statement.principals == nil)
        #expect(statement.conditions.isEmpty)
    }

    @Test("statement array, value arrays, negated elements")
    func statementArray() throws {
        let document = try identityPolicy(
            """
            {"Version": "2012-10-17", "Statement": [
              {"Effect": "Allow", "Action": ["iot:Connect", "iot:Publish"], "Resource": ["*"]},
              {"Effect": "Deny", "NotAction": "iot:Connect", "NotResource": ["arn:aws:iot:*:*:topic/x", "arn:aws:iot:*:*:topic/y"]}
            ]}
            """
        )
        #expect(document.statements.count == 2)
        #expect(document.statements[0].actions == .init(["iot:Connect", "iot:Publish"]))
        #expect(document.statements[1].effect == .deny)
        #expect(document.statements[1].actions == .init(["iot:Connect"], isNegated: true))
        #expect(document.statements[1].resources?.isNegated == true)
        #expect(document.statements[1].resources?.values.count == 2)
    }

    @Test("a missing Version means 2008-10-17")
    func missingVersion() throws {
        let document = try identityPolicy(#"{"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}}"#)
        #expect(document.version == nil)
        #expect(document.effectiveVersion == .v2008_10_17)
        #expect(!document.substitutesVariables)
        let old = try identityPolicy(
            #"{"Version": "2008-10-17", "Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}}"#
        )
        #expect(old.version == .v2008_10_17)
        #expect(!old.substitutesVariables)
    }

    @Test("conditions are flattened; numbers keep their text, booleans become text")
    func conditionValues() throws {
        let document = try identityPolicy(
            """
            {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:ListBucket",
             "Resource": "arn:aws:s3:::b",
             "Condition": {"NumericLessThanEquals": {"s3:max-keys": 10, "a:b": [1.50, "2"]},
                           "Bool": {"aws:SecureTransport": false},
                           "ForAnyValue:StringLikeIfExists": {"aws:TagKeys": ["env*"]}}}}
            """
        )
        let conditions = try #require(document.statements.first?.conditions)
        #expect(conditions.count == 4)
        #expect(
            conditions[0]
                == PolicyCondition(operator: .init(.numericLessThanEquals), key: "s3:max-keys", values: ["10"]))
        #expect(conditions[1].values == ["1.50", "2"])
        #expect(conditions[2] == PolicyCondition(operator: .init(.bool), key: "aws:SecureTransport", values: ["false"]))
        #expect(conditions[3].operator == .init(.stringLike, ifExists: true, qualifier: .forAnyValue))
        #expect(conditions[3].values == ["env*"])
    }

    @Test("JSON escapes are decoded")
    func jsonEscapes() throws {
        let document = try identityPolicy(
            #"{"Statement": {"Sid": "\u0041\u00e9\ud83d\ude00\n", "Effect": "Allow", "Action": "iot:\/x", "Resource": "*"}}"#
        )
        #expect(document.statements[0].sid == "Aé😀\n")
        #expect(document.statements[0].actions.values == ["iot:/x"])
    }

    @Test("policy variables do not upset validation")
    func variablesInResources() throws {
        let document = try identityPolicy(
            """
            {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "iot:Connect",
             "Resource": "arn:aws:iot:us-east-1:123456789012:client/${iot:Connection.Thing.ThingName}"}}
            """
        )
        #expect(document.statements[0].resources?.values.first?.hasSuffix("${iot:Connection.Thing.ThingName}") == true)
    }

    struct MalformedCase: Sendable, CustomTestStringConvertible {
        var name: String
        var json: String
        var kind: PolicyDocument.Kind = .identity
        var code: PolicyDocumentError.Code
        var testDescription: String { name }
    }

    static let valid = #""Effect": "Allow", "Action": "iot:*", "Resource": "*""#

    static let malformed: [MalformedCase] = [
        .init(name: "not JSON", json: "Version: 2012", code: .invalidJSON),
        .init(name: "trailing comma", json: #"{"Statement": [{\#(valid)},]}"#, code: .invalidJSON),
        .init(
            name: "duplicate member", json: #"{"Statement": {\#(valid)}, "Statement": {\#(valid)}}"#, code: .invalidJSON
        ),
        .init(name: "trailing text", json: #"{"Statement": {\#(valid)}} x"#, code: .invalidJSON),
        .init(name: "lone surrogate", json: #"{"Id": "\ud800", "Statement": {\#(valid)}}"#, code: .invalidJSON),
        .init(name: "unterminated string", json: #"{"Statement": {"Effect": "Allow"#, code: .invalidJSON),
        .init(
            name: "raw control character", json: "{\"Id\": \"a\u{01}b\", \"Statement\": {\(valid)}}", code: .invalidJSON
        ),
        .init(
            name: "number with leading zero",
            json: #"{"Statement": {\#(valid), "Condition": {"NumericEquals": {"a:b": 01}}}}"#, code: .invalidJSON),
        .init(
            name: "nesting too deep", json: String(repeating: "[", count: 40) + String(repeating: "]", count: 40),
            code: .invalidJSON),
        .init(name: "document is an array", json: #"[{\#(valid)}]"#, code: .notAnObject),
        .init(name: "statement is a string", json: #"{"Statement": ["Allow"]}"#, code: .notAnObject),
        .init(
            name: "unknown top-level element",
            json: #"{"Version": "2012-10-17", "Rules": [], "Statement": {\#(valid)}}"#, code: .unknownElement),
        .init(name: "lowercase element name", json: #"{"statement": {\#(valid)}}"#, code: .unknownElement),
        .init(
            name: "unknown statement element", json: #"{"Statement": {\#(valid), "Comment": "x"}}"#,
            code: .unknownElement),
        .init(name: "Version is a number", json: #"{"Version": 2012, "Statement": {\#(valid)}}"#, code: .invalidType),
        .init(name: "Statement is a string", json: #"{"Statement": "x"}"#, code: .invalidType),
        .init(
            name: "Action is a number", json: #"{"Statement": {"Effect": "Allow", "Action": 5, "Resource": "*"}}"#,
            code: .invalidType),
        .init(
            name: "Action array holds a number",
            json: #"{"Statement": {"Effect": "Allow", "Action": ["iot:Publish", 5], "Resource": "*"}}"#,
            code: .invalidType),
        .init(
            name: "Resource is an object", json: #"{"Statement": {"Effect": "Allow", "Action": "*", "Resource": {}}}"#,
            code: .invalidType),
        .init(name: "Sid is a number", json: #"{"Statement": {"Sid": 1, \#(valid)}}"#, code: .invalidType),
        .init(
            name: "Effect is a boolean", json: #"{"Statement": {"Effect": true, "Action": "*", "Resource": "*"}}"#,
            code: .invalidType),
        .init(
            name: "unsupported Version", json: #"{"Version": "2012-10-18", "Statement": {\#(valid)}}"#,
            code: .invalidVersion),
        .init(name: "no Statement", json: #"{"Version": "2012-10-17"}"#, code: .missingStatement),
        .init(name: "empty Statement", json: #"{"Version": "2012-10-17", "Statement": []}"#, code: .emptyStatement),
        .init(name: "no Effect", json: #"{"Statement": {"Action": "*", "Resource": "*"}}"#, code: .missingEffect),
        .init(
            name: "lowercase Effect", json: #"{"Statement": {"Effect": "allow", "Action": "*", "Resource": "*"}}"#,
            code: .invalidEffect),
        .init(
            name: "unknown Effect", json: #"{"Statement": {"Effect": "Permit", "Action": "*", "Resource": "*"}}"#,
            code: .invalidEffect),
        .init(name: "no Action", json: #"{"Statement": {"Effect": "Allow", "Resource": "*"}}"#, code: .missingAction),
        .init(
            name: "empty Action", json: #"{"Statement": {"Effect": "Allow", "Action": [], "Resource": "*"}}"#,
            code: .missingAction),
        .init(
            name: "Action and NotAction",
            json:
                #"{"Statement": {"Effect": "Allow", "Action": "iot:*", "NotAction": "iot:Connect", "Resource": "*"}}"#,
            code: .conflictingElements),
        .init(
            name: "Resource and NotResource",
            json:
                #"{"Statement": {"Effect": "Allow", "Action": "iot:*", "Resource": "*", "NotResource": "arn:aws:iot:*:*:topic/x"}}"#,
            code: .conflictingElements),
        .init(
            name: "Principal and NotPrincipal",
            json:
                #"{"Statement": {"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": "*", "NotPrincipal": {"AWS": "1"}}}"#,
            kind: .trust, code: .conflictingElements),
        .init(
            name: "no Resource in an identity policy", json: #"{"Statement": {"Effect": "Allow", "Action": "iot:*"}}"#,
            code: .missingResource),
        .init(
            name: "empty Resource", json: #"{"Statement": {"Effect": "Allow", "Action": "iot:*", "Resource": []}}"#,
            code: .missingResource),
        .init(
            name: "no Resource in a resource policy",
            json: #"{"Statement": {"Effect": "Allow", "Action": "sns:Publish", "Principal": "*"}}"#, kind: .resource,
            code: .missingResource),
        .init(
            name: "Principal in an identity policy", json: #"{"Statement": {\#(valid), "Principal": "*"}}"#,
            code: .prohibitedElement),
        .init(
            name: "NotPrincipal in an identity policy",
            json: #"{"Statement": {\#(valid), "NotPrincipal": {"AWS": "123456789012"}}}"#, code: .prohibitedElement),
        .init(
            name: "Resource in a trust policy",
            json:
                #"{"Statement": {"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"Service": "iot.amazonaws.com"}, "Resource": "*"}}"#,
            kind: .trust, code: .prohibitedElement),
        .init(
            name: "no Principal in a trust policy",
            json: #"{"Statement": {"Effect": "Allow", "Action": "sts:AssumeRole"}}"#, kind: .trust,
            code: .missingPrincipal),
        .init(
            name: "no Principal in a resource policy",
            json: #"{"Statement": {"Effect": "Allow", "Action": "sns:Publish", "Resource": "*"}}"#, kind: .resource,
            code: .missingPrincipal),
        .init(
            name: "action without vendor",
            json: #"{"Statement": {"Effect": "Allow", "Action": "Publish", "Resource": "*"}}"#, code: .invalidAction),
        .init(
            name: "action with empty vendor",
            json: #"{"Statement": {"Effect": "Allow", "Action": ":Publish", "Resource": "*"}}"#, code: .invalidAction),
        .init(
            name: "action with two colons",
            json: #"{"Statement": {"Effect": "Allow", "Action": "iot:Publish:x", "Resource": "*"}}"#,
            code: .invalidAction),
        .init(
            name: "action without name",
            json: #"{"Statement": {"Effect": "Allow", "Action": "iot:", "Resource": "*"}}"#, code: .invalidAction),
        .init(
            name: "resource not an ARN",
            json: #"{"Statement": {"Effect": "Allow", "Action": "iot:*", "Resource": "topic/a"}}"#,
            code: .invalidResource),
        .init(
            name: "NotResource not an ARN",
            json: #"{"Statement": {"Effect": "Allow", "Action": "iot:*", "NotResource": ["*", "x"]}}"#,
            code: .invalidResource),
        .init(
            name: "principal string other than *",
            json: #"{"Statement": {"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": "iot.amazonaws.com"}}"#,
            kind: .trust, code: .invalidPrincipal),
        .init(
            name: "unknown principal type",
            json: #"{"Statement": {"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"Robot": "x"}}}"#,
            kind: .trust, code: .invalidPrincipal),
        .init(
            name: "empty principal object",
            json: #"{"Statement": {"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {}}}"#, kind: .trust,
            code: .invalidPrincipal),
        .init(
            name: "empty principal list",
            json: #"{"Statement": {"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"Service": []}}}"#,
            kind: .trust, code: .invalidPrincipal),
        .init(
            name: "unknown condition operator",
            json: #"{"Statement": {\#(valid), "Condition": {"StringEqualz": {"a:b": "c"}}}}"#,
            code: .unknownConditionOperator),
        .init(
            name: "NullIfExists", json: #"{"Statement": {\#(valid), "Condition": {"NullIfExists": {"a:b": "true"}}}}"#,
            code: .unknownConditionOperator),
        .init(
            name: "unknown set qualifier",
            json: #"{"Statement": {\#(valid), "Condition": {"ForSomeValues:StringEquals": {"a:b": "c"}}}}"#,
            code: .unknownConditionOperator),
        .init(
            name: "Condition is an array", json: #"{"Statement": {\#(valid), "Condition": []}}"#,
            code: .invalidCondition),
        .init(
            name: "operator maps to a string", json: #"{"Statement": {\#(valid), "Condition": {"StringEquals": "x"}}}"#,
            code: .invalidCondition),
        .init(
            name: "operator with no keys", json: #"{"Statement": {\#(valid), "Condition": {"StringEquals": {}}}}"#,
            code: .invalidCondition),
        .init(
            name: "condition key without vendor",
            json: #"{"Statement": {\#(valid), "Condition": {"StringEquals": {"username": "x"}}}}"#,
            code: .invalidCondition),
        .init(
            name: "condition value null",
            json: #"{"Statement": {\#(valid), "Condition": {"StringEquals": {"a:b": null}}}}"#, code: .invalidCondition),
        .init(
            name: "condition value object",
            json: #"{"Statement": {\#(valid), "Condition": {"StringEquals": {"a:b": {"c": "d"}}}}}"#,
            code: .invalidCondition),
        .init(
            name: "condition value nested array",
            json: #"{"Statement": {\#(valid), "Condition": {"StringEquals": {"a:b": [["c"]]}}}}"#,
            code: .invalidCondition),
        .init(
            name: "duplicate Sid", json: #"{"Statement": [{"Sid": "A", \#(valid)}, {"Sid": "A", \#(valid)}]}"#,
            code: .duplicateSid),
    ]

    @Test("malformed documents are rejected with a distinct error", arguments: malformed)
    func rejectsMalformed(_ testCase: MalformedCase) {
        #expect {
            _ = try PolicyDocument(json: testCase.json, kind: testCase.kind)
        } throws: { error in
            guard let error = error as? PolicyDocumentError else { return false }
            return error.code == testCase.code && !error.message.isEmpty
        }
    }

    @Test("error messages use AWS's wording where AWS has one")
    func errorMessages() throws {
        let principalInIdentity = #"{"Statement": {\#(Self.valid), "Principal": "*"}}"#
        #expect(throws: PolicyDocumentError(.prohibitedElement, "Policy document should not specify a principal.")) {
            try PolicyDocument(json: principalInIdentity)
        }
        #expect(throws: PolicyDocumentError(.missingAction, "Policy statement must contain actions.")) {
            try PolicyDocument(json: #"{"Statement": {"Effect": "Allow", "Resource": "*"}}"#)
        }
        #expect(throws: PolicyDocumentError(.missingResource, "Policy statement must contain resources.")) {
            try PolicyDocument(json: #"{"Statement": {"Effect": "Allow", "Action": "*"}}"#)
        }
        do {
            _ = try PolicyDocument(json: #"{"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*",}}"#)
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .invalidJSON)
            #expect(error.message.contains("offset"))
            #expect(error.description.hasPrefix("invalidJSON: "))
        }
    }

    @Test("an empty Sid may repeat; distinct Sids are fine")
    func sidRules() throws {
        let json =
            #"{"Statement": [{"Sid": "", \#(Self.valid)}, {"Sid": "", \#(Self.valid)}, {"Sid": "B", \#(Self.valid)}]}"#
        #expect(try PolicyDocument(json: json).statements.count == 3)
    }

    @Test(
        "condition operator names",
        arguments: [
            ("StringEquals", ConditionOperator(.stringEquals)),
            ("stringequals", ConditionOperator(.stringEquals)),
            ("StringLikeIfExists", ConditionOperator(.stringLike, ifExists: true)),
            ("ForAnyValue:StringEquals", ConditionOperator(.stringEquals, qualifier: .forAnyValue)),
            (
                "ForAllValues:StringNotLikeIfExists",
                ConditionOperator(.stringNotLike, ifExists: true, qualifier: .forAllValues)
            ),
            ("NumericGreaterThanEqualsIfExists", ConditionOperator(.numericGreaterThanEquals, ifExists: true)),
            ("DateLessThan", ConditionOperator(.dateLessThan)),
            ("Bool", ConditionOperator(.bool)),
            ("BinaryEquals", ConditionOperator(.binaryEquals)),
            ("NotIpAddress", ConditionOperator(.notIpAddress)),
            ("ArnNotLike", ConditionOperator(.arnNotLike)),
            ("Null", ConditionOperator(.null)),
        ] as [(String, ConditionOperator)]
    )
    func operatorNames(name: String, expected: ConditionOperator) {
        #expect(ConditionOperator(name) == expected)
        #expect(ConditionOperator(expected.description) == expected)
    }

    @Test(
        "invalid condition operator names",
        arguments: [
            "", "IfExists", "NullIfExists", "StringEqual", "ForAnyValue:", "ForAnyValue:Foo",
            "StringEquals:ForAnyValue",
        ])
    func invalidOperatorNames(name: String) {
        #expect(ConditionOperator(name) == nil)
    }

    @Test("every operator kind parses from its name")
    func allKinds() {
        for kind in ConditionOperator.Kind.allCases {
            #expect(ConditionOperator(kind.rawValue)?.kind == kind)
        }
        #expect(ConditionOperator.Kind.allCases.filter(\.isNegated).count == 8)
    }
}
