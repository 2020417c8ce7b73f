import Foundation
import Identity
import Testing

@Suite("IAM roles")
struct RoleTests {
    @Test("CreateRole and GetRole: ARN with path, AROA id, whole-second dates, defaults", arguments: Engine.available)
    func create(engine: Engine) async throws {
        try await Fixture.with(engine) { iam, fixture in
            let created = try await iam.createRole(
                roleName: "test-iot-role-1", path: "/service-role/", assumeRolePolicyDocument: Documents.trust(),
                description: "rules", tags: [IAMTag(key: "team", value: "ops"), IAMTag(key: "a", value: "")])
            #expect(created.arn == "arn:aws:iam::123456789012:role/service-role/test-iot-role-1")
            #expect(created.path == "/service-role/")
            #expect(created.roleId.hasPrefix("AROA") && created.roleId.count == 21)
            #expect(created.roleId.allSatisfy { $0.isUppercase || ("2"..."7").contains($0) })
            #expect(created.createDate == Date(timeIntervalSince1970: 1_700_000_000))
            #expect(created.maxSessionDuration == 3600)
            #expect(created.description == "rules")
            #expect(created.tags == [IAMTag(key: "team", value: "ops"), IAMTag(key: "a", value: "")])
            #expect(created.assumeRolePolicyDocument == Documents.trust())

            fixture.clock.advance(seconds: 10)
            #expect(try await iam.getRole(roleName: "test-iot-role-1") == created)
            // Names match regardless of case; the role keeps its own spelling.
            #expect(try await iam.getRole(roleName: "TEST-IOT-ROLE-1") == created)

            let plain = try await iam.createRole(roleName: "plain", assumeRolePolicyDocument: Documents.trust())
            #expect(plain.arn == "arn:aws:iam::123456789012:role/plain")
            #expect(plain.path == "/" && plain.description == nil && plain.tags.isEmpty)
            #expect(plain.roleId != created.roleId)
        }
    }

    @Test("role names are unique regardless of case", arguments: Engine.available)
    func duplicate(engine: Engine) async throws {
        try await Fixture.with(engine) { iam, _ in
            try await iam.createRole(roleName: "Reader", assumeRolePolicyDocument: Documents.trust())
            let error = await expectIdentityError(.entityAlreadyExists) {
                try await iam.createRole(
                    roleName: "reader", path: "/other/", assumeRolePolicyDocument: Documents.trust())
            }
            #expect(error?.message == "Role with name reader already exists.")
            #expect(error?.httpStatus == 409)
        }
    }

    @Test("GetRole of a missing role is NoSuchEntity")
    func missing() async throws {
        try await Fixture.with(.sqlite) { iam, _ in
            let error = await expectIdentityError(.noSuchEntity) { _ = try await iam.getRole(roleName: "nobody") }
            #expect(error?.message == "The role with name nobody cannot be found.")
            #expect(error?.httpStatus == 404)
            #expect(error?.awsError.code == "NoSuchEntity")
        }
    }

