import Identity
import Testing

@Suite("IAM inline role policies")
struct InlinePolicyTests {
    @Test("put, get, replace, list, delete", arguments: Engine.available)
    func lifecycle(engine: Engine) async throws {
        try await Fixture.with(engine) { iam, _ in
            try await iam.createRole(roleName: "Rule-Role", assumeRolePolicyDocument: Documents.trust())
            try await iam.putRolePolicy(
                roleName: "rule-role", policyName: "publish", policyDocument: Documents.permissions("sns:Publish"))
            var policy = try await iam.getRolePolicy(roleName: "RULE-ROLE", policyName: "publish")
            #expect(
                policy
                    == InlinePolicy(
                        roleName: "Rule-Role", policyName: "publish",
                        policyDocument: Documents.permissions("sns:Publish")))

            // Putting the same name (regardless of case) replaces it.
            try await iam.putRolePolicy(
                roleName: "rule-role", policyName: "Publish", policyDocument: Documents.permissions("sns:*"))
            policy = try await iam.getRolePolicy(roleName: "rule-role", policyName: "publish")
            #expect(policy.policyName == "Publish" && policy.policyDocument == Documents.permissions("sns:*"))

            for name in ["c", "a", "b"] {
                try await iam.putRolePolicy(
                    roleName: "rule-role", policyName: name, policyDocument: Documents.permissions("iot:*"))
            }
            let all = try await iam.collect {
                try await iam.listRolePolicies(roleName: "rule-role", marker: $0, maxItems: 3)
            }
            #expect(all.items == ["a", "b", "c", "Publish"])
            #expect(all.pages == 2)

            try await iam.deleteRolePolicy(roleName: "rule-role", policyName: "PUBLISH")
            let error = await expectIdentityError(.noSuchEntity) {
                _ = try await iam.getRolePolicy(roleName: "rule-role", policyName: "publish")
            }
            #expect(error?.message == "The role policy with name publish cannot be found.")
            await expectIdentityError(.noSuchEntity) {
                try await iam.deleteRolePolicy(roleName: "rule-role", policyName: "publish")
            }
            #expect(try await iam.listRolePolicies(roleName: "rule-role").items == ["a", "b", "c"])
        }
    }

    @Test("the role must exist; documents are identity policies")
    func errors() async throws {
        try await Fixture.with(.sqlite) { iam, _ in
            await expectIdentityError(.noSuchEntity) {
                try await iam.putRolePolicy(
                    roleName: "nobody", policyName: "p", policyDocument: Documents.permissions("iot:*"))
            }
            await expectIdentityError(.noSuchEntity) { _ = try await iam.listRolePolicies(roleName: "nobody") }
            await expectIdentityError(.noSuchEntity) {
                _ = try await iam.getRolePolicy(roleName: "nobody", policyName: "p")
            }
            try await iam.createRole(roleName: "r", assumeRolePolicyDocument: Documents.trust())
            await expectIdentityError(.malformedPolicyDocument) {
                try await iam.putRolePolicy(roleName: "r", policyName: "p", policyDocument: Documents.trust())
            }
            await expectIdentityError(.validationError) {
                try await iam.putRolePolicy(
                    roleName: "r", policyName: "bad name", policyDocument: Documents.permissions("iot:*"))
            }
            #expect(try await iam.listRolePolicies(roleName: "r").items.isEmpty)
        }
    }

    @Test("a role's inline policies together stay within 10240 characters besides whitespace")
    func quota() async throws {
        try await Fixture.with(.sqlite) { iam, _ in
            try await iam.createRole(roleName: "r", assumeRolePolicyDocument: Documents.trust())
            func document(_ count: Int) -> String {
                let resources = (0..<count).map { #""arn:aws:sns:us-east-1:123456789012:topic-\#($0)""# }
                return
                    #"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"sns:Publish","Resource":[\#(resources.joined(separator: ","))]}}"#
            }
            let large = document(100)  // about 5000 characters
            #expect(large.count > 4500 && large.count < 5100)
            try await iam.putRolePolicy(roleName: "r", policyName: "one", policyDocument: large)
            try await iam.putRolePolicy(roleName: "r", policyName: "two", policyDocument: large)
            let error = await expectIdentityError(.limitExceeded) {
                try await iam.putRolePolicy(roleName: "r", policyName: "three", policyDocument: large)
            }
            #expect(error?.message == "Maximum policy size of 10240 bytes exceeded for role r")
            // Replacing one counts the new document instead of the old.
            try await iam.putRolePolicy(roleName: "r", policyName: "two", policyDocument: large)
        }
    }
}
