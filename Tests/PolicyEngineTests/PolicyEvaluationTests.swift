import PolicyEngine
import Testing

@Suite("Evaluating actions and resources")
struct PolicyEvaluationTests {
    @Test(
        "action wildcards, matched without regard to case",
        arguments: [
            ("iot:*", "iot:Publish", true),
            ("iot:*", "sns:Publish", false),
            ("*", "sts:AssumeRole", true),
            ("iot:Pub*", "iot:Publish", true),
            ("iot:Pub*", "iot:Subscribe", false),
            ("iot:?ublish", "iot:Publish", true),
            ("iot:Publish", "iot:PublishX", false),
            ("iot:Publish", "IOT:PUBLISH", true),
            ("IoT:pUbLiSh", "iot:Publish", true),
            ("iot:*Publish", "iot:RetainPublish", true),
            ("iot:*Publish", "iot:Publish", true),
            ("iot:Re*", "iot:Receive", true),
            ("iot:Re*", "iot:RetainPublish", true),
            ("iot:Re*", "iot:Connect", false),
            ("iot:*Thing*", "iot:UpdateThingShadow", true),
        ]
    )
    func actionWildcards(pattern: String, action: String, expected: Bool) throws {
        let document = try identityPolicy(
            #"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "\#(pattern)", "Resource": "*"}}"#
        )
        let outcome = PolicyEvaluator.evaluate(action: action, resource: iotARN("topic/a"), document: document)
        #expect(outcome == (expected ? .allowed : .implicitDeny))
    }

    @Test(
        "resource wildcards, matched case-sensitively",
        arguments: [
            ("arn:aws:iot:us-east-1:123456789012:topic/sensors/*", "topic/sensors/t1", true),
            ("arn:aws:iot:us-east-1:123456789012:topic/sensors/*", "topic/sensors/a/b/c", true),
            ("arn:aws:iot:us-east-1:123456789012:topic/sensors/*", "topic/Sensors/t1", false),
            ("arn:aws:iot:us-east-1:123456789012:topic/sensors/*", "topic/sensors", false),
            ("arn:aws:iot:us-east-1:123456789012:topic/sensors", "topic/sensors", true),
            ("arn:aws:iot:us-east-1:123456789012:topic/sensors", "topic/sensors/", false),
            ("arn:aws:iot:us-east-1:123456789012:topic/a?c", "topic/abc", true),
            ("arn:aws:iot:us-east-1:123456789012:topic/a?c", "topic/ac", false),
            ("arn:aws:iot:us-east-1:123456789012:topic/a?c", "topic/aéc", true),
            ("arn:aws:iot:*:123456789012:topic/x", "topic/x", true),
            ("arn:aws:iot:*:999999999999:topic/x", "topic/x", false),
            ("arn:aws:iot:us-east-1:123456789012:*", "client/c1", true),
            ("arn:aws:iot:us-east-1:123456789012:topic/*", "topicfilter/a", false),
            ("ARN:aws:iot:us-east-1:123456789012:topic/x", "topic/x", false),
            ("*", "topicfilter/#", true),
        ]
    )
    func resourceWildcards(pattern: String, resourceSuffix: String, expected: Bool) throws {
        let json =
            #"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "iot:*", "Resource": "\#(pattern)"}}"#
        // "ARN:…" is not a valid resource in a document; build that statement directly.
        let document =
            pattern.hasPrefix("ARN:")
            ? PolicyDocument(statements: [.init(effect: .allow, actions: .init(["iot:*"]), resources: .init([pattern]))]
            )
            : try identityPolicy(json)
        let outcome = PolicyEvaluator.evaluate(
            action: "iot:Publish", resource: iotARN(resourceSuffix), document: document)
        #expect(outcome == (expected ? .allowed : .implicitDeny))
    }

