import Foundation
import Registry
import Testing

/// Collects what an observer receives.
final class Received: @unchecked Sendable {
    private let lock = NSLock()
    private var changes: [RegistryChange] = []

    func append(_ change: RegistryChange) { lock.withLock { changes.append(change) } }

    func take() -> [RegistryChange] {
        lock.withLock {
            defer { changes.removeAll() }
            return changes
        }
    }
}

@Suite("Change feed")
struct ChangeFeedTests {
    @Test("Each change is announced after its commit", arguments: Engine.available)
    func announced(engine: Engine) async throws {
        try await Fixture.with(engine) { registry, _ in
            let received = Received()
            let observation = registry.observe { received.append($0) }

            try await registry.createThing(thingName: "t")
            #expect(received.take() == [.thingChanged(thingName: "t")])
            let certificate = try await registry.registerTestCertificate(1)
            #expect(received.take() == [.certificateStatusChanged(certificateId: certificateId(1))])
            try await registry.updateCertificate(certificateId: certificateId(1), newStatus: .inactive)
            #expect(received.take() == [.certificateStatusChanged(certificateId: certificateId(1))])
            try await registry.createPolicy(policyName: "p", policyDocument: "{}")
            #expect(received.take() == [.policyChanged(policyName: "p")])
            try await registry.createPolicyVersion(policyName: "p", policyDocument: "{\"v\":2}")
            #expect(received.take() == [])  // not the default: nothing effective changed
            try await registry.setDefaultPolicyVersion(policyName: "p", policyVersionId: "2")
            #expect(received.take() == [.policyChanged(policyName: "p")])
            try await registry.attachPolicy(policyName: "p", target: certificate.certificateArn)
            #expect(received.take() == [.attachmentsChanged(target: certificate.certificateArn)])
            try await registry.attachThingPrincipal(thingName: "t", principal: certificate.certificateArn)
            #expect(
                received.take() == [
                    .thingChanged(thingName: "t"), .attachmentsChanged(target: certificate.certificateArn),
                ])
            let group = try await registry.createThingGroup(thingGroupName: "g")
            try await registry.addThingToThingGroup(thingGroupName: "g", thingName: "t")
            #expect(received.take() == [.thingChanged(thingName: "t")])
            try await registry.attachPolicy(policyName: "p", target: group.thingGroupArn)
            _ = received.take()
            try await registry.deleteThingGroup(thingGroupName: "g")
            #expect(
                received.take() == [.attachmentsChanged(target: group.thingGroupArn), .thingChanged(thingName: "t")])
            try await registry.createTopicRule(ruleName: "r", payload: TopicRuleTests.payload("x"), topicPattern: "x")
            try await registry.disableTopicRule(ruleName: "r")
            #expect(received.take() == [.topicRuleChanged(ruleName: "r"), .topicRuleChanged(ruleName: "r")])
            try await registry.detachThingPrincipal(thingName: "t", principal: certificate.certificateArn)
            _ = received.take()
            try await registry.deleteCertificate(certificateId: certificateId(1), forceDelete: true)
            #expect(
                received.take() == [
                    .attachmentsChanged(target: certificate.certificateArn),
                    .certificateStatusChanged(certificateId: certificateId(1)),
                ])

            observation.cancel()
            try await registry.createThing(thingName: "after")
            #expect(received.take() == [])
        }
    }

    @Test("A failed operation announces nothing", arguments: Engine.available)
    func rolledBack(engine: Engine) async throws {
        try await Fixture.with(engine) { registry, _ in
            let received = Received()
            let observation = registry.observe { received.append($0) }
            try await registry.createThing(thingName: "t")
            _ = received.take()
            await expectRegistryError(.versionConflict) {
                try await registry.updateThing(thingName: "t", expectedVersion: 5)
            }
            await expectRegistryError(.resourceNotFound) {
                try await registry.attachPolicy(policyName: "none", target: certificateArn(1))
            }
            #expect(received.take() == [])
            observation.cancel()
        }
    }

    @Test("changes() delivers as an AsyncStream", arguments: Engine.available)
    func stream(engine: Engine) async throws {
        try await Fixture.with(engine) { registry, _ in
            let stream = registry.changes()
            try await registry.createThing(thingName: "a")
            try await registry.createPolicy(policyName: "p", policyDocument: "{}")
            var iterator = stream.makeAsyncIterator()
            #expect(await iterator.next() == .thingChanged(thingName: "a"))
            #expect(await iterator.next() == .policyChanged(policyName: "p"))
        }
    }
}