    @Test(
        "trust policies are validated as trust policies",
        arguments: [
            ("not json", IdentityError.Code.malformedPolicyDocument),
            (#"{"Version":"2012-10-17"}"#, .malformedPolicyDocument),
            // A trust policy names principals and no resources.
            (
                #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole"}]}"#,
                .malformedPolicyDocument
            ),
            (
                #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"iot.amazonaws.com"},"Action":"sts:AssumeRole","Resource":"*"}]}"#,
                .malformedPolicyDocument
            ),
            // Only STS actions.
            (
                #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"iot.amazonaws.com"},"Action":"sns:Publish"}]}"#,
                .malformedPolicyDocument
            ),
            // An identity policy is not a trust policy.
            (Documents.permissions("sns:Publish"), .malformedPolicyDocument),
        ])
    func trustValidation(document: String, code: IdentityError.Code) async throws {
        try await Fixture.with(.sqlite) { iam, _ in
            let error = await expectIdentityError(code) {
                try await iam.createRole(roleName: "r", assumeRolePolicyDocument: document)
            }
            #expect(error?.message.isEmpty == false)
            await expectIdentityError(.noSuchEntity) { _ = try await iam.getRole(roleName: "r") }
        }
    }

    @Test("a trust policy over 2048 characters besides whitespace exceeds the quota")
    func trustSize() async throws {
        try await Fixture.with(.sqlite) { iam, _ in
            let services = (0..<120).map { #""service\#($0).amazonaws.com""# }.joined(separator: ",")
            let large =
                #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":[\#(services)]},"Action":"sts:AssumeRole"}]}"#
            let error = await expectIdentityError(.limitExceeded) {
                try await iam.createRole(roleName: "r", assumeRolePolicyDocument: large)
            }
            #expect(error?.message == "Cannot exceed quota for ACLSizePerRole: 2048")
            // Whitespace does not count.
            let spaced = Documents.trust().replacingOccurrences(of: ",", with: String(repeating: " ", count: 800) + ",")
            try await iam.createRole(roleName: "r", assumeRolePolicyDocument: spaced)
        }
    }

    @Test(
        "names, paths, durations and descriptions are checked against the model",
        arguments: [
            ("bad/name", "/", 3600, "roleName"), (String(repeating: "n", count: 65), "/", 3600, "roleName"),
            ("", "/", 3600, "roleName"), ("ok", "no-slash", 3600, "path"), ("ok", "/a", 3600, "path"),
            ("ok", "//", 3600, "path"), ("ok", "/", 3599, "maxSessionDuration"),
            ("ok", "/", 43201, "maxSessionDuration"),
        ])
    func validation(name: String, path: String, duration: Int, member: String) async throws {
        try await Fixture.with(.sqlite) { iam, _ in
            let error = await expectIdentityError(.validationError) {
                try await iam.createRole(
                    roleName: name, path: path, assumeRolePolicyDocument: Documents.trust(),
                    maxSessionDuration: duration)
            }
            #expect(error?.message.hasPrefix("1 validation error detected: Value '") == true)
            #expect(error?.message.contains("at '\(member)'") == true, "\(error?.message ?? "")")
        }
    }

    @Test("tags: at most 50, keys unique regardless of case, no aws: prefix")
    func tags() async throws {
        try await Fixture.with(.sqlite) { iam, _ in
            await expectIdentityError(.invalidInput) {
                try await iam.createRole(
                    roleName: "r", assumeRolePolicyDocument: Documents.trust(),
                    tags: [IAMTag(key: "Team", value: "a"), IAMTag(key: "team", value: "b")])
            }
            await expectIdentityError(.invalidInput) {
                try await iam.createRole(
                    roleName: "r", assumeRolePolicyDocument: Documents.trust(), tags: [IAMTag(key: "aws:x")])
            }
            await expectIdentityError(.limitExceeded) {
                try await iam.createRole(
                    roleName: "r", assumeRolePolicyDocument: Documents.trust(),
                    tags: (0...50).map { IAMTag(key: "k\($0)") })
            }
            let fifty = (0..<50).map { IAMTag(key: "k\($0)", value: "v\($0)") }
            let role = try await iam.createRole(roleName: "r", assumeRolePolicyDocument: Documents.trust(), tags: fifty)
            #expect(role.tags == fifty)
        }
    }

    @Test(
        "UpdateRole changes description and duration; UpdateAssumeRolePolicy the trust policy",
        arguments: Engine.available)
    func update(engine: Engine) async throws {
        try await Fixture.with(engine) { iam, _ in
            try await iam.createRole(roleName: "r", assumeRolePolicyDocument: Documents.trust(), description: "old")
            try await iam.updateRole(roleName: "R", maxSessionDuration: 7200)
            var role = try await iam.getRole(roleName: "r")
            #expect(role.description == "old" && role.maxSessionDuration == 7200)
            try await iam.updateRole(roleName: "r", description: "new")
            role = try await iam.getRole(roleName: "r")
            #expect(role.description == "new" && role.maxSessionDuration == 7200)

            try await iam.updateAssumeRolePolicy(roleName: "r", policyDocument: Documents.trust("lambda.amazonaws.com"))
            #expect(
                try await iam.getRole(roleName: "r").assumeRolePolicyDocument == Documents.trust("lambda.amazonaws.com")
            )
            await expectIdentityError(.malformedPolicyDocument) {
                try await iam.updateAssumeRolePolicy(roleName: "r", policyDocument: Documents.permissions("s3:*"))
            }
            #expect(
                try await iam.getRole(roleName: "r").assumeRolePolicyDocument == Documents.trust("lambda.amazonaws.com")
            )

            await expectIdentityError(.noSuchEntity) { try await iam.updateRole(roleName: "x", description: "d") }
            await expectIdentityError(.noSuchEntity) {
                try await iam.updateAssumeRolePolicy(roleName: "x", policyDocument: Documents.trust())
            }
            await expectIdentityError(.validationError) {
                try await iam.updateRole(roleName: "r", maxSessionDuration: 100)
            }
        }
    }

