import AWSWire
import Testing

@testable import ControlPlane

@Suite("Generated service models")
struct ServiceModelTests {
    @Test("each service has its protocol, signing name and operations")
    func services() {
        #expect(ServiceModel.iot.wireProtocol == .restJSON)
        #expect(ServiceModel.iot.signingName == "iot")
        #expect(ServiceModel.iotData.signingName == "iotdata")
        #expect(ServiceModel.sns.wireProtocol == .query)
        #expect(ServiceModel.sns.xmlNamespace == AWSError.QueryNamespace.sns)
        #expect(ServiceModel.iam.xmlNamespace == AWSError.QueryNamespace.iam)
        #expect(ServiceModel.iot.operations.count == 68)
        #expect(ServiceModel.iotData.operationNames == ["Publish", "GetRetainedMessage", "ListRetainedMessages"])
        #expect(ServiceModel.sns.operations.count == 17)
        #expect(ServiceModel.iam.operations.count == 23)
    }

    @Test("operations carry botocore's HTTP binding")
    func bindings() throws {
        let describe = try #require(ServiceModel.iot.operations["DescribeThing"])
        #expect(describe.method == "GET")
        #expect(describe.requestURI == "/things/{thingName}")
        #expect(describe.errors.contains("ResourceNotFoundException"))
        let createTopic = try #require(ServiceModel.sns.operations["CreateTopic"])
        #expect(createTopic.resultWrapper == "CreateTopicResult")
        let request = ServiceModel.iot.shape("ListPrincipalThingsRequest")
        #expect(request.member(named: "principal")?.location == .header("x-amzn-principal"))
        #expect(request.member(named: "principal")?.isRequired == true)
        #expect(request.member(named: "maxResults")?.location == .querystring("maxResults"))
        let thingName = ServiceModel.iot.shape("ThingName")
        #expect(thingName.min == 1)
        #expect(thingName.max == 128)
        #expect(thingName.pattern == "[a-zA-Z0-9:_-]+")
        #expect(ServiceModel.iot.shape("CreateTopicRuleRequest").payload == "topicRulePayload")
    }

    @Test("modelled errors carry status and query code")
    func errors() {
        let notFound = ServiceModel.iot.error("ResourceNotFoundException", "gone")
        #expect(notFound.code == "ResourceNotFoundException")
        #expect(notFound.httpStatus == 404)
        let snsNotFound = ServiceModel.sns.error("NotFoundException", "Topic does not exist")
        #expect(snsNotFound.code == "NotFound")
        #expect(snsNotFound.httpStatus == 404)
        let conflict = ServiceModel.iam.error("DeleteConflictException", "attached")
        #expect(conflict.code == "DeleteConflict")
        #expect(conflict.httpStatus == 409)
        #expect(ServiceModel.iot.error("VersionConflictException", "v").httpStatus == 409)
    }

    @Test(
        "rest-json routes match method and path",
        arguments: [
            ("GET", "/things/thermo-1", "DescribeThing"),
            ("POST", "/things/thermo-1", "CreateThing"),
            ("PATCH", "/things/thermo-1", "UpdateThing"),
            ("DELETE", "/things/thermo-1", "DeleteThing"),
            ("GET", "/things", "ListThings"),
            ("GET", "/things/thermo-1/thing-groups", "ListThingGroupsForThing"),
            ("PUT", "/thing-groups/addThingToThingGroup", "AddThingToThingGroup"),
            ("GET", "/thing-groups/addThingToThingGroup", "DescribeThingGroup"),
            ("GET", "/policies/p/version/3", "GetPolicyVersion"),
            ("GET", "/tags", "ListTagsForResource"),
            ("POST", "/tags", "TagResource"),
            ("GET", "/endpoint", "DescribeEndpoint"),
        ])
    func routes(method: String, path: String, operation: String) throws {
        let match = try #require(ServiceModel.iot.route(method: method, rawPath: path[...]))
        #expect(match.operation.name == operation)
    }

    @Test("unknown paths and methods do not match")
    func noRoute() {
        #expect(ServiceModel.iot.route(method: "GET", rawPath: "/nothing-here") == nil)
        #expect(ServiceModel.iot.route(method: "PUT", rawPath: "/things/x") == nil)
        #expect(ServiceModel.iot.route(method: "GET", rawPath: "/things/x/y/z") == nil)
    }

    @Test("labels are percent-decoded; %2F stays inside one label")
    func labels() throws {
        let match = try #require(ServiceModel.iot.route(method: "GET", rawPath: "/things/a%3Ab"))
        #expect(match.labels["thingName"] == "a:b")
        let publish = try #require(ServiceModel.iotData.route(method: "POST", rawPath: "/topics/a%2Fb%20c%2B"))
        #expect(publish.operation.name == "Publish")
        #expect(publish.labels["topic"] == "a/b c+")
    }

    @Test("greedy labels take one or more segments")
    func greedy() {
        let template = RequestURITemplate("/destinations/{arn+}")
        #expect(template.segments == [.literal("destinations"), .greedyLabel("arn")])
        #expect(template.match(["destinations", "arn:aws:x", "y%20z"]) == ["arn": "arn:aws:x/y z"])
        #expect(template.match(["destinations"]) == nil)
        let inner = RequestURITemplate("/a/{key+}/tail")
        #expect(inner.match(["a", "b", "c", "tail"]) == ["key": "b/c"])
        #expect(inner.match(["a", "tail"]) == nil)
    }

    @Test("shape patterns match whole values, Java style")
    func patterns() {
        let pattern = ShapePattern("[a-zA-Z0-9:_-]+")
        #expect(pattern.matches("thermo-1:a_b"))
        #expect(!pattern.matches("a b"))
        #expect(!pattern.matches(""))
        let iam = ShapePattern(#"[\w+=,.@-]+"#)
        #expect(iam.matches("my-role+x@y"))
        #expect(!iam.matches("role/with/slash"))
        let unicode = ShapePattern(#"[\u0009\u000A\u000D\u0020-\u00FF]+"#)
        #expect(unicode.matches("{\"a\": 1}\n"))
        #expect(!unicode.matches("\u{2603}"))
    }

    @Test("every pattern of every model compiles", arguments: ServiceModel.all.map(\.name))
    func allPatternsCompile(service: String) throws {
        let model = try #require(ServiceModel.all.first { $0.name == service })
        for (pattern, compiled) in model.patterns {
            #expect(compiled.expression != nil, "\(service): \(pattern)")
        }
    }
}
