import Foundation
import Registry
import Testing

@Suite("Things")
struct ThingTests {
    @Test("CreateThing stores the thing; DescribeThing returns it", arguments: Engine.available)
    func createAndDescribe(engine: Engine) async throws {
        try await Fixture.with(engine) { registry, _ in
            try await registry.createThingType(thingTypeName: "LightBulb")
            let created = try await registry.createThing(
                thingName: "bulb-1", thingTypeName: "LightBulb",
                attributePayload: AttributePayload(attributes: ["model": "123", "wattage": "75"]))
            #expect(created.thingArn == "arn:aws:iot:us-east-1:123456789012:thing/bulb-1")
            #expect(created.version == 1)
            #expect(UUID(uuidString: created.thingId) != nil)
            let described = try await registry.describeThing(thingName: "bulb-1")
            #expect(described == created)
            #expect(described.attributes == ["model": "123", "wattage": "75"])
            #expect(described.defaultClientId == "bulb-1")
        }
    }

    @Test("CreateThing is idempotent for the same configuration only", arguments: Engine.available)
    func idempotentCreate(engine: Engine) async throws {
        try await Fixture.with(engine) { registry, _ in
            let first = try await registry.createThing(
                thingName: "t", attributePayload: AttributePayload(attributes: ["a": "1"]))
            let again = try await registry.createThing(
                thingName: "t", attributePayload: AttributePayload(attributes: ["a": "1"]))
            #expect(again == first)
            let error = await expectRegistryError(.resourceAlreadyExists) {
                try await registry.createThing(
                    thingName: "t", attributePayload: AttributePayload(attributes: ["b": "1"]))
            }
            #expect(error?.message == "Thing t already exists in account with different attributes")
            #expect(error?.resourceArn == first.thingArn)
            #expect(error?.resourceId == first.thingId)
            #expect(error?.httpStatus == 409)
            try await registry.createThingType(thingTypeName: "type")
            await expectRegistryError(.resourceAlreadyExists) {
                try await registry.createThing(
                    thingName: "t", thingTypeName: "type", attributePayload: AttributePayload(attributes: ["a": "1"]))
            }
        }
    }