    static let allowAll =
        #"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "iot:*", "Resource": "*"}}"#
    static let denySecret = """
        {"Version": "2012-10-17", "Statement": [
          {"Sid": "NoSecrets", "Effect": "Deny", "Action": "iot:Publish",
           "Resource": "arn:aws:iot:us-east-1:123456789012:topic/secret/*"},
          {"Sid": "NoSecretsEither", "Effect": "Deny", "Action": "iot:Pub*",
           "Resource": "arn:aws:iot:us-east-1:123456789012:topic/secret/*"}
        ]}
        """
    static let allowPublish = """
        {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "iot:Publish",
         "Resource": "arn:aws:iot:us-east-1:123456789012:topic/*"}}
        """

    @Test(
        "an explicit deny in any policy wins over allows in others",
        arguments: [
            ("iot:Publish", "topic/secret/x", PolicyOutcome.explicitDeny, ["all", "publish"], ["deny"]),
            ("iot:Publish", "topic/public/x", .allowed, ["all", "publish"], []),
            ("iot:Subscribe", "topicfilter/secret/x", .allowed, ["all"], []),
            ("iot:Receive", "topic/secret/x", .allowed, ["all"], []),
            ("sns:Publish", "topic/public/x", .implicitDeny, [], []),
        ] as [(String, String, PolicyOutcome, [String], [String])]
    )
    func denyPrecedence(
        action: String,
        resourceSuffix: String,
        outcome: PolicyOutcome,
        allowing: [String],
        denying: [String]
    ) throws {
        let policies = [
            (name: "all", document: try identityPolicy(Self.allowAll)),
            (name: "deny", document: try identityPolicy(Self.denySecret)),
            (name: "publish", document: try identityPolicy(Self.allowPublish)),
        ]
        let decision = PolicyEvaluator.evaluate(action: action, resource: iotARN(resourceSuffix), policies: policies)
        #expect(decision.outcome == outcome)
        #expect(decision.isAllowed == (outcome == .allowed))
        #expect(decision.allowingPolicies == allowing)
        #expect(decision.denyingPolicies == denying)

        let compiled = CompiledPolicySet(policies: policies)
        #expect(compiled.outcome(action: action, resource: iotARN(resourceSuffix)) == outcome)
        #expect(compiled.isAllowed(action: action, resource: iotARN(resourceSuffix)) == (outcome == .allowed))
        #expect(compiled.policyNames == ["all", "deny", "publish"])
    }

    @Test("the order of policies does not change the outcome")
    func orderIndependent() throws {
        let deny = (name: "deny", document: try identityPolicy(Self.denySecret))
        let allow = (name: "all", document: try identityPolicy(Self.allowAll))
        for policies in [[deny, allow], [allow, deny]] {
            let set = CompiledPolicySet(policies: policies)
            #expect(set.outcome(action: "iot:Publish", resource: iotARN("topic/secret/1")) == .explicitDeny)
            #expect(set.outcome(action: "iot:Publish", resource: iotARN("topic/open/1")) == .allowed)
        }
    }

