import AWSWire
import ControlPlane
import Foundation

struct UnexpectedFailure: Error {}

/// A service's own error type, as the registry, IAM and SNS stores throw them.
struct ServiceFailure: AWSErrorConvertible {
    var awsError: AWSError {
        AWSError(
            code: "VersionConflictException", message: "The version of thing conflict does not match.",
            httpStatus: 409, fields: ["resourceId": "conflict"])
    }
}

/// Test-only handlers for real operation names: they echo their input or return canned data,
/// so tests can check binding and serialization end to end.
enum TestHandlers {
    static let created = Date(timeIntervalSince1970: 1_700_000_000.25)

    static func register(_ api: inout ControlPlane) {
        api.register(.iot, "DescribeThing") { input, context in
            let name = input.string("thingName") ?? ""
            switch name {
            case "missing":
                throw ServiceModel.iot.error("ResourceNotFoundException", "Thing missing cannot be found.")
            case "boom":
                throw UnexpectedFailure()
            case "conflict":
                throw ServiceFailure()
            default:
                return [
                    "thingName": .string(name),
                    "thingArn": .string("arn:aws:iot:us-east-1:000000000000:thing/\(name)"),
                    "thingId": .string(context.identity.accessKeyId),
                    "version": 7,
                    "attributes": ["service": .string(context.service.name)],
                    "notInTheModel": "dropped",
                ]
            }
        }
        api.register(.iot, "ListThings") { input, _ in
            var echoed: [String: AWSValue] = [:]
            for (name, value) in input.members {
                echoed[name] = .string(Self.describe(value))
            }
            return [
                "things": [["thingName": "echo", "attributes": .map(echoed), "version": 1]],
                "nextToken": input["nextToken"].map { .string("after-" + ($0.stringValue ?? "")) } ?? "first",
            ]
        }
        api.register(.iot, "CreateThing") { input, _ in
            let attributes = input.structure("attributePayload")?["attributes"]?.stringMapValue ?? [:]
            return [
                "thingName": .string(input.string("thingName") ?? ""),
                "thingArn": .string("arn:aws:iot:us-east-1:000000000000:thing/" + (input.string("thingName") ?? "")),
                "thingId": .string(attributes.keys.sorted().map { "\($0)=\(attributes[$0]!)" }.joined(separator: ",")),
            ]
        }
        api.register(.iot, "GetPolicy") { input, _ in
            [
                "policyName": .string(input.string("policyName") ?? ""),
                "creationDate": .timestamp(created),
                "lastModifiedDate": .timestamp(Date(timeIntervalSince1970: 1_700_000_000)),
            ]
        }
        api.register(.iot, "AttachThingPrincipal") { input, _ in
            guard input.string("principal") == "arn:aws:iot:us-east-1:000000000000:cert/abc" else {
                throw ServiceModel.iot.error("InvalidRequestException", "unexpected principal")
            }
            return .empty
        }
        api.register(.iotData, "Publish") { input, _ in
            guard input.string("topic") == "sensors/room 7/temp", input.int("qos") == 1,
                input["payload"]?.blobValue == Array("{\"t\":21.5}".utf8)
            else {
                throw ServiceModel.iotData.error("InvalidRequestException", "unexpected input \(input.members)")
            }
            return .empty
        }
        api.register(.sns, "CreateTopic") { input, _ in
            let name = input.string("Name") ?? ""
            if name == "forbidden" {
                throw ServiceModel.sns.error("AuthorizationErrorException", "Not allowed")
            }
            let attributes = input.stringMap("Attributes") ?? [:]
            let tags = input["Tags"]?.listValue?.compactMap { $0["Key"]?.stringValue } ?? []
            let suffix =
                attributes.isEmpty && tags.isEmpty
                ? "" : "-" + (attributes["DisplayName"] ?? "") + "-" + tags.joined(separator: "+")
            return ["TopicArn": .string("arn:aws:sns:us-east-1:000000000000:" + name + suffix)]
        }
        api.register(.sns, "ListTopics") { input, _ in
            [
                "Topics": [
                    ["TopicArn": "arn:aws:sns:us-east-1:000000000000:alpha"],
                    ["TopicArn": "arn:aws:sns:us-east-1:000000000000:b&<c>"],
                ],
                "NextToken": .string("after-" + (input.string("NextToken") ?? "start")),
            ]
        }
        api.register(.sns, "GetTopicAttributes") { input, _ in
            guard input.string("TopicArn")?.hasSuffix(":alpha") == true else {
                throw ServiceModel.sns.error("NotFoundException", "Topic does not exist")
            }
            return ["Attributes": .strings(["DisplayName": "Alpha", "Policy": "{\"Version\":\"2012-10-17\"}"])]
        }
        api.register(.sns, "DeleteTopic") { _, _ in .empty }
        api.register(.iam, "GetRole") { input, _ in
            let name = input.string("RoleName") ?? ""
            guard name != "nobody" else {
                throw ServiceModel.iam.error("NoSuchEntityException", "The role with name nobody cannot be found.")
            }
            return [
                "Role": [
                    "Path": "/",
                    "RoleName": .string(name),
                    "RoleId": "AROAEXAMPLEID00000000",
                    "Arn": .string("arn:aws:iam::000000000000:role/" + name),
                    "CreateDate": .timestamp(created),
                    "MaxSessionDuration": 3600,
                    "Tags": [["Key": "team", "Value": "ops"]],
                ]
            ]
        }
    }

    static func describe(_ value: AWSValue) -> String {
        switch value {
        case .string(let string): "string:\(string)"
        case .integer(let number): "integer:\(number)"
        case .boolean(let flag): "boolean:\(flag)"
        default: "other:\(value)"
        }
    }
}
