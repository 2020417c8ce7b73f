import Foundation
import Identity
import SQLKit
import Storage
import Testing

@Suite("IAM storage: migrations, persistence, reset")
struct PersistenceTests {
    @Test(
        "the schema is migration 1 of the identity component, and migrating again does nothing",
        arguments: Engine.available)
    func migrations(engine: Engine) async throws {
        try await Fixture.with(engine) { iam, fixture in
            let database = try await Database.open(fixture.configuration)
            let applied = try await database.appliedMigrations(component: IdentityStore.migrationComponent)
            #expect(applied.map(\.version) == [1])
            #expect(IdentityStore.migrationComponent == "identity")
            #expect(try await database.migrate(component: "identity", IdentityStore.migrations).isEmpty)
            await database.shutdown()
            try await iam.migrate()
        }
    }

    @Test("roles and policies survive reopening the database", arguments: Engine.available)
    func reopen(engine: Engine) async throws {
        let fixture = Fixture(engine)
        var (database, iam) = try await fixture.open()
        let role = try await iam.createRole(
            roleName: "r", path: "/p/", assumeRolePolicyDocument: Documents.trust(),
            tags: [IAMTag(key: "k", value: "v")])
        let policy = try await iam.createPolicy(policyName: "p", policyDocument: Documents.permissions("sns:Publish"))
        try await iam.attachRolePolicy(roleName: "r", policyArn: policy.arn)
        try await iam.putRolePolicy(roleName: "r", policyName: "i", policyDocument: Documents.permissions("iot:*"))
        await database.shutdown()

        (database, iam) = try await fixture.open()
        #expect(try await iam.getRole(roleName: "r") == role)
        #expect(try await iam.getPolicy(policyArn: policy.arn).attachmentCount == 1)
        #expect(try await iam.listRolePolicies(roleName: "r").items == ["i"])
        #expect(
            try await iam.isAllowed(
                roleArn: role.arn, action: "sns:Publish", resource: "arn:aws:sns:us-east-1:123456789012:t"))
        await database.shutdown()
        await fixture.destroy()
    }

    @Test("reset deletes every role and policy and keeps the schema", arguments: Engine.available)
    func reset(engine: Engine) async throws {
        try await Fixture.with(engine) { iam, _ in
            let (role, policy) = try await AuthorizationTests.seed(iam)
            try await iam.putRolePolicy(
                roleName: role.roleName, policyName: "i", policyDocument: Documents.permissions("iot:*"))
            try await iam.createPolicyVersion(policyArn: policy.arn, policyDocument: Documents.permissions("iot:*"))
            #expect(
                try await iam.isAllowed(roleArn: role.arn, action: "sns:Publish", resource: AuthorizationTests.topic))
            try await iam.reset()
            #expect(try await iam.listRoles().items.isEmpty)
            #expect(try await iam.listPolicies().items.isEmpty)
            #expect(
                try await iam.authorize(roleArn: role.arn, action: "sns:Publish", resource: AuthorizationTests.topic)
                    .outcome == .roleNotFound)
            // The same names can be created again.
            _ = try await AuthorizationTests.seed(iam)
        }
    }
}