    @Test(
        "CreateThing refuses unknown and deprecated types, too many attributes, bad names", arguments: Engine.available)
    func createErrors(engine: Engine) async throws {
        try await Fixture.with(engine) { registry, _ in
            await expectRegistryError(.resourceNotFound) {
                try await registry.createThing(thingName: "t", thingTypeName: "missing")
            }
            try await registry.createThingType(thingTypeName: "old")
            try await registry.deprecateThingType(thingTypeName: "old")
            let deprecated = await expectRegistryError(.invalidRequest) {
                try await registry.createThing(thingName: "t", thingTypeName: "old")
            }
            #expect(deprecated?.message == "Can not create new thing with depreated thing type:old")
            await expectRegistryError(.invalidRequest) {
                try await registry.createThing(
                    thingName: "t",
                    attributePayload: AttributePayload(attributes: ["a": "1", "b": "2", "c": "3", "d": "4"]))
            }
            let invalid = await expectRegistryError(.invalidRequest) {
                try await registry.createThing(thingName: "bad name")
            }
            #expect(
                invalid?.message
                    == "1 validation error detected: Value 'bad name' at 'thingName' failed to satisfy constraint: "
                    + "Member must satisfy regular expression pattern: [a-zA-Z0-9:_-]+")
            await expectRegistryError(.invalidRequest) {
                try await registry.createThing(thingName: String(repeating: "x", count: 129))
            }
            await expectRegistryError(.invalidRequest) {
                try await registry.createThing(
                    thingName: "t", attributePayload: AttributePayload(attributes: ["a b": "1"]))
            }
            // Nothing was stored by the failed calls.
            #expect(try await registry.listThings().items.isEmpty)
        }
    }

    @Test("DescribeThing of a missing thing is ResourceNotFoundException", arguments: Engine.available)
    func describeMissing(engine: Engine) async throws {
        try await Fixture.with(engine) { registry, _ in
            let error = await expectRegistryError(.resourceNotFound) {
                _ = try await registry.describeThing(thingName: "nope")
            }
            #expect(error?.httpStatus == 404)
        }
    }

    @Test("UpdateThing merges or replaces attributes and bumps the version", arguments: Engine.available)
    func updateAttributes(engine: Engine) async throws {
        try await Fixture.with(engine) { registry, _ in
            try await registry.createThingType(thingTypeName: "type")
            try await registry.createThing(
                thingName: "t", thingTypeName: "type",
                attributePayload: AttributePayload(attributes: ["a": "1", "b": "2"]))
            var thing = try await registry.updateThing(
                thingName: "t", attributePayload: AttributePayload(attributes: ["b": "", "c": "3"], merge: true))
            #expect(thing.attributes == ["a": "1", "c": "3"])
            #expect(thing.version == 2)
            thing = try await registry.updateThing(
                thingName: "t", attributePayload: AttributePayload(attributes: ["z": "9"], merge: false))
            #expect(thing.attributes == ["z": "9"])
            #expect(thing.version == 3)
            // No payload: attributes unchanged, version still grows.
            thing = try await registry.updateThing(thingName: "t")
            #expect(thing.attributes == ["z": "9"])
            #expect(thing.version == 4)
            #expect(try await registry.describeThing(thingName: "t") == thing)
        }
    }

    @Test("UpdateThing checks expectedVersion", arguments: Engine.available)
    func updateVersionConflict(engine: Engine) async throws {
        try await Fixture.with(engine) { registry, _ in
            try await registry.createThing(thingName: "t")
            try await registry.updateThing(
                thingName: "t", attributePayload: AttributePayload(attributes: ["a": "1"]), expectedVersion: 1)
            let error = await expectRegistryError(.versionConflict) {
                try await registry.updateThing(
                    thingName: "t", attributePayload: AttributePayload(attributes: ["a": "2"]), expectedVersion: 1)
            }
            #expect(error?.message == "The version for thing t does not match the expected version.")
            #expect(try await registry.describeThing(thingName: "t").attributes == ["a": "1"])
        }
    }

    @Test("UpdateThing sets and removes the thing type", arguments: Engine.available)
    func updateType(engine: Engine) async throws {
        try await Fixture.with(engine) { registry, _ in
            try await registry.createThingType(thingTypeName: "A")
            try await registry.createThingType(thingTypeName: "B")
            try await registry.createThing(thingName: "t", thingTypeName: "A")
            #expect(try await registry.updateThing(thingName: "t", thingTypeName: "B").thingTypeName == "B")
            #expect(try await registry.updateThing(thingName: "t", removeThingType: true).thingTypeName == nil)
            await expectRegistryError(.invalidRequest) {
                try await registry.updateThing(thingName: "t", thingTypeName: "A", removeThingType: true)
            }
            await expectRegistryError(.resourceNotFound) {
                try await registry.updateThing(thingName: "t", thingTypeName: "missing")
            }
            try await registry.deprecateThingType(thingTypeName: "A")
            await expectRegistryError(.invalidRequest) {
                try await registry.updateThing(thingName: "t", thingTypeName: "A")
            }
            await expectRegistryError(.resourceNotFound) { try await registry.updateThing(thingName: "missing") }
            // Without a type, at most 3 attributes.
            await expectRegistryError(.invalidRequest) {
                try await registry.updateThing(
                    thingName: "t",
                    attributePayload: AttributePayload(attributes: ["a": "1", "b": "2", "c": "3", "d": "4"]))
            }
        }
    }

    @Test("DeleteThing: version check, missing thing, attached principals", arguments: Engine.available)
    func delete(engine: Engine) async throws {
        try await Fixture.with(engine) { registry, _ in
            try await registry.createThing(thingName: "t", attributePayload: AttributePayload(attributes: ["a": "1"]))
            try await registry.deleteThing(thingName: "missing")  // succeeds, as on AWS
            await expectRegistryError(.versionConflict) {
                try await registry.deleteThing(thingName: "t", expectedVersion: 7)
            }
            try await registry.registerTestCertificate(1)
            try await registry.attachThingPrincipal(thingName: "t", principal: certificateArn(1))
            let attached = await expectRegistryError(.invalidRequest) { try await registry.deleteThing(thingName: "t") }
            #expect(attached?.message == "Cannot delete. Thing t is still attached to one or more principals")
            try await registry.detachThingPrincipal(thingName: "t", principal: certificateArn(1))
            try await registry.createThingGroup(thingGroupName: "g")
            try await registry.addThingToThingGroup(thingGroupName: "g", thingName: "t")
            try await registry.deleteThing(thingName: "t", expectedVersion: 1)
            await expectRegistryError(.resourceNotFound) { _ = try await registry.describeThing(thingName: "t") }
            #expect(try await registry.listThingsInThingGroup(thingGroupName: "g").items.isEmpty)
            // The name can be reused, from scratch.
            let again = try await registry.createThing(thingName: "t")
            #expect(again.attributes.isEmpty)
            #expect(again.version == 1)
        }
    }

    @Test("ListThings pages by name with an opaque token", arguments: Engine.available)
    func listPaging(engine: Engine) async throws {
        try await Fixture.with(engine) { registry, _ in
            let names = (0..<11).map { "thing-\(String(format: "%02d", $0))" }
            for name in names.shuffled() { try await registry.createThing(thingName: name) }
            let (things, pages) = try await registry.collect {
                try await registry.listThings(maxResults: 4, nextToken: $0)
            }
            #expect(things.map(\.thingName) == names)
            #expect(pages == 3)
            let first = try await registry.listThings(maxResults: 4)
            #expect(first.items.count == 4)
            let token = try #require(first.nextToken)
            #expect(Data(base64Encoded: token) != nil)
            let exact = try await registry.listThings(maxResults: 11)
            #expect(exact.items.count == 11)
            #expect(exact.nextToken == nil)
            #expect(try await registry.listThings().items.count == 11)
        }
    }

    @Test("ListThings filters by attribute, value prefix and type", arguments: Engine.available)
    func listFilters(engine: Engine) async throws {
        try await Fixture.with(engine) { registry, _ in
            try await registry.createThingType(thingTypeName: "sensor")
            try await registry.createThing(
                thingName: "a", thingTypeName: "sensor",
                attributePayload: AttributePayload(attributes: ["room": "kitchen"]))
            try await registry.createThing(
                thingName: "b", attributePayload: AttributePayload(attributes: ["room": "kids"]))
            try await registry.createThing(
                thingName: "c", attributePayload: AttributePayload(attributes: ["floor": "kitchen"]))
            try await registry.createThing(thingName: "d", thingTypeName: "sensor")
            func names(_ page: Page<Thing>) -> [String] { page.items.map(\.thingName) }
            #expect(names(try await registry.listThings(attributeName: "room", attributeValue: "kitchen")) == ["a"])
            #expect(
                names(
                    try await registry.listThings(
                        attributeName: "room", attributeValue: "ki", usePrefixAttributeValue: true))
                    == ["a", "b"])
            #expect(names(try await registry.listThings(attributeName: "room")) == ["a", "b"])
            #expect(names(try await registry.listThings(thingTypeName: "sensor")) == ["a", "d"])
            #expect(
                names(
                    try await registry.listThings(
                        attributeName: "room", attributeValue: "kitchen", thingTypeName: "sensor"))
                    == ["a"])
            let listed = try await registry.listThings(thingTypeName: "sensor")
            #expect(listed.items.first?.attributes == ["room": "kitchen"])
            #expect(listed.items.first?.thingArn == "arn:aws:iot:us-east-1:123456789012:thing/a")
            // Paging with a filter.
            let (filtered, pages) = try await registry.collect {
                try await registry.listThings(maxResults: 1, nextToken: $0, attributeName: "room")
            }
            #expect(filtered.map(\.thingName) == ["a", "b"])
            #expect(pages == 2)
        }
    }

    @Test("Invalid page sizes and tokens are InvalidRequestException", arguments: Engine.available)
    func invalidPaging(engine: Engine) async throws {
        try await Fixture.with(engine) { registry, _ in
            await expectRegistryError(.invalidRequest) { _ = try await registry.listThings(maxResults: 0) }
            await expectRegistryError(.invalidRequest) { _ = try await registry.listThings(maxResults: 251) }
            await expectRegistryError(.invalidRequest) { _ = try await registry.listThings(nextToken: "not a token") }
            await expectRegistryError(.invalidRequest) {
                _ = try await registry.listThings(nextToken: Data("[\"v9\",\"x\"]".utf8).base64EncodedString())
            }
            await expectRegistryError(.invalidRequest) { _ = try await registry.listThings(attributeValue: "x") }
        }
    }
}
