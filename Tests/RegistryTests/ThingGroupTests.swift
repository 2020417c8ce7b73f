import Foundation
import Registry
import Testing

@Suite("Thing groups")
struct ThingGroupTests {
    @Test("Create with a parent; describe shows the ancestry", arguments: Engine.available)
    func hierarchy(engine: Engine) async throws {
        try await Fixture.with(engine) { registry, _ in
            let root = try await registry.createThingGroup(
                thingGroupName: "building",
                thingGroupProperties: ThingGroupProperties(
                    thingGroupDescription: "HQ", attributePayload: AttributePayload(attributes: ["city": "Paris"])))
            try await registry.createThingGroup(thingGroupName: "floor1", parentGroupName: "building")
            let room = try await registry.createThingGroup(thingGroupName: "room1", parentGroupName: "floor1")
            #expect(root.thingGroupArn == "arn:aws:iot:us-east-1:123456789012:thinggroup/building")
            #expect(root.version == 1)
            #expect(root.thingGroupProperties.thingGroupDescription == "HQ")
            #expect(root.thingGroupProperties.attributePayload?.attributes == ["city": "Paris"])
            #expect(room.thingGroupMetadata.parentGroupName == "floor1")
            #expect(room.thingGroupMetadata.rootToParentThingGroups.map(\.groupName) == ["building", "floor1"])
            #expect(
                room.thingGroupMetadata.rootToParentThingGroups.first?.groupArn
                    == "arn:aws:iot:us-east-1:123456789012:thinggroup/building")
            #expect(try await registry.describeThingGroup(thingGroupName: "room1") == room)
            await expectRegistryError(.resourceNotFound) {
                try await registry.createThingGroup(thingGroupName: "orphan", parentGroupName: "missing")
            }
            await expectRegistryError(.resourceNotFound) {
                _ = try await registry.describeThingGroup(thingGroupName: "x")
            }
        }
    }

    @Test("Create is idempotent for the same parent and properties", arguments: Engine.available)
    func idempotent(engine: Engine) async throws {
        try await Fixture.with(engine) { registry, _ in
            try await registry.createThingGroup(thingGroupName: "parent")
            let properties = ThingGroupProperties(thingGroupDescription: "d")
            let group = try await registry.createThingGroup(
                thingGroupName: "g", parentGroupName: "parent", thingGroupProperties: properties)
            #expect(
                try await registry.createThingGroup(
                    thingGroupName: "g", parentGroupName: "parent", thingGroupProperties: properties) == group)
            await expectRegistryError(.resourceAlreadyExists) {
                try await registry.createThingGroup(thingGroupName: "g", thingGroupProperties: properties)
            }
            await expectRegistryError(.resourceAlreadyExists) {
                try await registry.createThingGroup(thingGroupName: "g", parentGroupName: "parent")
            }
        }
    }

    @Test("A hierarchy is at most 7 levels deep", arguments: Engine.available)
    func depth(engine: Engine) async throws {
        try await Fixture.with(engine) { registry, _ in
            try await registry.createThingGroup(thingGroupName: "level1")
            for level in 2...7 {
                try await registry.createThingGroup(
                    thingGroupName: "level\(level)", parentGroupName: "level\(level - 1)")
            }
            await expectRegistryError(.invalidRequest) {
                try await registry.createThingGroup(thingGroupName: "level8", parentGroupName: "level7")
            }
        }
    }

    @Test("ListThingGroups: all, roots, children, descendants, prefix, paging", arguments: Engine.available)
    func list(engine: Engine) async throws {
        try await Fixture.with(engine) { registry, _ in
            try await registry.createThingGroup(thingGroupName: "a")
            try await registry.createThingGroup(thingGroupName: "a1", parentGroupName: "a")
            try await registry.createThingGroup(thingGroupName: "a1x", parentGroupName: "a1")
            try await registry.createThingGroup(thingGroupName: "a2", parentGroupName: "a")
            try await registry.createThingGroup(thingGroupName: "b")
            func names(_ page: Page<GroupNameAndArn>) -> [String] { page.items.map(\.groupName) }
            #expect(names(try await registry.listThingGroups()) == ["a", "a1", "a1x", "a2", "b"])
            #expect(names(try await registry.listThingGroups(recursive: false)) == ["a", "b"])
            #expect(names(try await registry.listThingGroups(parentGroup: "a")) == ["a1", "a1x", "a2"])
            #expect(names(try await registry.listThingGroups(parentGroup: "a", recursive: false)) == ["a1", "a2"])
            #expect(names(try await registry.listThingGroups(namePrefixFilter: "a1")) == ["a1", "a1x"])
            let (paged, pages) = try await registry.collect {
                try await registry.listThingGroups(maxResults: 2, nextToken: $0, parentGroup: "a")
            }
            #expect(paged.map(\.groupName) == ["a1", "a1x", "a2"])
            #expect(pages == 2)
            await expectRegistryError(.resourceNotFound) { _ = try await registry.listThingGroups(parentGroup: "zzz") }
        }
    }

    @Test("UpdateThingGroup merges attributes and checks expectedVersion", arguments: Engine.available)
    func update(engine: Engine) async throws {
        try await Fixture.with(engine) { registry, _ in
            try await registry.createThingGroup(
                thingGroupName: "g",
                thingGroupProperties: ThingGroupProperties(
                    thingGroupDescription: "one", attributePayload: AttributePayload(attributes: ["a": "1"])))
            let version = try await registry.updateThingGroup(
                thingGroupName: "g",
                thingGroupProperties: ThingGroupProperties(
                    attributePayload: AttributePayload(attributes: ["b": "2"], merge: true)),
                expectedVersion: 1)
            #expect(version == 2)
            var group = try await registry.describeThingGroup(thingGroupName: "g")
            #expect(group.thingGroupProperties.attributePayload?.attributes == ["a": "1", "b": "2"])
            #expect(group.thingGroupProperties.thingGroupDescription == "one")
            let error = await expectRegistryError(.versionConflict) {
                try await registry.updateThingGroup(
                    thingGroupName: "g", thingGroupProperties: ThingGroupProperties(thingGroupDescription: "x"),
                    expectedVersion: 1)
            }
            #expect(error?.message == "The version for thing group g does not match the expected version.")
            #expect(
                try await registry.updateThingGroup(
                    thingGroupName: "g",
                    thingGroupProperties: ThingGroupProperties(
                        thingGroupDescription: "two", attributePayload: AttributePayload(attributes: ["c": "3"]))) == 3)
            group = try await registry.describeThingGroup(thingGroupName: "g")
            #expect(group.thingGroupProperties.attributePayload?.attributes == ["c": "3"])
            #expect(group.thingGroupProperties.thingGroupDescription == "two")
            #expect(group.version == 3)
            await expectRegistryError(.resourceNotFound) {
                try await registry.updateThingGroup(
                    thingGroupName: "nope", thingGroupProperties: ThingGroupProperties())
            }
        }
    }

    @Test("DeleteThingGroup: children, version, missing, cleanup", arguments: Engine.available)
    func delete(engine: Engine) async throws {
        try await Fixture.with(engine) { registry, _ in
            let parent = try await registry.createThingGroup(
                thingGroupName: "parent", tags: [Tag(key: "k", value: "v")])
            try await registry.createThingGroup(thingGroupName: "child", parentGroupName: "parent")
            try await registry.createThing(thingName: "t")
            try await registry.addThingToThingGroup(thingGroupName: "parent", thingName: "t")
            try await registry.createPolicy(policyName: "p", policyDocument: "{}")
            try await registry.attachPolicy(policyName: "p", target: parent.thingGroupArn)
            let children = await expectRegistryError(.invalidRequest) {
                try await registry.deleteThingGroup(thingGroupName: "parent")
            }
            #expect(children?.message.contains("child groups") == true)
            try await registry.deleteThingGroup(thingGroupName: "child")
            await expectRegistryError(.versionConflict) {
                try await registry.deleteThingGroup(thingGroupName: "parent", expectedVersion: 9)
            }
            try await registry.deleteThingGroup(thingGroupName: "parent", expectedVersion: 1)
            try await registry.deleteThingGroup(thingGroupName: "parent")  // missing: succeeds
            #expect(try await registry.listThingGroupsForThing(thingName: "t").items.isEmpty)
            #expect(try await registry.listTargetsForPolicy(policyName: "p").items.isEmpty)
            try await registry.deletePolicy(policyName: "p")  // no longer attached
            try await registry.createThingGroup(thingGroupName: "parent")
            #expect(try await registry.listTagsForResource(resourceArn: parent.thingGroupArn).items.isEmpty)
        }
    }

    @Test("Add and remove things; list both ways", arguments: Engine.available)
    func membership(engine: Engine) async throws {
        try await Fixture.with(engine) { registry, _ in
            let root = try await registry.createThingGroup(thingGroupName: "root")
            try await registry.createThingGroup(thingGroupName: "leaf", parentGroupName: "root")
            for name in ["t1", "t2", "t3"] { try await registry.createThing(thingName: name) }
            try await registry.addThingToThingGroup(thingGroupName: "root", thingName: "t1")
            try await registry.addThingToThingGroup(thingGroupArn: root.thingGroupArn, thingName: "t2")
            try await registry.addThingToThingGroup(
                thingGroupName: "leaf", thingArn: "arn:aws:iot:us-east-1:123456789012:thing/t3")
            try await registry.addThingToThingGroup(thingGroupName: "leaf", thingName: "t1")
            try await registry.addThingToThingGroup(thingGroupName: "leaf", thingName: "t1")  // twice: fine
            #expect(try await registry.listThingsInThingGroup(thingGroupName: "root").items == ["t1", "t2"])
            #expect(
                try await registry.listThingsInThingGroup(thingGroupName: "root", recursive: true).items == [
                    "t1", "t2", "t3",
                ])
            let (paged, pages) = try await registry.collect {
                try await registry.listThingsInThingGroup(
                    thingGroupName: "root", recursive: true, maxResults: 2, nextToken: $0)
            }
            #expect(paged == ["t1", "t2", "t3"])
            #expect(pages == 2)
            let groups = try await registry.listThingGroupsForThing(thingName: "t1")
            #expect(groups.items.map(\.groupName) == ["leaf", "root"])
            #expect(groups.items.last?.groupArn == root.thingGroupArn)
            try await registry.removeThingFromThingGroup(thingGroupName: "root", thingName: "t1")
            try await registry.removeThingFromThingGroup(thingGroupName: "root", thingName: "t1")  // not a member: fine
            #expect(try await registry.listThingGroupsForThing(thingName: "t1").items.map(\.groupName) == ["leaf"])

            await expectRegistryError(.invalidRequest) { try await registry.addThingToThingGroup(thingName: "t1") }
            await expectRegistryError(.invalidRequest) {
                try await registry.addThingToThingGroup(
                    thingGroupName: "root", thingGroupArn: "arn:aws:iot:us-east-1:123456789012:thinggroup/leaf",
                    thingName: "t1")
            }
            await expectRegistryError(.resourceNotFound) {
                try await registry.addThingToThingGroup(thingGroupName: "nope", thingName: "t1")
            }
            await expectRegistryError(.resourceNotFound) {
                try await registry.addThingToThingGroup(thingGroupName: "root", thingName: "nope")
            }
            await expectRegistryError(.resourceNotFound) {
                _ = try await registry.listThingsInThingGroup(thingGroupName: "nope")
            }
            await expectRegistryError(.resourceNotFound) {
                _ = try await registry.listThingGroupsForThing(thingName: "nope")
            }
        }
    }

    @Test("A thing belongs to at most 10 groups", arguments: Engine.available)
    func groupLimit(engine: Engine) async throws {
        try await Fixture.with(engine) { registry, _ in
            try await registry.createThing(thingName: "t")
            for index in 0..<11 { try await registry.createThingGroup(thingGroupName: "g\(index)") }
            for index in 0..<10 { try await registry.addThingToThingGroup(thingGroupName: "g\(index)", thingName: "t") }
            await expectRegistryError(.invalidRequest) {
                try await registry.addThingToThingGroup(thingGroupName: "g10", thingName: "t")
            }
        }
    }
}
