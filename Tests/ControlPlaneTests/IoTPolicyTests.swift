import AWSWire
import ControlPlane
import Foundation
import Testing

@Suite("iot: policies, versions and attachments")
struct IoTPolicyTests {
    static let allowAll = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iot:*","Resource":"*"}]}"#

    static func document(_ action: String) -> String {
        #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"\#(action)","Resource":"*"}]}"#
    }

    @Test(
        "CreatePolicy validates the document with the policy engine",
        arguments: [
            "not json", "{}", #"{"Statement":[]}"#,
            #"{"Version":"2012-10-17","Statement":[{"Effect":"Maybe","Action":"iot:*","Resource":"*"}]}"#,
            #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iot:*"}]}"#,
        ])
    func malformed(document: String) async throws {
        try await IoTFixture.with { iot in
            let message = try await iot.call(.post, "/policies/p", json: ["policyDocument": document])
                .expectError("MalformedPolicyException", status: 400)
            #expect(!message.isEmpty)
            try await iot.call(.get, "/policies/p").expectError("ResourceNotFoundException", status: 404)
        }
    }

    @Test("CreatePolicy, GetPolicy, ListPolicies, DeletePolicy")
    func lifecycle() async throws {
        try await IoTFixture.with { iot in
            let created = try await iot.call(.post, "/policies/test-policy-1", json: ["policyDocument": Self.allowAll])
                .ok()
            #expect(created["policyArn"] as? String == iot.arn(.policy("test-policy-1")))
            #expect(created["policyVersionId"] as? String == "1")
            #expect(created["policyDocument"] as? String == Self.allowAll)
            try await iot.call(.post, "/policies/test-policy-1", json: ["policyDocument": Self.allowAll])
                .expectError("ResourceAlreadyExistsException", status: 409)
            let policy = try await iot.call(.get, "/policies/test-policy-1").ok()
            #expect(policy["defaultVersionId"] as? String == "1")
            #expect(policy["policyDocument"] as? String == Self.allowAll)
            #expect(policy["creationDate"] != nil && policy["lastModifiedDate"] != nil)
            #expect((policy["generationId"] as? String)?.isEmpty == false)

            for name in ["b", "a", "c"] {
                try await iot.call(.post, "/policies/\(name)", json: ["policyDocument": Self.allowAll]).ok()
            }
            var names: [String] = []
            var marker: String?
            repeat {
                let query = "pageSize=3" + (marker.map { "&marker=\(encoded($0))" } ?? "")
                let page = try await iot.call(.get, "/policies", query: query).ok()
                names += (page["policies"] as? [[String: String]])?.compactMap { $0["policyName"] } ?? []
                marker = page["nextMarker"] as? String
            } while marker != nil
            #expect(names == ["a", "b", "c", "test-policy-1"])

            try await iot.call(.delete, "/policies/a").ok()
            try await iot.call(.delete, "/policies/a").expectError("ResourceNotFoundException", status: 404)
        }
    }