    @Test("no policies means implicit deny")
    func emptySet() {
        let set = CompiledPolicySet(policies: [])
        #expect(set.outcome(action: "iot:Connect", resource: iotARN("client/a")) == .implicitDeny)
        #expect(
            set.evaluate(action: "iot:Connect", resource: iotARN("client/a")) == PolicyDecision(outcome: .implicitDeny))
        #expect(set.outcome(.connect, resourceName: "a", scope: testScope) == .implicitDeny)
    }

    @Test(
        "NotAction applies to every action not listed",
        arguments: [
            ("iot:Publish", PolicyOutcome.allowed),
            ("iot:Subscribe", .explicitDeny),
            ("iot:Connect", .allowed),
            ("iot:connect", .allowed),
            ("iot:Receive", .explicitDeny),
        ]
    )
    func notAction(action: String, expected: PolicyOutcome) throws {
        let document = try identityPolicy(
            """
            {"Version": "2012-10-17", "Statement": [
              {"Effect": "Allow", "Action": "iot:*", "Resource": "*"},
              {"Effect": "Deny", "NotAction": ["iot:Connect", "iot:Pub*"], "Resource": "*"}
            ]}
            """
        )
        #expect(PolicyEvaluator.evaluate(action: action, resource: iotARN("topic/a"), document: document) == expected)
    }

    @Test("an Allow with NotAction grants everything else")
    func allowNotAction() throws {
        let document = try identityPolicy(
            #"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "NotAction": "iot:Connect", "Resource": "*"}}"#
        )
        #expect(
            PolicyEvaluator.evaluate(action: "iot:Publish", resource: iotARN("topic/a"), document: document) == .allowed
        )
        #expect(
            PolicyEvaluator.evaluate(action: "sns:Publish", resource: iotARN("topic/a"), document: document) == .allowed
        )
        #expect(
            PolicyEvaluator.evaluate(action: "iot:Connect", resource: iotARN("client/a"), document: document)
                == .implicitDeny)
    }

    @Test(
        "NotResource applies to every resource not listed",
        arguments: [
            ("topic/device/1", PolicyOutcome.allowed),
            ("topic/device/1/extra", .allowed),
            ("topic/admin/reset", .explicitDeny),
            ("topic/Device/1", .explicitDeny),
            ("topic/other", .explicitDeny),
        ]
    )
    func notResource(resourceSuffix: String, expected: PolicyOutcome) throws {
        let document = try identityPolicy(
            """
            {"Version": "2012-10-17", "Statement": [
              {"Effect": "Allow", "Action": "iot:Publish", "Resource": "*"},
              {"Effect": "Deny", "Action": "iot:Publish",
               "NotResource": "arn:aws:iot:us-east-1:123456789012:topic/device/*"}
            ]}
            """
        )
        #expect(
            PolicyEvaluator.evaluate(action: "iot:Publish", resource: iotARN(resourceSuffix), document: document)
                == expected)
    }

    @Test("an Allow with NotResource excludes the listed resources")
    func allowNotResource() throws {
        let document = try identityPolicy(
            """
            {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "iot:Publish",
             "NotResource": ["arn:aws:iot:*:*:topic/admin/*", "arn:aws:iot:*:*:topic/$aws/*"]}}
            """
        )
        #expect(
            PolicyEvaluator.evaluate(action: "iot:Publish", resource: iotARN("topic/a"), document: document) == .allowed
        )
        #expect(
            PolicyEvaluator.evaluate(action: "iot:Publish", resource: iotARN("topic/admin/x"), document: document)
                == .implicitDeny)
        #expect(
            PolicyEvaluator.evaluate(
                action: "iot:Publish", resource: iotARN("topic/$aws/things/t/shadow/update"), document: document)
                == .implicitDeny)
    }

    @Test("explanations name each matching policy once, in set order")
    func explanationNames() throws {
        let twoStatements = try identityPolicy(
            """
            {"Version": "2012-10-17", "Statement": [
              {"Effect": "Allow", "Action": "iot:Publish", "Resource": "*"},
              {"Effect": "Allow", "Action": "iot:*", "Resource": "*"}
            ]}
            """
        )
        let other = try identityPolicy(Self.allowPublish)
        let set = CompiledPolicySet(policies: [
            (name: "z-last", document: other), (name: "a-first", document: twoStatements),
        ])
        let decision = set.evaluate(action: "iot:Publish", resource: iotARN("topic/t"))
        #expect(decision == PolicyDecision(outcome: .allowed, allowingPolicies: ["z-last", "a-first"]))
        let denied = set.evaluate(action: "iot:Publish", resource: nil)
        #expect(denied.outcome == .implicitDeny)
    }

    @Test("a request without a resource matches no statement with a resource element")
    func nilResource() throws {
        let document = try identityPolicy(Self.allowAll)
        #expect(PolicyEvaluator.evaluate(action: "iot:Publish", resource: nil, document: document) == .implicitDeny)
    }
}
