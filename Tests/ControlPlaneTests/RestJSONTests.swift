import AWSWire
import ControlPlane
import Foundation
import Hummingbird
import Testing

@Suite("rest-json binding and serialization")
struct RestJSONTests {
    private let api = TestAPI()

    @Test("DescribeEndpoint answers the public host for every endpoint type")
    func describeEndpoint() async throws {
        try await api.run { client in
            for query in [
                "", "endpointType=iot%3AData", "endpointType=iot%3AData-ATS",
                "endpointType=iot%3ACredentialProvider", "endpointType=iot%3AJobs",
            ] {
                let response = try await client.send(.get, "/endpoint", query: query)
                #expect(response.status == 200)
                #expect(response.json["endpointAddress"] as? String == "iot.thingport.test")
            }
            let invalid = try await client.send(.get, "/endpoint", query: "endpointType=iot%3ANothing")
            #expect(invalid.status == 400)
            #expect(invalid.errorType == "InvalidRequestException")
            #expect(invalid.json["message"] as? String == "Endpoint type iot:Nothing is not valid.")
        }
    }

    @Test("URI labels are decoded and handlers see the identity")
    func describeThing() async throws {
        try await api.run { client in
            let response = try await client.send(.get, "/things/a%3Ab")
            #expect(response.status == 200)
            #expect(response.headers[.contentType] == "application/json")
            let json = response.json
            #expect(json["thingName"] as? String == "a:b")
            #expect(json["thingId"] as? String == TestKeys.known.accessKeyId)
            #expect(json["version"] as? Int == 7)
            #expect((json["attributes"] as? [String: String]) == ["service": "iot"])
            #expect(json["notInTheModel"] == nil)
            #expect(response.headers[HTTPFields.Element.Name("x-amzn-RequestId")!]?.isEmpty == false)
        }
    }

