import Foundation
import Registry
import Testing

@Suite("Policies")
struct PolicyTests {
    static let document = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iot:*","Resource":"*"}]}"#

    @Test("Create, get, duplicate, delete", arguments: Engine.available)
    func lifecycle(engine: Engine) async throws {
        try await Fixture.with(engine) { registry, fixture in
            let policy = try await registry.createPolicy(policyName: "device-policy", policyDocument: Self.document)
            #expect(policy.policyArn == "arn:aws:iot:us-east-1:123456789012:policy/device-policy")
            #expect(policy.defaultVersionId == "1")
            #expect(policy.policyDocument == Self.document)
            #expect(policy.creationDate == fixture.clock.now)
            #expect(policy.generationId.count == 64)
            #expect(try await registry.getPolicy(policyName: "device-policy") == policy)
            let duplicate = await expectRegistryError(.resourceAlreadyExists) {
                try await registry.createPolicy(policyName: "device-policy", policyDocument: Self.document)
            }
            #expect(duplicate?.message == "Policy cannot be created - name already exists (name=device-policy)")
            #expect(duplicate?.resourceArn == policy.policyArn)
            await expectRegistryError(.invalidRequest) {
                try await registry.createPolicy(policyName: "bad/name", policyDocument: "{}")
            }
            try await registry.deletePolicy(policyName: "device-policy")
            await expectRegistryError(.resourceNotFound) {
                _ = try await registry.getPolicy(policyName: "device-policy")
            }
            await expectRegistryError(.resourceNotFound) {
                try await registry.deletePolicy(policyName: "device-policy")
            }
        }
    }

    @Test("ListPolicies pages by name, both orders", arguments: Engine.available)
    func list(engine: Engine) async throws {
        try await Fixture.with(engine) { registry, _ in
            let names = (1...7).map { "policy-\($0)" }
            for name in names { try await registry.createPolicy(policyName: name, policyDocument: "{}") }
            let ascending = try await registry.collect { try await registry.listPolicies(marker: $0, pageSize: 3) }
            #expect(ascending.items.map(\.policyName) == names)
            #expect(ascending.pages == 3)
            let descending = try await registry.collect {
                try await registry.listPolicies(marker: $0, pageSize: 5, ascendingOrder: false)
            }
            #expect(descending.items.map(\.policyName) == names.reversed())
            #expect(ascending.items.first?.policyArn == "arn:aws:iot:us-east-1:123456789012:policy/policy-1")
        }
    }

    @Test("Versions: create, default, limit of 5, get, list, delete", arguments: Engine.available)
    func versions(engine: Engine) async throws {
        try await Fixture.with(engine) { registry, _ in
            try await registry.createPolicy(policyName: "p", policyDocument: "v1")
            let v2 = try await registry.createPolicyVersion(policyName: "p", policyDocument: "v2")
            #expect(v2.policyVersionId == "2")
            #expect(!v2.isDefaultVersion)
            #expect(try await registry.getPolicy(policyName: "p").policyDocument == "v1")
            let v3 = try await registry.createPolicyVersion(policyName: "p", policyDocument: "v3", setAsDefault: true)
            #expect(v3.isDefaultVersion)
            let policy = try await registry.getPolicy(policyName: "p")
            #expect(policy.policyDocument == "v3")
            #expect(policy.defaultVersionId == "3")
            try await registry.createPolicyVersion(policyName: "p", policyDocument: "v4")
            try await registry.createPolicyVersion(policyName: "p", policyDocument: "v5")
            let limit = await expectRegistryError(.versionsLimitExceeded) {
                try await registry.createPolicyVersion(policyName: "p", policyDocument: "v6")
            }
            #expect(limit?.httpStatus == 409)
            let versions = try await registry.listPolicyVersions(policyName: "p")
            #expect(versions.map(\.versionId) == ["5", "4", "3", "2", "1"])
            #expect(versions.filter(\.isDefaultVersion).map(\.versionId) == ["3"])

            let fetched = try await registry.getPolicyVersion(policyName: "p", policyVersionId: "2")
            #expect(fetched.policyDocument == "v2")
            #expect(!fetched.isDefaultVersion)
            await expectRegistryError(.resourceNotFound) {
                _ = try await registry.getPolicyVersion(policyName: "p", policyVersionId: "9")
            }
            await expectRegistryError(.invalidRequest) {
                _ = try await registry.getPolicyVersion(policyName: "p", policyVersionId: "v1")
            }

            let deleteDefault = await expectRegistryError(.deleteConflict) {
                try await registry.deletePolicyVersion(policyName: "p", policyVersionId: "3")
            }
            #expect(deleteDefault?.message == "Cannot delete the default version of a policy")
            try await registry.deletePolicyVersion(policyName: "p", policyVersionId: "2")
            await expectRegistryError(.resourceNotFound) {
                try await registry.deletePolicyVersion(policyName: "p", policyVersionId: "2")
            }
            // Room again; ids are not reused.
            #expect(
                try await registry.createPolicyVersion(policyName: "p", policyDocument: "v6").policyVersionId == "6")

            try await registry.setDefaultPolicyVersion(policyName: "p", policyVersionId: "6")
            #expect(try await registry.getPolicy(policyName: "p").policyDocument == "v6")
            await expectRegistryError(.resourceNotFound) {
                try await registry.setDefaultPolicyVersion(policyName: "p", policyVersionId: "2")
            }
            await expectRegistryError(.resourceNotFound) {
                try await registry.createPolicyVersion(policyName: "missing", policyDocument: "{}")
            }
            await expectRegistryError(.resourceNotFound) {
                _ = try await registry.listPolicyVersions(policyName: "missing")
            }

            let versionsLeft = await expectRegistryError(.deleteConflict) {
                try await registry.deletePolicy(policyName: "p")
            }
            #expect(versionsLeft?.message.contains("policy versions") == true)
            for version in ["1", "3", "4", "5"] {
                try await registry.deletePolicyVersion(policyName: "p", policyVersionId: version)
            }
            try await registry.deletePolicy(policyName: "p")
        }
    }

    @Test("DeletePolicy refuses while attached", arguments: Engine.available)
    func deleteAttached(engine: Engine) async throws {
        try await Fixture.with(engine) { registry, _ in
            try await registry.createPolicy(policyName: "p", policyDocument: "{}")
            try await registry.registerTestCertificate(1)
            try await registry.attachPolicy(policyName: "p", target: certificateArn(1))
            let error = await expectRegistryError(.deleteConflict) { try await registry.deletePolicy(policyName: "p") }
            #expect(
                error?.message
                    == "The policy cannot be deleted as the policy is attached to one or more principals (name=p)")
            try await registry.detachPolicy(policyName: "p", target: certificateArn(1))
            try await registry.deletePolicy(policyName: "p")
        }
    }
}
