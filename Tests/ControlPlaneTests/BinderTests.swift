import AWSWire
import Foundation
import Testing

@testable import ControlPlane

@Suite("Request binders")
struct BinderTests {
    @Test("query: maps of structures with model element names, blobs and empty lists")
    func snsPublish() throws {
        let parameters = QueryParameters(
            formEncoded:
                "Action=Publish&TopicArn=arn%3Aaws%3Asns%3Aus-east-1%3A000000000000%3Aalpha&Message=hi+there"
                + "&MessageAttributes.entry.1.Name=color&MessageAttributes.entry.1.Value.DataType=String"
                + "&MessageAttributes.entry.1.Value.StringValue=red"
                + "&MessageAttributes.entry.2.Name=raw&MessageAttributes.entry.2.Value.DataType=Binary"
                + "&MessageAttributes.entry.2.Value.BinaryValue=AAEC")
        let input = try QueryRequestBinder(model: .sns).bind(
            parameters.values, operation: try #require(ServiceModel.sns.operations["Publish"]))
        #expect(input.string("TopicArn") == "arn:aws:sns:us-east-1:000000000000:alpha")
        #expect(input.string("Message") == "hi there")
        #expect(
            input["MessageAttributes"]
                == [
                    "color": ["DataType": "String", "StringValue": "red"],
                    "raw": ["DataType": "Binary", "BinaryValue": .blob([0, 1, 2])],
                ])
        #expect(input["Action"] == nil)
    }

    @Test("query: list order follows N, an empty list is `Name=`, bad numbers are refused")
    func lists() throws {
        let operation = try #require(ServiceModel.sns.operations["UntagResource"])
        let input = try QueryRequestBinder(model: .sns).bind(
            ["ResourceArn": "arn", "TagKeys.member.10": "j", "TagKeys.member.2": "b", "TagKeys.member.1": "a"],
            operation: operation)
        #expect(input.strings("TagKeys") == ["a", "b", "j"])
        let empty = try QueryRequestBinder(model: .sns).bind(
            ["ResourceArn": "arn", "TagKeys": ""], operation: operation)
        #expect(empty.strings("TagKeys") == [])
        let roles = try #require(ServiceModel.iam.operations["ListRoles"])
        #expect(throws: AWSError.self) {
            try QueryRequestBinder(model: .iam).bind(["MaxItems": "many"], operation: roles)
        }
        let parsed = try QueryRequestBinder(model: .iam).bind(["MaxItems": "5", "PathPrefix": "/x/"], operation: roles)
        #expect(parsed["MaxItems"] == 5)
    }

    @Test("rest-json: a structure payload is the whole body")
    func payload() throws {
        let operation = try #require(ServiceModel.iot.operations["CreateTopicRule"])
        let request = APIRequest(
            method: "POST", path: "/rules/r1",
            body: Array(#"{"sql": "SELECT * FROM 'a/b'", "actions": [], "ruleDisabled": false}"#.utf8))
        let input = try RestJSONRequestBinder(model: .iot).bind(
            request, operation: operation, labels: ["ruleName": "r1"])
        #expect(input.string("ruleName") == "r1")
        #expect(input["topicRulePayload"] == ["sql": "SELECT * FROM 'a/b'", "actions": [], "ruleDisabled": false])
    }

    @Test("rest-json: querystring lists, headers and timestamps")
    func locations() throws {
        let list = try #require(ServiceModel.iot.operations["ListPrincipalThings"])
        let request = APIRequest(
            method: "GET", path: "/principals/things", query: "maxResults=3&nextToken=a%2Bb+c",
            headers: [HeaderField("X-Amzn-Principal", "arn:aws:iot:us-east-1:000000000000:cert/ab")])
        let input = try RestJSONRequestBinder(model: .iot).bind(request, operation: list, labels: [:])
        #expect(input.string("principal") == "arn:aws:iot:us-east-1:000000000000:cert/ab")
        #expect(input.int("maxResults") == 3)
        #expect(input.string("nextToken") == "a+b c")
        let untag = try #require(ServiceModel.iot.operations["UntagResource"])
        let body = try RestJSONRequestBinder(model: .iot).bind(
            APIRequest(
                method: "POST", path: "/untag", body: Array(#"{"resourceArn": "arn:x", "tagKeys": ["a", "b"]}"#.utf8)),
            operation: untag, labels: [:])
        #expect(body.strings("tagKeys") == ["a", "b"])
    }

    @Test("rest-json output: nested structures, lists, maps and blobs")
    func output() throws {
        let operation = try #require(ServiceModel.iot.operations["ListThings"])
        let response = RestJSONResponseSerializer(model: .iot).response(
            [
                "things": [["thingName": "t\"1", "attributes": ["b": "2", "a": "1"], "version": 2]],
                "nextToken": "n",
            ], operation: operation, requestId: "req-1")
        #expect(response.status == 200)
        #expect(
            String(decoding: response.body, as: UTF8.self)
                == #"{"things":[{"thingName":"t\"1","attributes":{"a":"1","b":"2"},"version":2}],"nextToken":"n"}"#)
        #expect(response.headers.contains(HeaderField("x-amzn-RequestId", "req-1")))
        let empty = RestJSONResponseSerializer(model: .iot).response(
            .empty, operation: try #require(ServiceModel.iot.operations["DeleteCertificate"]), requestId: "r")
        #expect(String(decoding: empty.body, as: UTF8.self) == "{}")
    }
}