    @Test("query-string members are typed by the model")
    func listThings() async throws {
        try await api.run { client in
            let response = try await client.send(
                .get, "/things",
                query:
                    "maxResults=25&nextToken=tok%2F1&attributeName=room&attributeValue=7%2Cb&usePrefixAttributeValue=true"
            )
            #expect(response.status == 200)
            let things = try #require(response.json["things"] as? [[String: Any]])
            let echoed = try #require(things.first?["attributes"] as? [String: String])
            #expect(
                echoed == [
                    "maxResults": "integer:25", "nextToken": "string:tok/1", "attributeName": "string:room",
                    "attributeValue": "string:7,b", "usePrefixAttributeValue": "boolean:true",
                ])
            #expect(response.json["nextToken"] as? String == "after-tok/1")
        }
    }

    @Test("JSON body members join the URI label")
    func createThing() async throws {
        try await api.run { client in
            let response = try await client.send(
                .post, "/things/thermo-1",
                body: #"{"attributePayload": {"attributes": {"room": "7", "floor": "2"}}, "unknown": 1}"#)
            #expect(response.status == 200)
            #expect(response.json["thingName"] as? String == "thermo-1")
            #expect(response.json["thingId"] as? String == "floor=2,room=7")
        }
    }

    @Test("timestamps are epoch seconds")
    func timestamps() async throws {
        try await api.run { client in
            let response = try await client.send(.get, "/policies/p1")
            #expect(response.status == 200)
            #expect(response.body.contains(#""creationDate":1700000000.25"#))
            #expect(response.body.contains(#""lastModifiedDate":1700000000"#))
        }
    }

    @Test("header members are bound")
    func headers() async throws {
        try await api.run { client in
            let response = try await client.send(
                .put, "/things/t1/principals",
                headers: [HeaderField("x-amzn-principal", "arn:aws:iot:us-east-1:000000000000:cert/abc")])
            #expect(response.status == 200)
            let missing = try await client.send(.put, "/things/t1/principals")
            #expect(missing.status == 400)
            #expect(missing.errorType == "InvalidRequestException")
            #expect(
                missing.json["message"] as? String
                    == "1 validation error detected: Value null at 'principal' failed to satisfy constraint: "
                    + "Member must not be null")
        }
    }

    @Test("a blob payload is the raw body")
    func publish() async throws {
        try await api.run { client in
            let response = try await client.send(
                .post, "/topics/sensors%2Froom%207%2Ftemp", query: "qos=1", body: #"{"t":21.5}"#, service: "iotdata")
            #expect(response.status == 200, "\(response.body)")
        }
    }

    @Test("validation failures are InvalidRequestException with AWS's message")
    func validation() async throws {
        try await api.run { client in
            let response = try await client.send(.get, "/things/bad%20name")
            #expect(response.status == 400)
            #expect(response.errorType == "InvalidRequestException")
            #expect(
                response.json["message"] as? String
                    == "1 validation error detected: Value 'bad name' at 'thingName' failed to satisfy constraint: "
                    + "Member must satisfy regular expression pattern: [a-zA-Z0-9:_-]+")
            let range = try await client.send(.get, "/things", query: "maxResults=0")
            #expect(range.status == 400)
            #expect(
                (range.json["message"] as? String)?.contains("Member must have value greater than or equal to 1")
                    == true)
            let notANumber = try await client.send(.get, "/things", query: "maxResults=ten")
            #expect(notANumber.status == 400)
            #expect(notANumber.errorType == "InvalidRequestException")
        }
    }

    @Test("bodies that are not JSON of the model's types are SerializationException")
    func serialization() async throws {
        try await api.run { client in
            for body in [#"{"attributePayload": "#, #"{"attributePayload": {"attributes": {"a": 1}}}"#, "[1]"] {
                let response = try await client.send(.post, "/things/t1", body: body)
                #expect(response.status == 400)
                #expect(response.errorType == "SerializationException")
            }
        }
    }

    @Test("modelled errors render with x-amzn-ErrorType; others as InternalFailureException")
    func errors() async throws {
        try await api.run { client in
            let notFound = try await client.send(.get, "/things/missing")
            #expect(notFound.status == 404)
            #expect(notFound.errorType == "ResourceNotFoundException")
            #expect(notFound.json["message"] as? String == "Thing missing cannot be found.")
            let boom = try await client.send(.get, "/things/boom")
            #expect(boom.status == 500)
            #expect(boom.errorType == "InternalFailureException")
        }
    }

    @Test("a service's own error type renders as the AWS error it converts to")
    func convertibleErrors() async throws {
        try await api.run { client in
            let conflict = try await client.send(.get, "/things/conflict")
            #expect(conflict.status == 409)
            #expect(conflict.errorType == "VersionConflictException")
            #expect(conflict.json["message"] as? String == "The version of thing conflict does not match.")
            #expect(conflict.json["resourceId"] as? String == "conflict")
        }
    }

    @Test("unknown paths are UnknownOperationException; unimplemented operations 501")
    func unknown() async throws {
        try await api.run { client in
            let unknown = try await client.send(.get, "/no/such/path")
            #expect(unknown.status == 404)
            #expect(unknown.errorType == "UnknownOperationException")
            let wrongMethod = try await client.send(.put, "/things/t1")
            #expect(wrongMethod.status == 404)
            let unimplemented = try await client.send(.delete, "/things/t1")
            #expect(unimplemented.status == 501)
            #expect(unimplemented.errorType == "NotImplementedException")
        }
    }

    @Test("register refuses nothing it knows and lists the rest")
    func registry() {
        var plane = api.controlPlane
        #expect(plane.isRegistered(.iot, "DescribeEndpoint"))
        #expect(!plane.isRegistered(.iot, "DeleteThing"))
        #expect(plane.unregisteredOperations.contains("iot:DeleteThing"))
        plane.register(.iot, "DeleteThing") { _, _ in .empty }
        #expect(plane.isRegistered(.iot, "DeleteThing"))
        #expect(!plane.unregisteredOperations.contains("iot:DeleteThing"))
    }

    @Test("DescribeEndpoint follows the configured host and can be replaced")
    func describeEndpointConfiguration() async throws {
        var changed = TestAPI(registersTestHandlers: false)
        changed.controlPlane.configuration.publicHost = "mqtt.example.net"
        try await changed.run { client in
            let response = try await client.send(.get, "/endpoint")
            #expect(response.json["endpointAddress"] as? String == "mqtt.example.net")
        }
        var replaced = TestAPI(registersTestHandlers: false)
        replaced.controlPlane.register(.iot, "DescribeEndpoint") { _, _ in ["endpointAddress": "custom"] }
        try await replaced.run { client in
            let response = try await client.send(.get, "/endpoint", query: "endpointType=anything")
            #expect(response.json["endpointAddress"] as? String == "custom")
        }
    }
}
