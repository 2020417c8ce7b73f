import Foundation
import Identity
import Testing

@Suite("IAM managed policies")
struct ManagedPolicyTests {
    static let seedDocument = """
        {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "sns:Publish", \
        "Resource": "arn:aws:sns:us-east-1:123456789012:iot-notification"}}
        """

    @Test("CreatePolicy and GetPolicy: ARN with path, ANPA id, v1 default, tags", arguments: Engine.available)
    func create(engine: Engine) async throws {
        try await Fixture.with(engine) { iam, _ in
            let created = try await iam.createPolicy(
                policyName: "test-iot-policy-1", path: "/iot/rules/", policyDocument: Self.seedDocument,
                description: "publish", tags: [IAMTag(key: "k", value: "v")])
            #expect(created.arn == "arn:aws:iam::123456789012:policy/iot/rules/test-iot-policy-1")
            #expect(created.policyId.hasPrefix("ANPA") && created.policyId.count == 21)
            #expect(created.defaultVersionId == "v1")
            #expect(created.attachmentCount == 0)
            #expect(created.description == "publish")
            #expect(created.tags == [IAMTag(key: "k", value: "v")])
            #expect(created.createDate == Date(timeIntervalSince1970: 1_700_000_000))
            #expect(created.updateDate == created.createDate)
            #expect(try await iam.getPolicy(policyArn: created.arn) == created)
            // The name matches regardless of case; the path must be the policy's.
            #expect(try await iam.getPolicy(policyArn: policyArn("TEST-IOT-POLICY-1", path: "/iot/rules/")) == created)
            let wrongPath = await expectIdentityError(.noSuchEntity) {
                _ = try await iam.getPolicy(policyArn: policyArn("test-iot-policy-1"))
            }
            #expect(wrongPath?.message == "Policy arn:aws:iam::123456789012:policy/test-iot-policy-1 was not found.")
            let version = try await iam.getPolicyVersion(policyArn: created.arn, versionId: "v1")
            #expect(version.document == Self.seedDocument && version.isDefaultVersion)
        }
    }

    @Test("policy names are unique in the account regardless of case and path")
    func duplicate() async throws {
        try await Fixture.with(.sqlite) { iam, _ in
            try await iam.createPolicy(policyName: "Publish", policyDocument: Self.seedDocument)
            let error = await expectIdentityError(.entityAlreadyExists) {
                try await iam.createPolicy(policyName: "publish", path: "/x/", policyDocument: Self.seedDocument)
            }
            #expect(error?.message == "A policy called publish already exists. Duplicate names are not allowed.")
        }
    }

    @Test(
        "policy ARNs: other accounts and AWS managed policies do not exist; non-ARNs are invalid input",
        arguments: [
            ("arn:aws:iam::aws:policy/AdministratorAccess", IdentityError.Code.noSuchEntity),
            ("arn:aws:iam::210987654321:policy/p", .noSuchEntity),
            ("arn:aws-cn:iam::123456789012:policy/p", .noSuchEntity),
            ("arn:aws:iam::123456789012:role/p", .invalidInput), ("not-an-arn-at-all-really", .invalidInput),
            ("arn:aws:sns:us-east-1:123456789012:p", .invalidInput),
        ])
    func arns(arn: String, code: IdentityError.Code) async throws {
        try await Fixture.with(.sqlite) { iam, _ in
            try await iam.createPolicy(policyName: "p", policyDocument: Self.seedDocument)
            await expectIdentityError(code) { _ = try await iam.getPolicy(policyArn: arn) }
            await expectIdentityError(code) { try await iam.deletePolicy(policyArn: arn) }
        }
    }

    @Test(
        "documents are validated as identity policies",
        arguments: [
            "{", #"{"Version":"2012-10-17","Statement":[]}"#,
            #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sns:Publish"}]}"#,
            #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sns:Publish","Resource":"*","Principal":"*"}]}"#,
            #"{"Version":"2012-10-17","Statement":[{"Effect":"Permit","Action":"sns:Publish","Resource":"*"}]}"#,
            #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"Publish","Resource":"*"}]}"#,
            Documents.trust(),
        ])
    func malformed(document: String) async throws {
        try await Fixture.with(.sqlite) { iam, _ in
            let error = await expectIdentityError(.malformedPolicyDocument) {
                try await iam.createPolicy(policyName: "p", policyDocument: document)
            }
            #expect(error?.httpStatus == 400 && error?.message.isEmpty == false)
            await expectIdentityError(.noSuchEntity) { _ = try await iam.getPolicy(policyArn: policyArn("p")) }
        }
    }

