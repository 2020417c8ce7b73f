import AWSWire
import ControlPlane
import Foundation
import Testing

@Suite("iam: roles over the query protocol")
struct IAMRoleTests {
    @Test("CreateRole and GetRole answer XML with the trust policy URL-encoded")
    func createAndGet() async throws {
        try await IAMFixture.with { iam in
            let trust = IAMFixture.trust()
            let created = try await iam.call(
                "CreateRole",
                [
                    ("RoleName", "test-iot-role-1"), ("Path", "/service-role/"), ("AssumeRolePolicyDocument", trust),
                    ("Description", "rules & more"), ("MaxSessionDuration", "7200"),
                    ("Tags.member.1.Key", "team"), ("Tags.member.1.Value", "ops"),
                ]
            ).ok("CreateRole")
            #expect(
                created.body.hasPrefix(
                    #"<CreateRoleResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><CreateRoleResult><Role><Path>/service-role/</Path><RoleName>test-iot-role-1</RoleName><RoleId>AROA"#
                ))
            #expect(created.xml("Arn") == "arn:aws:iam::123456789012:role/service-role/test-iot-role-1")
            // As AWS: URL-encoded JSON, spaces as %20, which botocore unquotes and parses.
            let encoded = try #require(created.xml("AssumeRolePolicyDocument"))
            #expect(encoded == AWSPercentEncoding.encode(trust))
            #expect(encoded.hasPrefix("%7B%22Version%22%3A%20%222012-10-17%22"))
            #expect(AWSPercentEncoding.decode(encoded) == trust)
            #expect(created.xml("Description") == "rules & more")
            #expect(created.xml("MaxSessionDuration") == "7200")
            #expect(created.body.contains("<Tags><member><Key>team</Key><Value>ops</Value></member></Tags>"))
            let roleId = try #require(created.xml("RoleId"))
            #expect(roleId.count == 21)

            let got = try await iam.call("GetRole", [("RoleName", "TEST-IOT-ROLE-1")]).ok("GetRole")
            #expect(got.xml("RoleId") == roleId)
            #expect(got.xml("RoleName") == "test-iot-role-1")
            #expect(got.xml("AssumeRolePolicyDocument") == encoded)
            #expect(got.xml("CreateDate") == created.xml("CreateDate"))
            #expect(got.body.contains("<RoleLastUsed></RoleLastUsed>") || got.body.contains("<RoleLastUsed/>"))
            #expect(got.body.contains("<Tags><member><Key>team</Key><Value>ops</Value></member></Tags>"))
        }
    }

    @Test("errors: EntityAlreadyExists, NoSuchEntity, MalformedPolicyDocument, ValidationError, InvalidInput")
    func errors() async throws {
        try await IAMFixture.with { iam in
            try await iam.call("CreateRole", [("RoleName", "r"), ("AssumeRolePolicyDocument", IAMFixture.trust())])
                .ok("CreateRole")
            let exists = try await iam.call(
                "CreateRole", [("RoleName", "R"), ("AssumeRolePolicyDocument", IAMFixture.trust())]
            ).iamError("EntityAlreadyExists", status: 409)
            #expect(exists == "Role with name R already exists.")
            let missing = try await iam.call("GetRole", [("RoleName", "nobody")]).iamError("NoSuchEntity", status: 404)
            #expect(missing == "The role with name nobody cannot be found.")
            try await iam.call(
                "CreateRole", [("RoleName", "s"), ("AssumeRolePolicyDocument", IAMFixture.allow("s3:*"))]
            ).iamError("MalformedPolicyDocument", status: 400)
            let model = try await iam.call(
                "CreateRole",
                [("RoleName", "t"), ("AssumeRolePolicyDocument", IAMFixture.trust()), ("MaxSessionDuration", "60")]
            ).iamError("ValidationError", status: 400)
            #expect(model.contains("at 'maxSessionDuration'"))
            let name = try await iam.call("GetRole", [("RoleName", "bad/name")]).iamError(
                "ValidationError", status: 400)
            #expect(name.hasPrefix("1 validation error detected: Value 'bad/name' at 'roleName'"))
            let required = try await iam.call("CreateRole", [("RoleName", "u")]).iamError(
                "ValidationError", status: 400)
            #expect(
                required.contains("at 'assumeRolePolicyDocument' failed to satisfy constraint: Member must not be null")
            )
            try await iam.call(
                "CreateRole",
                [
                    ("RoleName", "v"), ("AssumeRolePolicyDocument", IAMFixture.trust()),
                    ("PermissionsBoundary", "arn:aws:iam::123456789012:policy/boundary"),
                ]
            ).iamError("InvalidInput", status: 400)
            try await iam.call(
                "CreateRole",
                [
                    ("RoleName", "w"), ("AssumeRolePolicyDocument", IAMFixture.trust()),
                    ("Tags.member.1.Key", "k"), ("Tags.member.1.Value", "1"),
                    ("Tags.member.2.Key", "K"), ("Tags.member.2.Value", "2"),
                ]
            ).iamError("InvalidInput", status: 400)
            try await iam.call("GetRole", [("RoleName", "v")]).iamError("NoSuchEntity", status: 404)
        }
    }

    @Test("ListRoles pages with IsTruncated and Marker and filters by path prefix")
    func list() async throws {
        try await IAMFixture.with { iam in
            for (name, path) in [("c", "/"), ("a", "/service-role/"), ("b", "/service-role/")] {
                try await iam.call(
                    "CreateRole",
                    [("RoleName", name), ("Path", path), ("AssumeRolePolicyDocument", IAMFixture.trust())]
                ).ok("CreateRole")
            }
            var names: [String] = []
            var marker: String?
            var pages = 0
            repeat {
                let page = try await iam.call(
                    "ListRoles", [("MaxItems", "2")] + (marker.map { [("Marker", $0)] } ?? [])
                )
                .ok("ListRoles")
                names += page.xmlAll("RoleName")
                marker = page.xml("Marker")
                #expect(page.xml("IsTruncated") == (marker == nil ? "false" : "true"))
                #expect(!page.body.contains("<Tags>"))
                pages += 1
            } while marker != nil && pages < 10
            #expect(names == ["a", "b", "c"] && pages == 2)
            let service = try await iam.call("ListRoles", [("PathPrefix", "/service-role/")]).ok("ListRoles")
            #expect(service.xmlAll("RoleName") == ["a", "b"])
            #expect(service.xml("IsTruncated") == "false")
            try await iam.call("ListRoles", [("Marker", "not a marker")]).iamError("ValidationError", status: 400)
            try await iam.call("ListRoles", [("MaxItems", "0")]).iamError("ValidationError", status: 400)
        }
    }

    @Test("UpdateRole, UpdateAssumeRolePolicy and DeleteRole with its conflicts")
    func updateAndDelete() async throws {
        try await IAMFixture.with { iam in
            try await iam.call("CreateRole", [("RoleName", "r"), ("AssumeRolePolicyDocument", IAMFixture.trust())])
                .ok("CreateRole")
            let updated = try await iam.call(
                "UpdateRole", [("RoleName", "r"), ("Description", "new"), ("MaxSessionDuration", "3601")]
            ).ok("UpdateRole")
            #expect(
                updated.body.contains("<UpdateRoleResult></UpdateRoleResult>")
                    || updated.body.contains("<UpdateRoleResult/>"))
            var role = try await iam.call("GetRole", [("RoleName", "r")]).ok("GetRole")
            #expect(role.xml("Description") == "new" && role.xml("MaxSessionDuration") == "3601")

            let lambda = IAMFixture.trust("lambda.amazonaws.com")
            try await iam.call("UpdateAssumeRolePolicy", [("RoleName", "r"), ("PolicyDocument", lambda)])
                .ok("UpdateAssumeRolePolicy")
            role = try await iam.call("GetRole", [("RoleName", "r")]).ok("GetRole")
            #expect(role.xml("AssumeRolePolicyDocument").map { AWSPercentEncoding.decode($0) } == lambda)
            try await iam.call("UpdateAssumeRolePolicy", [("RoleName", "r"), ("PolicyDocument", "{")])
                .iamError("MalformedPolicyDocument", status: 400)
            try await iam.call("UpdateAssumeRolePolicy", [("RoleName", "x"), ("PolicyDocument", lambda)])
                .iamError("NoSuchEntity", status: 404)

            try await iam.call(
                "PutRolePolicy",
                [("RoleName", "r"), ("PolicyName", "i"), ("PolicyDocument", IAMFixture.allow("iot:*"))]
            )
            .ok("PutRolePolicy")
            let conflict = try await iam.call("DeleteRole", [("RoleName", "r")]).iamError("DeleteConflict", status: 409)
            #expect(conflict == "Cannot delete entity, must delete policies first.")
            try await iam.call("DeleteRolePolicy", [("RoleName", "r"), ("PolicyName", "i")]).ok("DeleteRolePolicy")
            try await iam.call("DeleteRole", [("RoleName", "r")]).ok("DeleteRole")
            try await iam.call("DeleteRole", [("RoleName", "r")]).iamError("NoSuchEntity", status: 404)
        }
    }
}
