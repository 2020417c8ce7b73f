import PolicyEngine
import Testing

@Suite("Trust and resource policies")
struct TrustPolicyTests {
    static let iotTrust = """
        {"Version": "2012-10-17", "Statement": [{
          "Effect": "Allow",
          "Principal": {"Service": "iot.amazonaws.com"},
          "Action": "sts:AssumeRole"
        }]}
        """

    @Test("a role trust policy for AWS IoT parses")
    func parsesIoTTrust() throws {
        let document = try PolicyDocument(json: Self.iotTrust, kind: .trust)
        let statement = try #require(document.statements.first)
        #expect(statement.principals == PrincipalElement(service: ["iot.amazonaws.com"]))
        #expect(statement.resources == nil)
        #expect(statement.actions.values == ["sts:AssumeRole"])
    }

    @Test("the same document is rejected as an identity policy")
    func rejectedAsIdentity() {
        #expect {
            try PolicyDocument(json: Self.iotTrust, kind: .identity)
        } throws: { error in
            (error as? PolicyDocumentError)?.code == .prohibitedElement
        }
    }

    @Test(
        "who may assume the role",
        arguments: [
            (PolicyPrincipal.service("iot.amazonaws.com"), "sts:AssumeRole", PolicyOutcome.allowed),
            (.service("IOT.amazonaws.com"), "sts:AssumeRole", .allowed),
            (.service("lambda.amazonaws.com"), "sts:AssumeRole", .implicitDeny),
            (.service("iot.amazonaws.com"), "sts:TagSession", .implicitDeny),
            (.aws("arn:aws:iam::123456789012:root"), "sts:AssumeRole", .implicitDeny),
            (.anonymous, "sts:AssumeRole", .implicitDeny),
        ] as [(PolicyPrincipal, String, PolicyOutcome)]
    )
    func assumeRole(principal: PolicyPrincipal, action: String, expected: PolicyOutcome) throws {
        let document = try PolicyDocument(json: Self.iotTrust, kind: .trust)
        let outcome = PolicyEvaluator.evaluate(action: action, resource: nil, principal: principal, document: document)
        #expect(outcome == expected)
    }

    @Test("a statement with a principal does not apply when the request names none")
    func noPrincipal() throws {
        let document = try PolicyDocument(json: Self.iotTrust, kind: .trust)
        #expect(PolicyEvaluator.evaluate(action: "sts:AssumeRole", resource: nil, document: document) == .implicitDeny)
    }

    @Test(
        "AWS principals: accounts, ARNs, sessions, wildcards",
        arguments: [
            ("\"123456789012\"", PolicyPrincipal.aws("arn:aws:iam::123456789012:user/bob"), true),
            ("\"arn:aws:iam::123456789012:root\"", .aws("arn:aws:iam::123456789012:role/admin"), true),
            ("\"123456789012\"", .aws("arn:aws:iam::999999999999:user/bob"), false),
            ("\"arn:aws:iam::123456789012:user/bob\"", .aws("arn:aws:iam::123456789012:user/bob"), true),
            ("\"arn:aws:iam::123456789012:user/bob\"", .aws("arn:aws:iam::123456789012:user/alice"), false),
            (
                "\"arn:aws:iam::123456789012:role/path/Deployer\"",
                .aws("arn:aws:sts::123456789012:assumed-role/Deployer/session-1"), true
            ),
            (
                "\"arn:aws:iam::123456789012:role/Deployer\"",
                .aws("arn:aws:sts::999999999999:assumed-role/Deployer/s"), false
            ),
            (
                "[\"111111111111\", \"arn:aws:iam::123456789012:user/bob\"]",
                .aws("arn:aws:iam::123456789012:user/bob"), true
            ),
            ("\"*\"", .aws("arn:aws:iam::123456789012:user/bob"), true),
            ("\"*\"", .anonymous, true),
            ("\"123456789012\"", .anonymous, false),
            ("\"123456789012\"", .service("iot.amazonaws.com"), false),
        ] as [(String, PolicyPrincipal, Bool)]
    )
    func awsPrincipals(value: String, principal: PolicyPrincipal, expected: Bool) throws {
        let document = try PolicyDocument(
            json:
                #"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": {"AWS": \#(value)}, "Action": "sts:AssumeRole"}}"#,
            kind: .trust
        )
        let outcome = PolicyEvaluator.evaluate(
            action: "sts:AssumeRole", resource: nil, principal: principal, document: document)
        #expect(outcome.isAllowed == expected)
    }

    @Test("Principal \"*\" names everyone, including anonymous requesters")
    func wildcardPrincipal() {
        let element = PrincipalElement(isWildcard: true)
        for principal in [
            PolicyPrincipal.anonymous, .service("x"), .federated("cognito-identity.amazonaws.com"), .canonicalUser("c"),
        ] {
            #expect(element.names(principal))
        }
        #expect(!PrincipalElement(isNegated: true, isWildcard: true).applies(to: .anonymous))
    }

    @Test("Federated and CanonicalUser principals")
    func otherPrincipalTypes() throws {
        let document = try PolicyDocument(
            json: """
                {"Version": "2012-10-17", "Statement": {"Effect": "Allow",
                 "Principal": {"Federated": "cognito-identity.amazonaws.com", "CanonicalUser": "abc"},
                 "Action": "sts:AssumeRoleWithWebIdentity"}}
                """,
            kind: .trust
        )
        let action = "sts:AssumeRoleWithWebIdentity"
        let allowed = { (principal: PolicyPrincipal) in
            PolicyEvaluator.evaluate(action: action, resource: nil, principal: principal, document: document)
                == .allowed
        }
        #expect(allowed(.federated("cognito-identity.amazonaws.com")))
        #expect(!allowed(.federated("accounts.google.com")))
        #expect(allowed(.canonicalUser("abc")))
        #expect(!allowed(.canonicalUser("abd")))
    }

    @Test("NotPrincipal with Deny denies everyone else")
    func notPrincipal() throws {
        let document = try PolicyDocument(
            json: """
                {"Version": "2012-10-17", "Statement": [
                  {"Effect": "Allow", "Principal": "*", "Action": "sns:Publish", "Resource": "*"},
                  {"Effect": "Deny", "NotPrincipal": {"Service": "iot.amazonaws.com"}, "Action": "sns:Publish",
                   "Resource": "arn:aws:sns:us-east-1:123456789012:alerts"}
                ]}
                """,
            kind: .resource
        )
        let topic = "arn:aws:sns:us-east-1:123456789012:alerts"
        let outcome = { (principal: PolicyPrincipal) in
            PolicyEvaluator.evaluate(action: "sns:Publish", resource: topic, principal: principal, document: document)
        }
        #expect(outcome(.service("iot.amazonaws.com")) == .allowed)
        #expect(outcome(.service("events.amazonaws.com")) == .explicitDeny)
        #expect(outcome(.anonymous) == .explicitDeny)
    }

    @Test("trust policy conditions, such as an external id")
    func trustCondition() throws {
        let document = try PolicyDocument(
            json: """
                {"Version": "2012-10-17", "Statement": {"Effect": "Allow",
                 "Principal": {"Service": ["iot.amazonaws.com", "lambda.amazonaws.com"]},
                 "Action": "sts:AssumeRole",
                 "Condition": {"StringEquals": {"aws:SourceAccount": "123456789012"}}}}
                """,
            kind: .trust
        )
        let principal = PolicyPrincipal.service("lambda.amazonaws.com")
        let good: PolicyContext = ["aws:SourceAccount": "123456789012"]
        let bad: PolicyContext = ["aws:SourceAccount": "999999999999"]
        #expect(
            PolicyEvaluator.evaluate(
                action: "sts:AssumeRole", resource: nil, principal: principal, context: good, document: document)
                == .allowed)
        #expect(
            PolicyEvaluator.evaluate(
                action: "sts:AssumeRole", resource: nil, principal: principal, context: bad, document: document)
                == .implicitDeny)
    }
}
