import AWSWire
import ControlPlane
import Foundation
import Identity
import Storage
import Testing

@Suite("iam: attachments and inline policies over the query protocol")
struct IAMAttachmentTests {
    @Test("AttachRolePolicy, ListAttachedRolePolicies, ListEntitiesForPolicy, DetachRolePolicy")
    func attachments() async throws {
        try await IAMFixture.with { iam in
            let role = try await iam.call(
                "CreateRole",
                [
                    ("RoleName", "rule-role"), ("Path", "/service-role/"),
                    ("AssumeRolePolicyDocument", IAMFixture.trust()),
                ]
            ).ok("CreateRole")
            try await iam.call(
                "CreatePolicy", [("PolicyName", "publish"), ("PolicyDocument", IAMFixture.allow("sns:Publish"))]
            )
            .ok("CreatePolicy")
            let arn = iam.policyArn("publish")
            try await iam.call("AttachRolePolicy", [("RoleName", "rule-role"), ("PolicyArn", arn)]).ok(
                "AttachRolePolicy")

            let attached = try await iam.call("ListAttachedRolePolicies", [("RoleName", "rule-role")])
                .ok("ListAttachedRolePolicies")
            #expect(
                attached.body.contains(
                    "<AttachedPolicies><member><PolicyName>publish</PolicyName><PolicyArn>\(arn)</PolicyArn></member></AttachedPolicies>"
                ))
            #expect(attached.xml("IsTruncated") == "false")
            let entities = try await iam.call("ListEntitiesForPolicy", [("PolicyArn", arn)]).ok("ListEntitiesForPolicy")
            #expect(entities.xmlAll("RoleName") == ["rule-role"])
            #expect(entities.xml("RoleId") == role.xml("RoleId"))
            #expect(
                entities.body.contains("<PolicyGroups></PolicyGroups>") || entities.body.contains("<PolicyGroups/>"))
            let users = try await iam.call("ListEntitiesForPolicy", [("PolicyArn", arn), ("EntityFilter", "User")])
                .ok("ListEntitiesForPolicy")
            #expect(users.xmlAll("RoleName").isEmpty)
            #expect(try await iam.call("GetPolicy", [("PolicyArn", arn)]).ok("GetPolicy").xml("AttachmentCount") == "1")

            // The store's authorization sees the attachment.
            #expect(
                try await iam.identity.isAllowed(
                    roleArn: "arn:aws:iam::123456789012:role/service-role/rule-role", action: "sns:Publish",
                    resource: "arn:aws:sns:us-east-1:123456789012:t"))

            try await iam.call("DeleteRole", [("RoleName", "rule-role")]).iamError("DeleteConflict", status: 409)
            try await iam.call("DeletePolicy", [("PolicyArn", arn)]).iamError("DeleteConflict", status: 409)
            try await iam.call("DetachRolePolicy", [("RoleName", "rule-role"), ("PolicyArn", arn)]).ok(
                "DetachRolePolicy")
            try await iam.call("DetachRolePolicy", [("RoleName", "rule-role"), ("PolicyArn", arn)])
                .iamError("NoSuchEntity", status: 404)
            let aws = try await iam.call(
                "AttachRolePolicy",
                [("RoleName", "rule-role"), ("PolicyArn", "arn:aws:iam::aws:policy/AWSIoTRuleActions")]
            ).iamError("NoSuchEntity", status: 404)
            #expect(aws == "Policy arn:aws:iam::aws:policy/AWSIoTRuleActions does not exist or is not attachable.")
            try await iam.call("AttachRolePolicy", [("RoleName", "nobody"), ("PolicyArn", arn)])
                .iamError("NoSuchEntity", status: 404)
            try await iam.call("ListAttachedRolePolicies", [("RoleName", "nobody")]).iamError(
                "NoSuchEntity", status: 404)
        }
    }

    @Test("PutRolePolicy, GetRolePolicy (URL-encoded document), ListRolePolicies, DeleteRolePolicy")
    func inline() async throws {
        try await IAMFixture.with { iam in
            try await iam.call("CreateRole", [("RoleName", "r"), ("AssumeRolePolicyDocument", IAMFixture.trust())])
                .ok("CreateRole")
            let document = IAMFixture.allow("sns:Publish")
            for name in ["b", "a"] {
                try await iam.call(
                    "PutRolePolicy", [("RoleName", "r"), ("PolicyName", name), ("PolicyDocument", document)]
                )
                .ok("PutRolePolicy")
            }
            let got = try await iam.call("GetRolePolicy", [("RoleName", "R"), ("PolicyName", "a")]).ok("GetRolePolicy")
            #expect(got.xml("RoleName") == "r" && got.xml("PolicyName") == "a")
            #expect(got.xml("PolicyDocument") == AWSPercentEncoding.encode(document))
            let listed = try await iam.call("ListRolePolicies", [("RoleName", "r")]).ok("ListRolePolicies")
            #expect(listed.body.contains("<PolicyNames><member>a</member><member>b</member></PolicyNames>"))
            let page = try await iam.call("ListRolePolicies", [("RoleName", "r"), ("MaxItems", "1")]).ok(
                "ListRolePolicies")
            #expect(page.xml("IsTruncated") == "true" && page.xml("Marker") != nil)

            let missing = try await iam.call("GetRolePolicy", [("RoleName", "r"), ("PolicyName", "c")])
                .iamError("NoSuchEntity", status: 404)
            #expect(missing == "The role policy with name c cannot be found.")
            try await iam.call(
                "PutRolePolicy", [("RoleName", "r"), ("PolicyName", "c"), ("PolicyDocument", IAMFixture.trust())]
            )
            .iamError("MalformedPolicyDocument", status: 400)
            try await iam.call("DeleteRolePolicy", [("RoleName", "r"), ("PolicyName", "a")]).ok("DeleteRolePolicy")
            try await iam.call("DeleteRolePolicy", [("RoleName", "r"), ("PolicyName", "a")]).iamError(
                "NoSuchEntity", status: 404)
            #expect(
                try await iam.call("ListRolePolicies", [("RoleName", "r")]).ok("ListRolePolicies").xmlAll("member") == [
                    "b"
                ])
        }
    }

    @Test("every iam operation of the model has a handler")
    func everyOperation() async throws {
        var api = TestAPI(registersTestHandlers: false)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "thingport-iam-\(UUID().uuidString)")
        let database = try await Database.open(.sqlite(path: directory.appendingPathComponent("db.sqlite").path))
        api.controlPlane.registerIAMOperations(IdentityStore(database: database, accountId: IAMFixture.accountId))
        #expect(!api.controlPlane.unregisteredOperations.contains { $0.hasPrefix("iam:") })
        await database.shutdown()
        try? FileManager.default.removeItem(at: directory)
    }
}
