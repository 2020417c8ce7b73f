import Foundation
import Identity
import PolicyEngine
import Testing

@Suite("IAM role authorization for services")
struct AuthorizationTests {
    static let topic = "arn:aws:sns:us-east-1:123456789012:iot-notification"

    /// The seed's role and policy: IoT may assume the role, which may publish to one topic.
    static func seed(_ iam: IdentityStore) async throws -> (role: Role, policy: ManagedPolicy) {
        let role = try await iam.createRole(
            roleName: "test-iot-role-1", path: "/service-role/", assumeRolePolicyDocument: Documents.trust())
        let policy = try await iam.createPolicy(
            policyName: "test-iot-policy-1", policyDocument: Documents.permissions("sns:Publish", topic))
        try await iam.attachRolePolicy(roleName: role.roleName, policyArn: policy.arn)
        return (role, policy)
    }

    @Test("the seed's role lets IoT publish to its topic, and nothing else", arguments: Engine.available)
    func seed(engine: Engine) async throws {
        try await Fixture.with(engine) { iam, _ in
            let (role, policy) = try await Self.seed(iam)
            let allowed = try await iam.authorize(roleArn: role.arn, action: "sns:Publish", resource: Self.topic)
            #expect(allowed == RoleAuthorization(outcome: .allowed, allowingPolicies: [policy.arn]))
            #expect(try await iam.isAllowed(roleArn: role.arn, action: "SNS:publish", resource: Self.topic))
            #expect(
                try await iam.authorize(roleArn: role.arn, action: "sns:Publish", resource: Self.topic + "-2").outcome
                    == .implicitDeny)
            #expect(
                try await iam.authorize(roleArn: role.arn, action: "iot:Publish", resource: Self.topic).outcome
                    == .implicitDeny)
            // Another service may not assume the role.
            #expect(
                try await iam.authorize(
                    roleArn: role.arn, action: "sns:Publish", resource: Self.topic, service: "lambda.amazonaws.com"
                ).outcome == .notTrusted)
        }
    }

    @Test(
        "a role ARN must name this account's role with its path",
        arguments: [
            "arn:aws:iam::123456789012:role/test-iot-role-1", "arn:aws:iam::123456789012:role/other/test-iot-role-1",
            "arn:aws:iam::210987654321:role/service-role/test-iot-role-1",
            "arn:aws:iam::123456789012:role/service-role/missing", "arn:aws:iam::123456789012:user/service-role/x",
            "arn:aws:iam:us-east-1:123456789012:role/service-role/test-iot-role-1", "not an arn",
        ])
    func roleArns(arn: String) async throws {
        try await Fixture.with(.sqlite) { iam, _ in
            _ = try await Self.seed(iam)
            #expect(
                try await iam.authorize(roleArn: arn, action: "sns:Publish", resource: Self.topic).outcome
                    == .roleNotFound)
            // The name itself matches regardless of case, as IAM names do.
            #expect(
                try await iam.isAllowed(
                    roleArn: "arn:aws:iam::123456789012:role/service-role/TEST-IOT-ROLE-1", action: "sns:Publish",
                    resource: Self.topic))
        }
    }

    @Test("explicit Deny in an inline policy wins over the managed Allow")
    func deny() async throws {
        try await Fixture.with(.sqlite) { iam, _ in
            let (role, policy) = try await Self.seed(iam)
            try await iam.putRolePolicy(
                roleName: role.roleName, policyName: "no-sns",
                policyDocument: Documents.permissions("sns:*", effect: "Deny"))
            let decision = try await iam.authorize(roleArn: role.arn, action: "sns:Publish", resource: Self.topic)
            #expect(
                decision
                    == RoleAuthorization(
                        outcome: .explicitDeny, allowingPolicies: [policy.arn], denyingPolicies: ["no-sns"]))
            #expect(!decision.isAllowed)
        }
    }

    @Test("changes through the store apply at once, whatever the cache lifetime", arguments: Engine.available)
    func changes(engine: Engine) async throws {
        try await Fixture.with(engine, configuration: .init(permissionsCacheLifetime: .seconds(3600))) { iam, _ in
            let (role, policy) = try await Self.seed(iam)
            #expect(try await iam.isAllowed(roleArn: role.arn, action: "sns:Publish", resource: Self.topic))

            // A new default version.
            try await iam.createPolicyVersion(
                policyArn: policy.arn, policyDocument: Documents.permissions("iot:Publish"), setAsDefault: true)
            #expect(!(try await iam.isAllowed(roleArn: role.arn, action: "sns:Publish", resource: Self.topic)))
            #expect(try await iam.isAllowed(roleArn: role.arn, action: "iot:Publish", resource: Self.topic))
            try await iam.setDefaultPolicyVersion(policyArn: policy.arn, versionId: "v1")
            #expect(try await iam.isAllowed(roleArn: role.arn, action: "sns:Publish", resource: Self.topic))

            // A trust policy that no longer names IoT.
            try await iam.updateAssumeRolePolicy(
                roleName: role.roleName, policyDocument: Documents.trust("lambda.amazonaws.com"))
            #expect(
                try await iam.authorize(roleArn: role.arn, action: "sns:Publish", resource: Self.topic).outcome
                    == .notTrusted)
            try await iam.updateAssumeRolePolicy(roleName: role.roleName, policyDocument: Documents.trust())

            // Detaching, and an inline policy instead.
            try await iam.detachRolePolicy(roleName: role.roleName, policyArn: policy.arn)
            #expect(
                try await iam.authorize(roleArn: role.arn, action: "sns:Publish", resource: Self.topic).outcome
                    == .implicitDeny)
            try await iam.putRolePolicy(
                roleName: role.roleName, policyName: "inline", policyDocument: Documents.permissions("sns:Publish"))
            #expect(
                try await iam.authorize(roleArn: role.arn, action: "sns:Publish", resource: Self.topic)
                    == RoleAuthorization(outcome: .allowed, allowingPolicies: ["inline"]))

            // A role that did not exist yet, then does.
            let later = roleArn("later")
            #expect(
                try await iam.authorize(roleArn: later, action: "sns:Publish", resource: Self.topic).outcome
                    == .roleNotFound)
            try await iam.createRole(roleName: "later", assumeRolePolicyDocument: Documents.trust())
            #expect(
                try await iam.authorize(roleArn: later, action: "sns:Publish", resource: Self.topic).outcome
                    == .implicitDeny)
            try await iam.deleteRolePolicy(roleName: role.roleName, policyName: "inline")
            try await iam.deleteRole(roleName: role.roleName)
            #expect(
                try await iam.authorize(roleArn: role.arn, action: "sns:Publish", resource: Self.topic).outcome
                    == .roleNotFound)
        }
    }

    @Test("another node's changes show once the cache lifetime has passed")
    func otherNode() async throws {
        let fixture = Fixture(.sqlite)
        let (database, cached) = try await fixture.open(configuration: .init(permissionsCacheLifetime: .seconds(3600)))
        let (otherDatabase, other) = try await fixture.open()
        let (uncachedDatabase, uncached) = try await fixture.open(configuration: .init(permissionsCacheLifetime: .zero))
        defer { Task { await fixture.destroy() } }
        let (role, policy) = try await Self.seed(other)
        #expect(try await cached.isAllowed(roleArn: role.arn, action: "sns:Publish", resource: Self.topic))
        #expect(try await uncached.isAllowed(roleArn: role.arn, action: "sns:Publish", resource: Self.topic))
        try await other.detachRolePolicy(roleName: role.roleName, policyArn: policy.arn)
        #expect(try await cached.isAllowed(roleArn: role.arn, action: "sns:Publish", resource: Self.topic))
        #expect(!(try await uncached.isAllowed(roleArn: role.arn, action: "sns:Publish", resource: Self.topic)))
        // Any change through the cached store drops its cache.
        try await cached.createRole(roleName: "unrelated", assumeRolePolicyDocument: Documents.trust())
        #expect(!(try await cached.isAllowed(roleArn: role.arn, action: "sns:Publish", resource: Self.topic)))
        await database.shutdown()
        await otherDatabase.shutdown()
        await uncachedDatabase.shutdown()
    }

    @Test("conditions see the request context; policies see the role's principal variables")
    func context() async throws {
        try await Fixture.with(.sqlite) { iam, _ in
            let trust = """
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"iot.amazonaws.com"},\
                "Action":"sts:AssumeRole","Condition":{"StringEquals":{"aws:SourceAccount":"123456789012"}}}]}
                """
            let role = try await iam.createRole(roleName: "guarded", assumeRolePolicyDocument: trust)
            try await iam.putRolePolicy(
                roleName: "guarded", policyName: "own-topic",
                policyDocument:
                    #"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"sns:Publish","Resource":"arn:aws:sns:us-east-1:${aws:PrincipalAccount}:*"}}"#
            )
            let ours: PolicyContext = ["aws:SourceAccount": "123456789012"]
            #expect(
                try await iam.authorize(roleArn: role.arn, action: "sns:Publish", resource: Self.topic, context: ours)
                    .outcome == .allowed)
            #expect(
                try await iam.authorize(roleArn: role.arn, action: "sns:Publish", resource: Self.topic).outcome
                    == .notTrusted)
            #expect(
                try await iam.authorize(
                    roleArn: role.arn, action: "sns:Publish", resource: "arn:aws:sns:us-east-1:210987654321:t",
                    context: ours
                ).outcome == .implicitDeny)
            let permissions = try #require(try await iam.permissions(ofRole: role.arn))
            #expect(permissions.role == role)
            #expect(permissions.canBeAssumed(by: .service("IOT.amazonaws.com"), context: ours))
            #expect(!permissions.canBeAssumed(by: .aws("arn:aws:iam::123456789012:root"), context: ours))
        }
    }
}