    @Test("ListRoles: by name regardless of case, path prefix, paging", arguments: Engine.available)
    func list(engine: Engine) async throws {
        try await Fixture.with(engine) { iam, _ in
            let roles: [(String, String)] = [
                ("delta", "/"), ("Alpha", "/service-role/"), ("charlie", "/service-role/iot/"), ("bravo", "/app/"),
                ("echo", "/service-roles/"),
            ]
            for (name, path) in roles {
                try await iam.createRole(roleName: name, path: path, assumeRolePolicyDocument: Documents.trust())
            }
            let all = try await iam.collect { try await iam.listRoles(marker: $0, maxItems: 2) }
            #expect(all.items.map(\.roleName) == ["Alpha", "bravo", "charlie", "delta", "echo"])
            #expect(all.pages == 3)
            #expect(all.items.first?.assumeRolePolicyDocument == Documents.trust())

            let service = try await iam.listRoles(pathPrefix: "/service-role/")
            #expect(service.items.map(\.roleName) == ["Alpha", "charlie"])
            #expect(!service.isTruncated)
            #expect(
                try await iam.listRoles(pathPrefix: "/service-role").items.map(\.roleName) == [
                    "Alpha", "charlie", "echo",
                ])
            #expect(try await iam.listRoles(pathPrefix: "/nothing/").items.isEmpty)
            #expect(try await iam.listRoles(pathPrefix: "/").items.count == 5)

            let first = try await iam.listRoles(maxItems: 5)
            #expect(first.items.count == 5 && first.marker == nil)

            await expectIdentityError(.validationError) { _ = try await iam.listRoles(marker: "garbage!") }
            await expectIdentityError(.validationError) { _ = try await iam.listRoles(maxItems: 0) }
            await expectIdentityError(.validationError) { _ = try await iam.listRoles(maxItems: 1001) }
            await expectIdentityError(.validationError) { _ = try await iam.listRoles(pathPrefix: "no-slash") }
        }
    }

    @Test("DeleteRole: DeleteConflict while policies are attached or embedded", arguments: Engine.available)
    func delete(engine: Engine) async throws {
        try await Fixture.with(engine) { iam, _ in
            try await iam.createRole(roleName: "r", assumeRolePolicyDocument: Documents.trust())
            let policy = try await iam.createPolicy(
                policyName: "p", policyDocument: Documents.permissions("sns:Publish"))
            try await iam.attachRolePolicy(roleName: "r", policyArn: policy.arn)
            try await iam.putRolePolicy(
                roleName: "r", policyName: "inline", policyDocument: Documents.permissions("iot:*"))

            var error = await expectIdentityError(.deleteConflict) { try await iam.deleteRole(roleName: "r") }
            #expect(error?.message == "Cannot delete entity, must detach all policies first.")
            try await iam.detachRolePolicy(roleName: "r", policyArn: policy.arn)
            error = await expectIdentityError(.deleteConflict) { try await iam.deleteRole(roleName: "r") }
            #expect(error?.message == "Cannot delete entity, must delete policies first.")
            try await iam.deleteRolePolicy(roleName: "r", policyName: "inline")

            try await iam.deleteRole(roleName: "R")
            await expectIdentityError(.noSuchEntity) { _ = try await iam.getRole(roleName: "r") }
            await expectIdentityError(.noSuchEntity) { try await iam.deleteRole(roleName: "r") }
            // The name is free again, with a new id.
            try await iam.createRole(roleName: "r", assumeRolePolicyDocument: Documents.trust())
        }
    }
}
