import Testing

@testable import ControlPlane

@Suite("Shape validation")
struct ShapeValidatorTests {
    private func validate(_ members: [String: AWSValue], _ shape: String, _ model: ServiceModel = .iot) -> String? {
        ShapeValidator.validate(members, shape: model.shape(shape), model: model)
    }

    @Test("a valid input passes")
    func valid() {
        #expect(
            validate(
                ["thingName": "thermo-1", "attributePayload": ["attributes": ["room": "7"]]], "CreateThingRequest")
                == nil)
    }

    @Test("pattern and length failures read as AWS's")
    func patternAndLength() {
        #expect(
            validate(["thingName": "a b"], "DescribeThingRequest")
                == "1 validation error detected: Value 'a b' at 'thingName' failed to satisfy constraint: "
                + "Member must satisfy regular expression pattern: [a-zA-Z0-9:_-]+")
        let long = String(repeating: "x", count: 129)
        #expect(
            validate(["thingName": .string(long)], "DescribeThingRequest")
                == "1 validation error detected: Value '\(long)' at 'thingName' failed to satisfy constraint: "
                + "Member must have length less than or equal to 128")
    }

    @Test("missing required members are null")
    func required() {
        #expect(
            validate(["thingName": "t"], "AttachThingPrincipalRequest")
                == "1 validation error detected: Value null at 'principal' failed to satisfy constraint: "
                + "Member must not be null")
    }

    @Test("several failures are counted and joined")
    func several() throws {
        let message = try #require(validate(["thingName": "", "maxResults": 0], "ListThingGroupsForThingRequest"))
        #expect(message.hasPrefix("3 validation errors detected: "))
        #expect(
            message.contains(
                "Value '' at 'thingName' failed to satisfy constraint: Member must have length greater than or equal to 1"
            ))
        #expect(
            message.contains(
                "Value '0' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 1"
            ))
        #expect(message.contains("; "))
    }

    @Test("enums and numeric ranges")
    func enumsAndRanges() {
        #expect(
            validate(
                ["certificateId": .string(String(repeating: "a", count: 64)), "newStatus": "BROKEN"],
                "UpdateCertificateRequest")
                == "1 validation error detected: Value 'BROKEN' at 'newStatus' failed to satisfy constraint: "
                + "Member must satisfy enum value set: [ACTIVE, INACTIVE, REVOKED, PENDING_TRANSFER, REGISTER_INACTIVE, PENDING_ACTIVATION]"
        )
        #expect(
            validate(["maxResults": 251], "ListThingsRequest")
                == "1 validation error detected: Value '251' at 'maxResults' failed to satisfy constraint: "
                + "Member must have value less than or equal to 250")
    }

    @Test("nested members, map keys and list lengths")
    func nested() throws {
        let message = try #require(
            validate(["thingName": "t", "attributePayload": ["attributes": ["bad key!": "v"]]], "CreateThingRequest"))
        #expect(message.contains("at 'attributePayload.attributes.bad key!.member.key'"))
        let tags = (0..<51).map { AWSValue.map(["Key": .string("k\($0)"), "Value": "v"]) }
        let tooMany = try #require(
            validate(
                ["RoleName": "r", "AssumeRolePolicyDocument": "{}", "Tags": .list(tags)], "CreateRoleRequest", .iam))
        #expect(tooMany.hasPrefix("1 validation error detected: "))
        #expect(
            tooMany.contains("at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50")
        )
        let empty = try #require(validate(["authInfos": []], "TestAuthorizationRequest"))
        #expect(
            empty.contains(
                "Value '[]' at 'authInfos' failed to satisfy constraint: Member must have length greater than or equal to 1"
            ))
    }

    @Test("query services report lower-camel-case paths")
    func queryPaths() {
        #expect(
            validate(["RoleName": "bad/name"], "GetRoleRequest", .iam)
                == #"1 validation error detected: Value 'bad/name' at 'roleName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@-]+"#
        )
    }
}