    @Test("a managed policy over 6144 characters besides whitespace exceeds the quota")
    func size() async throws {
        try await Fixture.with(.sqlite) { iam, _ in
            let resources = (0..<200).map { #""arn:aws:sns:us-east-1:123456789012:topic\#($0)""# }
            let document =
                #"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"sns:Publish","Resource":[\#(resources.joined(separator: ","))]}}"#
            let error = await expectIdentityError(.limitExceeded) {
                try await iam.createPolicy(policyName: "p", policyDocument: document)
            }
            #expect(error?.message == "Cannot exceed quota for PolicySize: 6144")
        }
    }

    @Test("ListPolicies: scope, only attached, path prefix, paging", arguments: Engine.available)
    func list(engine: Engine) async throws {
        try await Fixture.with(engine) { iam, _ in
            for (name, path) in [("c", "/"), ("A", "/team/"), ("b", "/team/ops/"), ("d", "/teams/")] {
                try await iam.createPolicy(policyName: name, path: path, policyDocument: Self.seedDocument)
            }
            try await iam.createRole(roleName: "r", assumeRolePolicyDocument: Documents.trust())
            try await iam.attachRolePolicy(roleName: "r", policyArn: policyArn("b", path: "/team/ops/"))

            let all = try await iam.collect { try await iam.listPolicies(marker: $0, maxItems: 3) }
            #expect(all.items.map(\.policyName) == ["A", "b", "c", "d"])
            #expect(all.pages == 2)
            #expect(all.items.map(\.attachmentCount) == [0, 1, 0, 0])
            #expect(try await iam.listPolicies(scope: .local).items.count == 4)
            #expect(try await iam.listPolicies(scope: .aws).items.isEmpty)
            #expect(try await iam.listPolicies(onlyAttached: true).items.map(\.policyName) == ["b"])
            #expect(try await iam.listPolicies(pathPrefix: "/team/").items.map(\.policyName) == ["A", "b"])
            #expect(try await iam.listPolicies(policyUsageFilter: .permissionsPolicy).items.count == 4)
            #expect(try await iam.listPolicies(policyUsageFilter: .permissionsBoundary).items.isEmpty)
            await expectIdentityError(.validationError) { _ = try await iam.listPolicies(marker: "bm90LW91cnM=") }
        }
    }

    @Test("DeletePolicy: DeleteConflict while attached or with other versions", arguments: Engine.available)
    func delete(engine: Engine) async throws {
        try await Fixture.with(engine) { iam, _ in
            let policy = try await iam.createPolicy(policyName: "p", policyDocument: Self.seedDocument)
            try await iam.createRole(roleName: "r", assumeRolePolicyDocument: Documents.trust())
            try await iam.attachRolePolicy(roleName: "r", policyArn: policy.arn)
            var error = await expectIdentityError(.deleteConflict) { try await iam.deletePolicy(policyArn: policy.arn) }
            #expect(error?.message == "Cannot delete a policy attached to entities.")
            try await iam.detachRolePolicy(roleName: "r", policyArn: policy.arn)

            try await iam.createPolicyVersion(policyArn: policy.arn, policyDocument: Documents.permissions("iot:*"))
            error = await expectIdentityError(.deleteConflict) { try await iam.deletePolicy(policyArn: policy.arn) }
            #expect(error?.message.hasPrefix("This policy has more than one version.") == true)
            try await iam.deletePolicyVersion(policyArn: policy.arn, versionId: "v2")

            try await iam.deletePolicy(policyArn: policy.arn)
            await expectIdentityError(.noSuchEntity) { _ = try await iam.getPolicy(policyArn: policy.arn) }
            await expectIdentityError(.noSuchEntity) { try await iam.deletePolicy(policyArn: policy.arn) }
            await expectIdentityError(.noSuchEntity) {
                _ = try await iam.getPolicyVersion(policyArn: policy.arn, versionId: "v1")
            }
        }
    }
}
