import Foundation
import Identity
import Testing

@Suite("IAM managed policy versions")
struct PolicyVersionTests {
    @Test("at most 5 versions; numbers are never reused; the default moves", arguments: Engine.available)
    func versions(engine: Engine) async throws {
        try await Fixture.with(engine) { iam, fixture in
            let arn = try await iam.createPolicy(policyName: "p", policyDocument: Documents.permissions("iot:Connect"))
                .arn
            fixture.clock.advance(seconds: 60)
            let second = try await iam.createPolicyVersion(
                policyArn: arn, policyDocument: Documents.permissions("iot:Publish"), setAsDefault: true)
            #expect(second.versionId == "v2" && second.isDefaultVersion)
            #expect(second.document == Documents.permissions("iot:Publish"))
            var policy = try await iam.getPolicy(policyArn: arn)
            #expect(policy.defaultVersionId == "v2")
            #expect(policy.updateDate == policy.createDate.addingTimeInterval(60))

            for action in ["iot:Subscribe", "iot:Receive", "iot:GetThingShadow"] {
                let version = try await iam.createPolicyVersion(
                    policyArn: arn, policyDocument: Documents.permissions(action))
                #expect(!version.isDefaultVersion)
            }
            let limit = await expectIdentityError(.limitExceeded) {
                try await iam.createPolicyVersion(policyArn: arn, policyDocument: Documents.permissions("iot:*"))
            }
            #expect(limit?.message.hasPrefix("A managed policy can have up to 5 versions.") == true)
            #expect(limit?.httpStatus == 409)

            let listed = try await iam.listPolicyVersions(policyArn: arn)
            #expect(listed.items.map(\.versionId) == ["v5", "v4", "v3", "v2", "v1"])
            #expect(listed.items.map(\.isDefaultVersion) == [false, false, false, true, false])
            let paged = try await iam.collect {
                try await iam.listPolicyVersions(policyArn: arn, marker: $0, maxItems: 2)
            }
            #expect(paged.items == listed.items && paged.pages == 3)

            let conflict = await expectIdentityError(.deleteConflict) {
                try await iam.deletePolicyVersion(policyArn: arn, versionId: "v2")
            }
            #expect(conflict?.message == "Cannot delete the default version of a policy.")
            try await iam.deletePolicyVersion(policyArn: arn, versionId: "v3")
            await expectIdentityError(.noSuchEntity) {
                try await iam.deletePolicyVersion(policyArn: arn, versionId: "v3")
            }
            let sixth = try await iam.createPolicyVersion(
                policyArn: arn, policyDocument: Documents.permissions("iot:*"))
            #expect(sixth.versionId == "v6")

            try await iam.setDefaultPolicyVersion(policyArn: arn, versionId: "v6")
            policy = try await iam.getPolicy(policyArn: arn)
            #expect(policy.defaultVersionId == "v6")
            #expect(try await iam.getPolicyVersion(policyArn: arn, versionId: "v2").isDefaultVersion == false)
            try await iam.deletePolicyVersion(policyArn: arn, versionId: "v2")
        }
    }

    @Test("unknown versions and policies are NoSuchEntity; version ids are checked")
    func missing() async throws {
        try await Fixture.with(.sqlite) { iam, _ in
            let arn = try await iam.createPolicy(policyName: "p", policyDocument: Documents.permissions("iot:*")).arn
            let error = await expectIdentityError(.noSuchEntity) {
                _ = try await iam.getPolicyVersion(policyArn: arn, versionId: "v9")
            }
            #expect(error?.message == "Policy \(arn) version v9 does not exist or is not attachable.")
            await expectIdentityError(.noSuchEntity) {
                try await iam.setDefaultPolicyVersion(policyArn: arn, versionId: "v2")
            }
            await expectIdentityError(.noSuchEntity) {
                try await iam.createPolicyVersion(
                    policyArn: policyArn("q"), policyDocument: Documents.permissions("iot:*"))
            }
            await expectIdentityError(.noSuchEntity) { _ = try await iam.listPolicyVersions(policyArn: policyArn("q")) }
            for bad in ["1", "v0", "v01", "vx", "V1"] {
                await expectIdentityError(.validationError) {
                    _ = try await iam.getPolicyVersion(policyArn: arn, versionId: bad)
                }
            }
            await expectIdentityError(.malformedPolicyDocument) {
                try await iam.createPolicyVersion(policyArn: arn, policyDocument: Documents.trust())
            }
            #expect(try await iam.listPolicyVersions(policyArn: arn).items.count == 1)
        }
    }
}
