import AWSWire
import Foundation
import Testing

@Suite("ARNs")
struct ARNTests {
    @Test(arguments: [
        "arn:aws:iot:us-east-1:000000000000:thing/my:thing_1-a",
        "arn:aws:iot:us-east-1:123456789012:cert/269e992ace0ea3e6346b728e216e74fbb227bf914a37d30df08e4366c97cba2b",
        "arn:aws:iot:eu-west-1:123456789012:topic/devices/+/telemetry",
        "arn:aws:sns:us-east-1:123456789012:alarms",
        "arn:aws:sns:us-east-1:123456789012:alarms:6b0e71bd-7e97-4d97-80ce-4a0994e55286",
        "arn:aws:iam::123456789012:role/service-role/iot-sns",
        "arn:aws:iam::aws:policy/AdministratorAccess",
        "arn:aws-cn:s3:::bucket/key:with:colons",
    ])
    func roundTrips(text: String) throws {
        let arn = try ARN(parsing: text)
        #expect(arn.description == text)
        #expect(ARN(text) == arn)
        let json = try JSONEncoder().encode([arn])
        #expect(String(decoding: json, as: UTF8.self) == "[\"\(text.replacingOccurrences(of: "/", with: "\\/"))\"]")
        #expect(try JSONDecoder().decode([ARN].self, from: json) == [arn])
    }

    @Test func partsAreSplitAtTheFirstFiveColons() throws {
        let arn = try ARN(parsing: "arn:aws:sns:us-east-1:123456789012:alarms:sub-id")
        #expect(arn.partition == "aws")
        #expect(arn.service == "sns")
        #expect(arn.region == "us-east-1")
        #expect(arn.accountId == "123456789012")
        #expect(arn.resource == "alarms:sub-id")
        #expect(arn.resourceType == nil)
        let thing = try ARN(parsing: "arn:aws:iot:us-east-1:123456789012:thing/a/b")
        #expect(thing.resourceType == "thing")
        #expect(thing.resourceId == "a/b")
    }

    @Test(arguments: [
        ("", "expected arn:partition:service:region:account:resource"),
        ("arn:aws:iot:us-east-1:123456789012", "expected arn:partition:service:region:account:resource"),
        ("urn:aws:iot:us-east-1:123456789012:thing/x", "does not start with 'arn:'"),
        ("ARN:aws:iot:us-east-1:123456789012:thing/x", "does not start with 'arn:'"),
        ("arn::iot:us-east-1:123456789012:thing/x", "invalid partition"),
        ("arn:aws::us-east-1:123456789012:thing/x", "invalid service"),
        ("arn:AWS:iot:us-east-1:123456789012:thing/x", "invalid partition"),
        ("arn:aws:iot:us east:123456789012:thing/x", "invalid region"),
        ("arn:aws:iot:us-east-1:12345:thing/x", "invalid account id"),
        ("arn:aws:iot:us-east-1:12345678901a:thing/x", "invalid account id"),
        ("arn:aws:iot:us-east-1:123456789012:", "empty resource"),
    ])
    func malformed(text: String, reason: String) {
        #expect(ARN(text) == nil)
        #expect {
            try ARN(parsing: text)
        } throws: { error in
            let error = error as? ARN.ParseError
            return error?.reason == reason && error?.input == text
        }
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(ARN.self, from: Data(JSONString.literal(text).utf8))
        }
    }

    @Test(arguments: [
        (ARN.IoTResource.thing("sensor-42"), "thing/sensor-42"),
        (.certificate("abc123"), "cert/abc123"),
        (.caCertificate("def456"), "cacert/def456"),
        (.policy("Device_Policy"), "policy/Device_Policy"),
        (.rule("alarm_rule"), "rule/alarm_rule"),
        (.thingGroup("Floor2"), "thinggroup/Floor2"),
        (.thingType("TempSensor"), "thingtype/TempSensor"),
    ])
    func iotResources(resource: ARN.IoTResource, text: String) throws {
        let arn = ARN.iot(resource, region: "us-east-1", accountId: "000000000000")
        #expect(arn.description == "arn:aws:iot:us-east-1:000000000000:" + text)
        #expect(try ARN(parsing: arn.description).iotResource == resource)
    }

    @Test func nonIoTResourcesAreNotIoTResources() throws {
        #expect(try ARN(parsing: "arn:aws:iot:us-east-1:000000000000:topic/a/b").iotResource == nil)
        #expect(try ARN(parsing: "arn:aws:iot:us-east-1:000000000000:thing/").iotResource == nil)
        #expect(try ARN(parsing: "arn:aws:sns:us-east-1:000000000000:thing/x").iotResource == nil)
    }

    @Test func snsTopicsAndSubscriptions() throws {
        let topic = ARN.snsTopic("alarms", region: "us-east-1", accountId: "000000000000")
        #expect(topic.description == "arn:aws:sns:us-east-1:000000000000:alarms")
        #expect(topic.snsTopicName == "alarms")
        #expect(topic.snsSubscriptionId == nil)
        let subscription = ARN.snsSubscription(topic: topic, id: "6b0e71bd-7e97-4d97-80ce-4a0994e55286")
        #expect(
            subscription.description == "arn:aws:sns:us-east-1:000000000000:alarms:6b0e71bd-7e97-4d97-80ce-4a0994e55286"
        )
        let parsed = try ARN(parsing: subscription.description)
        #expect(parsed.snsTopicName == "alarms")
        #expect(parsed.snsSubscriptionId == "6b0e71bd-7e97-4d97-80ce-4a0994e55286")
        #expect(parsed.snsTopic == topic)
        #expect(ARN.iot(.thing("x"), region: "r", accountId: "000000000000").snsTopicName == nil)
    }

    @Test func iamRolesAndPoliciesWithPaths() throws {
        #expect(
            ARN.iamRole("iot-sns", accountId: "000000000000").description == "arn:aws:iam::000000000000:role/iot-sns")
        #expect(
            ARN.iamRole("iot-sns", path: "service-role", accountId: "000000000000").description
                == "arn:aws:iam::000000000000:role/service-role/iot-sns")
        #expect(
            ARN.iamPolicy("Publish", path: "/a/b/", accountId: "000000000000").description
                == "arn:aws:iam::000000000000:policy/a/b/Publish")
        let role = try #require(try ARN(parsing: "arn:aws:iam::000000000000:role/service-role/iot-sns").iamPath)
        #expect(role == ARN.IAMPath(type: "role", path: "/service-role/", name: "iot-sns"))
        let policy = try #require(try ARN(parsing: "arn:aws:iam::aws:policy/AdministratorAccess").iamPath)
        #expect(policy == ARN.IAMPath(type: "policy", path: "/", name: "AdministratorAccess"))
        #expect(try ARN(parsing: "arn:aws:iam::000000000000:user/alice").iamPath == nil)
        #expect(try ARN(parsing: "arn:aws:iam::000000000000:role/path/").iamPath == nil)
    }
}
