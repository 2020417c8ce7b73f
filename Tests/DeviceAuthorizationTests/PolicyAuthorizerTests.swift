import DeviceAuthorization
import Foundation
import MQTTProtocol
import PolicyEngine
import Testing

/// The plain listener governed by one IoT policy document (`--plain-policy`).
@Suite("Plain listener policy")
struct PolicyAuthorizerTests {
    static let localPolicy = policyJSON([
        ("Allow", ["iot:Connect"], [iotARN("client", "app-*")]),
        ("Allow", ["iot:Publish", "iot:Receive"], [iotARN("topic", "*")]),
        ("Allow", ["iot:Subscribe"], [iotARN("topicfilter", "*")]),
        ("Deny", ["iot:Subscribe"], [iotARN("topicfilter", "secret/*")]),
        ("Deny", ["iot:Publish"], [iotARN("topic", "clients/*")]),
        ("Allow", ["iot:Publish"], [iotARN("topic", "own/${iot:ClientId}")]),
    ])

    @Test func aLocalBrokerRefusesSecretSubscriptionsWith0x80() async throws {
        let document = try PolicyDocument(json: Self.localPolicy)
        try await TestEnvironment.with(plainPolicy: document) { environment in
            let client = try await environment.plainClient()
            #expect(try await client.connect("app-1")?.returnCode == .accepted)
            #expect(try await client.subscribe([("public/#", .atLeastOnce), ("secret/#", .atLeastOnce)]) == [1, 0x80])
            #expect(try await client.publish("public/x", "hello"))
            #expect(try await client.nextPublish()?.topic == "public/x")
            #expect(try await client.publish("own/app-1", "variables work"))
            #expect(try await client.publish("clients/app-2", "denied") == false)
        }
    }

    @Test func connectIsDecidedByTheClientIdAndRefusedByClosing() async throws {
        let document = try PolicyDocument(json: Self.localPolicy)
        try await TestEnvironment.with(plainPolicy: document) { environment in
            let intruder = try await environment.plainClient()
            #expect(try await intruder.connect("intruder") == nil)
        }
    }

    @Test func withoutAPolicyEverythingIsAllowed() async throws {
        let authorizer = PolicyAuthorizer(document: nil, scope: testScope)
        let decision = await authorizer.authorizeConnect(.init(clientIdentifier: "anyone"))
        guard case .accept(let authorization) = decision else {
            Issue.record("expected acceptance")
            return
        }
        #expect(authorization.authorizePublish(topic: "secret/x", retain: true) == .allow)
        #expect(authorization.authorizeSubscribe(topicFilter: "#"))
        #expect(authorization.authorizeReceive(topic: "secret/x"))
    }

    @Test func thePolicyIsReadFromAFileAndAMalformedFileIsAnError() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("plain-policy-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let good = directory.appendingPathComponent("policy.json")
        try Self.localPolicy.write(to: good, atomically: true, encoding: .utf8)
        let authorizer = try PolicyAuthorizer(contentsOfFile: good.path, scope: testScope)
        #expect(authorizer.document?.statements.count == 6)

        let bad = directory.appendingPathComponent("bad.json")
        try #"{"Statement":[{"Effect":"Maybe","Action":"iot:*","Resource":"*"}]}"#.write(
            to: bad, atomically: true, encoding: .utf8)
        #expect(throws: PolicyDocumentError.self) { try PolicyAuthorizer(contentsOfFile: bad.path, scope: testScope) }
        #expect(throws: (any Error).self) {
            try PolicyAuthorizer(contentsOfFile: directory.appendingPathComponent("missing").path, scope: testScope)
        }
    }

    @Test func sourceIpConditionsSeeTheClientsAddress() async throws {
        let document = try PolicyDocument(
            json: #"""
                {"Version":"2012-10-17","Statement":[
                  {"Effect":"Allow","Action":"iot:*","Resource":"*"},
                  {"Effect":"Deny","Action":"iot:Connect","Resource":"*",
                   "Condition":{"NotIpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}]}
                """#)
        let authorizer = PolicyAuthorizer(document: document, scope: testScope)
        let inside = await authorizer.authorizeConnect(.init(clientIdentifier: "a", remoteAddress: "10.1.2.3"))
        let outside = await authorizer.authorizeConnect(.init(clientIdentifier: "a", remoteAddress: "192.168.1.9"))
        guard case .accept = inside, case .close = outside else {
            Issue.record("expected 10.1.2.3 accepted and 192.168.1.9 closed, got \(inside) and \(outside)")
            return
        }
    }
}