    @Test("Policy versions: at most 5, default switching, no deleting the default")
    func versions() async throws {
        try await IoTFixture.with { iot in
            try await iot.call(.post, "/policies/p", json: ["policyDocument": Self.document("iot:Connect")]).ok()
            let second = try await iot.call(
                .post, "/policies/p/version", query: "setAsDefault=true",
                json: ["policyDocument": Self.document("iot:Publish")]
            ).ok()
            #expect(second["policyVersionId"] as? String == "2")
            #expect(second["isDefaultVersion"] as? Bool == true)
            #expect(second["policyArn"] as? String == iot.arn(.policy("p")))
            #expect(
                try await iot.call(.get, "/policies/p").ok()["policyDocument"] as? String
                    == Self.document("iot:Publish"))
            for action in ["iot:Subscribe", "iot:Receive", "iot:GetThingShadow"] {
                try await iot.call(.post, "/policies/p/version", json: ["policyDocument": Self.document(action)]).ok()
            }
            try await iot.call(.post, "/policies/p/version", json: ["policyDocument": Self.document("iot:*")])
                .expectError("VersionsLimitExceededException", status: 409)
            try await iot.call(.post, "/policies/p/version", json: ["policyDocument": "{"])
                .expectError("MalformedPolicyException", status: 400)
            try await iot.call(.post, "/policies/nope/version", json: ["policyDocument": Self.allowAll])
                .expectError("ResourceNotFoundException", status: 404)

            let listed = try await iot.call(.get, "/policies/p/version").ok()
            let versions = try #require(listed["policyVersions"] as? [[String: Any]])
            #expect(versions.map { $0["versionId"] as? String } == ["5", "4", "3", "2", "1"])
            #expect(versions.map { $0["isDefaultVersion"] as? Bool } == [false, false, false, true, false])
            #expect(versions.allSatisfy { $0["createDate"] != nil })

            let third = try await iot.call(.get, "/policies/p/version/3").ok()
            #expect(third["policyDocument"] as? String == Self.document("iot:Subscribe"))
            #expect(third["policyName"] as? String == "p")
            #expect(third["isDefaultVersion"] as? Bool == false)
            try await iot.call(.get, "/policies/p/version/9").expectError("ResourceNotFoundException", status: 404)

            try await iot.call(.patch, "/policies/p/version/3").ok()
            #expect(try await iot.call(.get, "/policies/p").ok()["defaultVersionId"] as? String == "3")
            try await iot.call(.delete, "/policies/p/version/3").expectError("DeleteConflictException", status: 409)
            try await iot.call(.delete, "/policies/p").expectError("DeleteConflictException", status: 409)
            for version in ["1", "2", "4", "5"] {
                try await iot.call(.delete, "/policies/p/version/\(version)").ok()
            }
            try await iot.call(.post, "/policies/p/version", json: ["policyDocument": Self.allowAll]).ok()
            #expect(try await iot.call(.get, "/policies/p/version/6").ok()["policyVersionId"] as? String == "6")
            try await iot.call(.delete, "/policies/p/version/6").ok()
            try await iot.call(.delete, "/policies/p").ok()
        }
    }

    @Test("AttachPolicy, ListAttachedPolicies, ListTargetsForPolicy, GetEffectivePolicies, DetachPolicy")
    func attachments() async throws {
        try await IoTFixture.with { iot in
            let certificateId = try #require(
                try await iot.call(.post, "/keys-and-certificate", query: "setAsActive=true").ok()["certificateId"]
                    as? String)
            let certificateArn = iot.arn(.certificate(certificateId))
            try await iot.call(.post, "/policies/direct", json: ["policyDocument": Self.document("iot:Connect")]).ok()
            try await iot.call(.post, "/policies/inherited", json: ["policyDocument": Self.document("iot:Publish")])
                .ok()
            try await iot.call(.post, "/thing-groups/parent").ok()
            try await iot.call(.post, "/thing-groups/child", json: ["parentGroupName": "parent"]).ok()
            try await iot.call(.post, "/things/device").ok()
            try await iot.call(
                .put, "/thing-groups/addThingToThingGroup", json: ["thingGroupName": "child", "thingName": "device"]
            ).ok()
            try await iot.call(.put, "/things/device/principals", headers: [.init("x-amzn-principal", certificateArn)])
                .ok()

            try await iot.call(.put, "/target-policies/direct", json: ["target": certificateArn]).ok()
            try await iot.call(.put, "/target-policies/direct", json: ["target": certificateArn]).ok()  // idempotent
            try await iot.call(.put, "/target-policies/inherited", json: ["target": iot.arn(.thingGroup("parent"))])
                .ok()
            try await iot.call(.put, "/target-policies/nope", json: ["target": certificateArn])
                .expectError("ResourceNotFoundException", status: 404)
            try await iot.call(
                .put, "/target-policies/direct",
                json: ["target": iot.arn(.certificate(String(repeating: "b", count: 64)))]
            ).expectError("ResourceNotFoundException", status: 404)
            try await iot.call(
                .put, "/target-policies/direct", json: ["target": "arn:aws:iot:us-east-1:123456789012:thing/device"]
            )
            .expectError("InvalidRequestException", status: 400)

            let attached = try await iot.call(.post, "/attached-policies/\(encoded(certificateArn))").ok()
            #expect(
                (attached["policies"] as? [[String: String]]) == [
                    ["policyName": "direct", "policyArn": iot.arn(.policy("direct"))]
                ])
            let childPolicies = try await iot.call(
                .post, "/attached-policies/\(encoded(iot.arn(.thingGroup("child"))))", query: "recursive=true"
            ).ok()
            #expect((childPolicies["policies"] as? [[String: String]])?.map { $0["policyName"] } == ["inherited"])
            let targets = try await iot.call(.post, "/policy-targets/direct").ok()
            #expect(targets["targets"] as? [String] == [certificateArn])
            try await iot.call(.post, "/policy-targets/nope").expectError("ResourceNotFoundException", status: 404)

            let effective = try await iot.call(.post, "/effective-policies", json: ["principal": certificateArn]).ok()
            let policies = try #require(effective["effectivePolicies"] as? [[String: String]])
            #expect(policies.map { $0["policyName"] } == ["direct", "inherited"])
            #expect(policies.first?["policyDocument"] == Self.document("iot:Connect"))
            #expect(policies.first?["policyArn"] == iot.arn(.policy("direct")))
            let forThing = try await iot.call(
                .post, "/effective-policies", query: "thingName=device", json: ["principal": certificateArn]
            ).ok()
            #expect((forThing["effectivePolicies"] as? [[String: String]])?.count == 2)
            try await iot.call(.post, "/effective-policies", json: [:]).expectError(
                "InvalidRequestException", status: 400)
            try await iot.call(
                .post, "/effective-policies", query: "thingName=ghost", json: ["principal": certificateArn]
            )
            .expectError("ResourceNotFoundException", status: 404)

            try await iot.call(.delete, "/policies/direct").expectError("DeleteConflictException", status: 409)
            try await iot.call(.post, "/target-policies/direct", json: ["target": certificateArn]).ok()
            #expect(try await iot.call(.post, "/policy-targets/direct").ok()["targets"] as? [String] == [])
            try await iot.call(.delete, "/policies/direct").ok()
        }
    }

    @Test("The legacy principal-policy operations read the principal and policy from headers")
    func legacyPrincipalPolicies() async throws {
        try await IoTFixture.with { iot in
            let certificateId = try #require(
                try await iot.call(.post, "/keys-and-certificate").ok()["certificateId"] as? String)
            let principal = HeaderFieldPair.principal(iot.arn(.certificate(certificateId)))
            try await iot.call(.post, "/policies/legacy", json: ["policyDocument": Self.allowAll]).ok()
            try await iot.call(.put, "/principal-policies/legacy", headers: [principal]).ok()
            try await iot.call(.put, "/principal-policies/legacy").expectError("InvalidRequestException", status: 400)
            let listed = try await iot.call(.get, "/principal-policies", headers: [principal]).ok()
            #expect((listed["policies"] as? [[String: String]])?.map { $0["policyName"] } == ["legacy"])
            let principals = try await iot.call(
                .get, "/policy-principals", headers: [.init("x-amzn-iot-policy", "legacy")]
            ).ok()
            #expect(principals["principals"] as? [String] == [iot.arn(.certificate(certificateId))])
            try await iot.call(.get, "/policy-principals", headers: [.init("x-amzn-iot-policy", "nope")])
                .expectError("ResourceNotFoundException", status: 404)
            try await iot.call(.delete, "/principal-policies/legacy", headers: [principal]).ok()
            #expect(
                try await iot.call(.get, "/principal-policies", headers: [principal]).ok()["policies"]
                    as? [[String: String]] == [])
            try await iot.call(.delete, "/principal-policies/nope", headers: [principal])
                .expectError("ResourceNotFoundException", status: 404)
        }
    }

    @Test("Thing principals: attach, list both ways, exclusive, detach")
    func thingPrincipals() async throws {
        try await IoTFixture.with { iot in
            let first = iot.arn(
                .certificate(
                    try #require(
                        try await iot.call(.post, "/keys-and-certificate").ok()["certificateId"] as? String)))
            try await iot.call(.post, "/things/a").ok()
            try await iot.call(.post, "/things/b").ok()
            try await iot.call(.put, "/things/a/principals", headers: [.init("x-amzn-principal", first)]).ok()
            try await iot.call(.put, "/things/b/principals", headers: [.init("x-amzn-principal", first)]).ok()
            try await iot.call(.put, "/things/ghost/principals", headers: [.init("x-amzn-principal", first)])
                .expectError("ResourceNotFoundException", status: 404)
            try await iot.call(
                .put, "/things/a/principals",
                headers: [.init("x-amzn-principal", iot.arn(.certificate(String(repeating: "c", count: 64))))]
            ).expectError("ResourceNotFoundException", status: 404)
            try await iot.call(
                .put, "/things/a/principals", query: "thingPrincipalType=EXCLUSIVE_THING",
                headers: [.init("x-amzn-principal", first)]
            )
            .expectError("InvalidRequestException", status: 400)

            #expect(try await iot.call(.get, "/things/a/principals").ok()["principals"] as? [String] == [first])
            let things = try await iot.call(
                .get, "/principals/things", query: "maxResults=1",
                headers: [.init("x-amzn-principal", first)]
            ).ok()
            #expect(things["things"] as? [String] == ["a"])
            let token = try #require(things["nextToken"] as? String)
            let rest = try await iot.call(
                .get, "/principals/things", query: "nextToken=\(encoded(token))",
                headers: [.init("x-amzn-principal", first)]
            ).ok()
            #expect(rest["things"] as? [String] == ["b"])
            #expect(rest["nextToken"] == nil)
            try await iot.call(.get, "/things/ghost/principals").expectError("ResourceNotFoundException", status: 404)

            try await iot.call(.delete, "/things/a").expectError("InvalidRequestException", status: 400)
            try await iot.call(.delete, "/things/a/principals", headers: [.init("x-amzn-principal", first)]).ok()
            #expect(try await iot.call(.get, "/things/a/principals").ok()["principals"] as? [String] == [])
            try await iot.call(.delete, "/things/a").ok()
        }
    }
}

/// Header fields the legacy operations take.
enum HeaderFieldPair {
    static func principal(_ arn: String) -> HeaderField { HeaderField("x-amzn-iot-principal", arn) }
}
