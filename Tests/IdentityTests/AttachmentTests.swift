import Identity
import Testing

@Suite("IAM role policy attachments")
struct AttachmentTests {
    @Test("attach, list both ways, detach", arguments: Engine.available)
    func attach(engine: Engine) async throws {
        try await Fixture.with(engine) { iam, _ in
            let role = try await iam.createRole(
                roleName: "rule-role", path: "/service-role/", assumeRolePolicyDocument: Documents.trust())
            let other = try await iam.createRole(roleName: "Another", assumeRolePolicyDocument: Documents.trust())
            let publish = try await iam.createPolicy(
                policyName: "publish", path: "/iot/", policyDocument: Documents.permissions("sns:Publish"))
            let logs = try await iam.createPolicy(policyName: "Logs", policyDocument: Documents.permissions("logs:*"))

            try await iam.attachRolePolicy(roleName: "rule-role", policyArn: publish.arn)
            try await iam.attachRolePolicy(roleName: "RULE-ROLE", policyArn: publish.arn)  // again: no change
            try await iam.attachRolePolicy(roleName: "rule-role", policyArn: logs.arn)
            try await iam.attachRolePolicy(roleName: "another", policyArn: publish.arn)

            let attached = try await iam.listAttachedRolePolicies(roleName: "rule-role")
            #expect(
                attached.items == [
                    AttachedPolicy(policyName: "Logs", policyArn: logs.arn),
                    AttachedPolicy(policyName: "publish", policyArn: publish.arn),
                ])
            #expect(try await iam.listAttachedRolePolicies(roleName: "rule-role", pathPrefix: "/iot/").items.count == 1)
            let paged = try await iam.collect {
                try await iam.listAttachedRolePolicies(roleName: "rule-role", marker: $0, maxItems: 1)
            }
            #expect(paged.items == attached.items && paged.pages == 2)
            #expect(try await iam.getPolicy(policyArn: publish.arn).attachmentCount == 2)

            let entities = try await iam.listEntitiesForPolicy(policyArn: publish.arn)
            #expect(
                entities.items == [
                    PolicyRole(roleName: "Another", roleId: other.roleId),
                    PolicyRole(roleName: "rule-role", roleId: role.roleId),
                ])
            #expect(try await iam.listEntitiesForPolicy(policyArn: publish.arn, entityFilter: .role).items.count == 2)
            #expect(try await iam.listEntitiesForPolicy(policyArn: publish.arn, entityFilter: .user).items.isEmpty)
            #expect(
                try await iam.listEntitiesForPolicy(policyArn: publish.arn, pathPrefix: "/service-role/").items
                    == [PolicyRole(roleName: "rule-role", roleId: role.roleId)])
            #expect(
                try await iam.listEntitiesForPolicy(policyArn: publish.arn, policyUsageFilter: .permissionsBoundary)
                    .items.isEmpty)
            let entityPages = try await iam.collect {
                try await iam.listEntitiesForPolicy(policyArn: publish.arn, marker: $0, maxItems: 1)
            }
            #expect(entityPages.items == entities.items && entityPages.pages == 2)

            try await iam.detachRolePolicy(roleName: "rule-role", policyArn: publish.arn)
            #expect(try await iam.listAttachedRolePolicies(roleName: "rule-role").items.map(\.policyName) == ["Logs"])
            let error = await expectIdentityError(.noSuchEntity) {
                try await iam.detachRolePolicy(roleName: "rule-role", policyArn: publish.arn)
            }
            #expect(error?.message == "Policy \(publish.arn) was not found.")
            #expect(try await iam.getPolicy(policyArn: publish.arn).attachmentCount == 1)
        }
    }

    @Test("attaching needs an existing role and a policy of this account")
    func missing() async throws {
        try await Fixture.with(.sqlite) { iam, _ in
            try await iam.createRole(roleName: "r", assumeRolePolicyDocument: Documents.trust())
            let policy = try await iam.createPolicy(policyName: "p", policyDocument: Documents.permissions("iot:*"))
            var error = await expectIdentityError(.noSuchEntity) {
                try await iam.attachRolePolicy(roleName: "nobody", policyArn: policy.arn)
            }
            #expect(error?.message == "The role with name nobody cannot be found.")
            error = await expectIdentityError(.noSuchEntity) {
                try await iam.attachRolePolicy(roleName: "r", policyArn: "arn:aws:iam::aws:policy/AWSIoTRuleActions")
            }
            #expect(
                error?.message
                    == "Policy arn:aws:iam::aws:policy/AWSIoTRuleActions does not exist or is not attachable.")
            await expectIdentityError(.noSuchEntity) {
                try await iam.attachRolePolicy(roleName: "r", policyArn: policyArn("p", path: "/elsewhere/"))
            }
            await expectIdentityError(.invalidInput) { try await iam.attachRolePolicy(roleName: "r", policyArn: "p") }
            await expectIdentityError(.noSuchEntity) {
                try await iam.detachRolePolicy(roleName: "nobody", policyArn: policy.arn)
            }
            await expectIdentityError(.noSuchEntity) { _ = try await iam.listAttachedRolePolicies(roleName: "nobody") }
            await expectIdentityError(.noSuchEntity) {
                _ = try await iam.listEntitiesForPolicy(policyArn: policyArn("q"))
            }
            #expect(try await iam.listAttachedRolePolicies(roleName: "r").items.isEmpty)
        }
    }

    @Test("at most 10 managed policies per role", arguments: Engine.available)
    func quota(engine: Engine) async throws {
        try await Fixture.with(engine) { iam, _ in
            try await iam.createRole(roleName: "r", assumeRolePolicyDocument: Documents.trust())
            for index in 0...10 {
                try await iam.createPolicy(policyName: "p\(index)", policyDocument: Documents.permissions("iot:*"))
            }
            for index in 0..<10 { try await iam.attachRolePolicy(roleName: "r", policyArn: policyArn("p\(index)")) }
            // Attaching one already attached is still fine.
            try await iam.attachRolePolicy(roleName: "r", policyArn: policyArn("p0"))
            let error = await expectIdentityError(.limitExceeded) {
                try await iam.attachRolePolicy(roleName: "r", policyArn: policyArn("p10"))
            }
            #expect(error?.message == "Cannot exceed quota for PoliciesPerRole: 10")
            #expect(try await iam.listAttachedRolePolicies(roleName: "r").items.count == 10)
        }
    }
}
