import Foundation
import Registry
import Testing

@Suite("Thing types")
struct ThingTypeTests {
    @Test("Create, describe, idempotency and conflicts", arguments: Engine.available)
    func create(engine: Engine) async throws {
        try await Fixture.with(engine) { registry, fixture in
            let properties = ThingTypeProperties(thingTypeDescription: "Light bulbs", searchableAttributes: ["model"])
            let created = try await registry.createThingType(
                thingTypeName: "LightBulb", thingTypeProperties: properties, tags: [Tag(key: "team", value: "home")])
            #expect(created.thingTypeArn == "arn:aws:iot:us-east-1:123456789012:thingtype/LightBulb")
            #expect(created.thingTypeMetadata.deprecated == false)
            #expect(created.thingTypeMetadata.creationDate == fixture.clock.now)
            let described = try await registry.describeThingType(thingTypeName: "LightBulb")
            #expect(described == created)
            #expect(described.thingTypeProperties == properties)
            #expect(
                try await registry.createThingType(thingTypeName: "LightBulb", thingTypeProperties: properties)
                    == created)
            let conflict = await expectRegistryError(.resourceAlreadyExists) {
                try await registry.createThingType(thingTypeName: "LightBulb")
            }
            #expect(conflict?.resourceArn == created.thingTypeArn)
            await expectRegistryError(.invalidRequest) {
                try await registry.createThingType(
                    thingTypeName: "Many",
                    thingTypeProperties: ThingTypeProperties(searchableAttributes: ["a", "b", "c", "d"]))
            }
            await expectRegistryError(.resourceNotFound) {
                _ = try await registry.describeThingType(thingTypeName: "nope")
            }
            #expect(
                try await registry.listTagsForResource(resourceArn: created.thingTypeArn).items == [
                    Tag(key: "team", value: "home")
                ])
        }
    }

    @Test("ListThingTypes pages and filters by name prefix", arguments: Engine.available)
    func list(engine: Engine) async throws {
        try await Fixture.with(engine) { registry, _ in
            for name in ["sensor-a", "sensor-b", "sensor-c", "bulb", "switch"] {
                try await registry.createThingType(thingTypeName: name)
            }
            let (all, pages) = try await registry.collect {
                try await registry.listThingTypes(maxResults: 2, nextToken: $0)
            }
            #expect(all.map(\.thingTypeName) == ["bulb", "sensor-a", "sensor-b", "sensor-c", "switch"])
            #expect(pages == 3)
            let sensors = try await registry.listThingTypes(thingTypeName: "sensor")
            #expect(sensors.items.map(\.thingTypeName) == ["sensor-a", "sensor-b", "sensor-c"])
        }
    }

    @Test("Deprecate and undo", arguments: Engine.available)
    func deprecate(engine: Engine) async throws {
        try await Fixture.with(engine) { registry, fixture in
            try await registry.createThingType(thingTypeName: "T")
            try await registry.deprecateThingType(thingTypeName: "T")
            var type = try await registry.describeThingType(thingTypeName: "T")
            #expect(type.thingTypeMetadata.deprecated)
            #expect(type.thingTypeMetadata.deprecationDate == fixture.clock.now)
            fixture.clock.advance(seconds: 60)
            try await registry.deprecateThingType(thingTypeName: "T")  // keeps the first date
            type = try await registry.describeThingType(thingTypeName: "T")
            #expect(type.thingTypeMetadata.deprecationDate == fixture.clock.now - 60)
            try await registry.deprecateThingType(thingTypeName: "T", undoDeprecate: true)
            type = try await registry.describeThingType(thingTypeName: "T")
            #expect(!type.thingTypeMetadata.deprecated)
            #expect(type.thingTypeMetadata.deprecationDate == nil)
            try await registry.createThing(thingName: "usable", thingTypeName: "T")
            await expectRegistryError(.resourceNotFound) {
                try await registry.deprecateThingType(thingTypeName: "nope")
            }
        }
    }

    @Test("DeleteThingType needs deprecation 5 minutes before and no things", arguments: Engine.available)
    func delete(engine: Engine) async throws {
        try await Fixture.with(engine) { registry, fixture in
            let type = try await registry.createThingType(thingTypeName: "T", tags: [Tag(key: "k")])
            try await registry.createThing(thingName: "user", thingTypeName: "T")
            await expectRegistryError(.invalidRequest) { try await registry.deleteThingType(thingTypeName: "T") }
            try await registry.deprecateThingType(thingTypeName: "T")
            fixture.clock.advance(seconds: 299)
            await expectRegistryError(.invalidRequest) { try await registry.deleteThingType(thingTypeName: "T") }
            fixture.clock.advance(seconds: 1)
            let used = await expectRegistryError(.invalidRequest) {
                try await registry.deleteThingType(thingTypeName: "T")
            }
            #expect(used?.message.contains("things") == true)
            try await registry.updateThing(thingName: "user", removeThingType: true)
            try await registry.deleteThingType(thingTypeName: "T")
            await expectRegistryError(.resourceNotFound) {
                _ = try await registry.describeThingType(thingTypeName: "T")
            }
            await expectRegistryError(.resourceNotFound) { try await registry.deleteThingType(thingTypeName: "T") }
            // Its tags went with it: a new type of the same name starts without.
            try await registry.createThingType(thingTypeName: "T")
            #expect(try await registry.listTagsForResource(resourceArn: type.thingTypeArn).items.isEmpty)
        }
    }
}
