import AWSWire
import ControlPlane
import Foundation
import Testing

@Suite("iam: managed policies and versions over the query protocol")
struct IAMPolicyTests {
    @Test("CreatePolicy, GetPolicy, ListPolicies")
    func policies() async throws {
        try await IAMFixture.with { iam in
            let document = IAMFixture.allow("sns:Publish")
            let created = try await iam.call(
                "CreatePolicy",
                [
                    ("PolicyName", "test-iot-policy-1"), ("Path", "/iot/"), ("PolicyDocument", document),
                    ("Description", "publish"), ("Tags.member.1.Key", "k"), ("Tags.member.1.Value", "v"),
                ]
            ).ok("CreatePolicy")
            let arn = iam.policyArn("test-iot-policy-1", path: "/iot/")
            #expect(created.xml("Arn") == arn)
            #expect(created.xml("PolicyId")?.hasPrefix("ANPA") == true)
            #expect(created.xml("DefaultVersionId") == "v1")
            #expect(created.xml("AttachmentCount") == "0")
            #expect(created.xml("PermissionsBoundaryUsageCount") == "0")
            #expect(created.xml("IsAttachable") == "true")
            #expect(created.xml("Path") == "/iot/")
            #expect(created.xml("Description") == "publish")
            #expect(created.body.contains("<Tags><member><Key>k</Key><Value>v</Value></member></Tags>"))

            let got = try await iam.call("GetPolicy", [("PolicyArn", arn)]).ok("GetPolicy")
            #expect(got.xml("PolicyId") == created.xml("PolicyId"))
            #expect(got.xml("Description") == "publish")
            let missing = try await iam.call("GetPolicy", [("PolicyArn", iam.policyArn("test-iot-policy-1"))])
                .iamError("NoSuchEntity", status: 404)
            #expect(missing == "Policy arn:aws:iam::123456789012:policy/test-iot-policy-1 was not found.")
            try await iam.call("GetPolicy", [("PolicyArn", "arn:aws:iam::123456789012:role/not-a-policy")])
                .iamError("InvalidInput", status: 400)
            try await iam.call("CreatePolicy", [("PolicyName", "TEST-IOT-POLICY-1"), ("PolicyDocument", document)])
                .iamError("EntityAlreadyExists", status: 409)
            try await iam.call("CreatePolicy", [("PolicyName", "bad"), ("PolicyDocument", IAMFixture.trust())])
                .iamError("MalformedPolicyDocument", status: 400)

            try await iam.call("CreatePolicy", [("PolicyName", "another"), ("PolicyDocument", document)]).ok(
                "CreatePolicy")
            let listed = try await iam.call("ListPolicies", [("Scope", "Local")]).ok("ListPolicies")
            #expect(listed.xmlAll("PolicyName") == ["another", "test-iot-policy-1"])
            #expect(!listed.body.contains("<Description>") && !listed.body.contains("<Tags>"))
            #expect(listed.xml("IsTruncated") == "false")
            let first = try await iam.call("ListPolicies", [("MaxItems", "1")]).ok("ListPolicies")
            #expect(first.xmlAll("PolicyName") == ["another"] && first.xml("IsTruncated") == "true")
            let second = try await iam.call("ListPolicies", [("MaxItems", "1"), ("Marker", first.xml("Marker") ?? "")])
                .ok("ListPolicies")
            #expect(second.xmlAll("PolicyName") == ["test-iot-policy-1"] && second.xml("Marker") == nil)
            #expect(
                try await iam.call("ListPolicies", [("Scope", "AWS")]).ok("ListPolicies").xmlAll("PolicyName").isEmpty)
            #expect(
                try await iam.call("ListPolicies", [("OnlyAttached", "true")]).ok("ListPolicies").xmlAll("PolicyName")
                    .isEmpty)
            #expect(
                try await iam.call("ListPolicies", [("PathPrefix", "/iot/")]).ok("ListPolicies").xmlAll("PolicyName")
                    == ["test-iot-policy-1"])
            let scope = try await iam.call("ListPolicies", [("Scope", "Mine")]).iamError("ValidationError", status: 400)
            #expect(scope.contains("Member must satisfy enum value set"))
        }
    }

    @Test("versions: SetAsDefault, the document only from GetPolicyVersion, LimitExceeded, DeleteConflict")
    func versions() async throws {
        try await IAMFixture.with { iam in
            try await iam.call(
                "CreatePolicy", [("PolicyName", "p"), ("PolicyDocument", IAMFixture.allow("iot:Connect"))]
            )
            .ok("CreatePolicy")
            let arn = iam.policyArn("p")
            let second = IAMFixture.allow("iot:Publish")
            let created = try await iam.call(
                "CreatePolicyVersion", [("PolicyArn", arn), ("PolicyDocument", second), ("SetAsDefault", "true")]
            ).ok("CreatePolicyVersion")
            #expect(created.xml("VersionId") == "v2" && created.xml("IsDefaultVersion") == "true")
            #expect(created.xml("Document") == nil)
            let got = try await iam.call("GetPolicyVersion", [("PolicyArn", arn), ("VersionId", "v2")])
                .ok("GetPolicyVersion")
            #expect(got.xml("Document") == AWSPercentEncoding.encode(second))
            #expect(got.xml("IsDefaultVersion") == "true")
            #expect(
                try await iam.call("GetPolicy", [("PolicyArn", arn)]).ok("GetPolicy").xml("DefaultVersionId") == "v2")

            for action in ["iot:Subscribe", "iot:Receive", "iot:GetThingShadow"] {
                try await iam.call(
                    "CreatePolicyVersion", [("PolicyArn", arn), ("PolicyDocument", IAMFixture.allow(action))]
                )
                .ok("CreatePolicyVersion")
            }
            try await iam.call(
                "CreatePolicyVersion", [("PolicyArn", arn), ("PolicyDocument", IAMFixture.allow("iot:*"))]
            )
            .iamError("LimitExceeded", status: 409)
            let listed = try await iam.call("ListPolicyVersions", [("PolicyArn", arn)]).ok("ListPolicyVersions")
            #expect(listed.xmlAll("VersionId") == ["v5", "v4", "v3", "v2", "v1"])
            #expect(listed.xmlAll("IsDefaultVersion") == ["false", "false", "false", "true", "false"])
            #expect(listed.xml("Document") == nil)

            let conflict = try await iam.call("DeletePolicyVersion", [("PolicyArn", arn), ("VersionId", "v2")])
                .iamError("DeleteConflict", status: 409)
            #expect(conflict == "Cannot delete the default version of a policy.")
            try await iam.call("SetDefaultPolicyVersion", [("PolicyArn", arn), ("VersionId", "v5")])
                .ok("SetDefaultPolicyVersion")
            try await iam.call("SetDefaultPolicyVersion", [("PolicyArn", arn), ("VersionId", "v9")])
                .iamError("NoSuchEntity", status: 404)
            try await iam.call("GetPolicyVersion", [("PolicyArn", arn), ("VersionId", "version-1")])
                .iamError("ValidationError", status: 400)
            try await iam.call("DeletePolicy", [("PolicyArn", arn)]).iamError("DeleteConflict", status: 409)
            for version in ["v1", "v2", "v3", "v4"] {
                try await iam.call("DeletePolicyVersion", [("PolicyArn", arn), ("VersionId", version)])
                    .ok("DeletePolicyVersion")
            }
            try await iam.call("DeletePolicy", [("PolicyArn", arn)]).ok("DeletePolicy")
            try await iam.call("GetPolicy", [("PolicyArn", arn)]).iamError("NoSuchEntity", status: 404)
        }
    }
}
