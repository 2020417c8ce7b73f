import Foundation
import Registry
import Testing

@Suite("Thing principals")
struct ThingPrincipalTests {
    @Test("Attach, list both ways, detach", arguments: Engine.available)
    func attach(engine: Engine) async throws {
        try await Fixture.with(engine) { registry, _ in
            for name in ["t1", "t2"] { try await registry.createThing(thingName: name) }
            for number in 1...3 { try await registry.registerTestCertificate(number) }
            try await registry.attachThingPrincipal(thingName: "t1", principal: certificateArn(2))
            try await registry.attachThingPrincipal(thingName: "t1", principal: certificateArn(1))
            try await registry.attachThingPrincipal(thingName: "t1", principal: certificateArn(3))
            try await registry.attachThingPrincipal(thingName: "t2", principal: certificateArn(1))
            try await registry.attachThingPrincipal(thingName: "t2", principal: certificateArn(1))  // twice: fine

            let principals = try await registry.collect {
                try await registry.listThingPrincipals(thingName: "t1", maxResults: 2, nextToken: $0)
            }
            #expect(principals.items.map(\.principal) == [certificateArn(1), certificateArn(2), certificateArn(3)])
            #expect(principals.pages == 2)
            #expect(principals.items.allSatisfy { $0.thingPrincipalType == .nonExclusiveThing })
            #expect(
                try await registry.listPrincipalThings(principal: certificateArn(1)).items.map(\.thingName) == [
                    "t1", "t2",
                ])

            try await registry.detachThingPrincipal(thingName: "t1", principal: certificateArn(1))
            // Detaching what is not attached succeeds.
            try await registry.detachThingPrincipal(thingName: "t1", principal: certificateArn(1))
            #expect(
                try await registry.listPrincipalThings(principal: certificateArn(1)).items.map(\.thingName) == ["t2"])
        }
    }

    @Test("Exclusive attachments", arguments: Engine.available)
    func exclusive(engine: Engine) async throws {
        try await Fixture.with(engine) { registry, _ in
            for name in ["t1", "t2"] { try await registry.createThing(thingName: name) }
            try await registry.registerTestCertificate(1)
            try await registry.registerTestCertificate(2)
            try await registry.attachThingPrincipal(
                thingName: "t1", principal: certificateArn(1), thingPrincipalType: .exclusiveThing)
            #expect(
                try await registry.listThingPrincipals(thingName: "t1").items.first?.thingPrincipalType
                    == .exclusiveThing)
            // Attaching again to the same thing is no conflict.
            try await registry.attachThingPrincipal(
                thingName: "t1", principal: certificateArn(1), thingPrincipalType: .exclusiveThing)
            await expectRegistryError(.invalidRequest) {
                try await registry.attachThingPrincipal(thingName: "t2", principal: certificateArn(1))
            }
            try await registry.attachThingPrincipal(thingName: "t1", principal: certificateArn(2))
            try await registry.attachThingPrincipal(thingName: "t2", principal: certificateArn(2))
            await expectRegistryError(.invalidRequest) {
                try await registry.attachThingPrincipal(
                    thingName: "t1", principal: certificateArn(2), thingPrincipalType: .exclusiveThing)
            }
        }
    }

    @Test("Errors: unknown thing or certificate, invalid principal", arguments: Engine.available)
    func errors(engine: Engine) async throws {
        try await Fixture.with(engine) { registry, _ in
            try await registry.createThing(thingName: "t")
            try await registry.registerTestCertificate(1)
            await expectRegistryError(.resourceNotFound) {
                try await registry.attachThingPrincipal(thingName: "missing", principal: certificateArn(1))
            }
            await expectRegistryError(.resourceNotFound) {
                try await registry.attachThingPrincipal(thingName: "t", principal: certificateArn(2))
            }
            await expectRegistryError(.invalidRequest) {
                try await registry.attachThingPrincipal(
                    thingName: "t", principal: "arn:aws:iot:us-east-1:123456789012:thinggroup/g")
            }
            await expectRegistryError(.resourceNotFound) {
                try await registry.detachThingPrincipal(thingName: "missing", principal: certificateArn(1))
            }
            let list = await expectRegistryError(.resourceNotFound) {
                _ = try await registry.listThingPrincipals(thingName: "missing")
            }
            #expect(
                list?.message
                    == "Failed to list principals for thing missing because the thing does not exist in your account")
            await expectRegistryError(.resourceNotFound) {
                _ = try await registry.listPrincipalThings(principal: certificateArn(2))
            }
        }
    }
}
