import AWSWire
import ControlPlane
import Foundation
import Testing

@Suite("iot: things, thing types and thing groups")
struct IoTThingTests {
    @Test("Every iot operation but TestAuthorization has a handler")
    func registration() async throws {
        try await IoTFixture.withRegistry { registry in
            var api = TestAPI(registersTestHandlers: false)
            #expect(api.unregisteredOperations(of: "iot").count > 60)
            api.controlPlane.registerIoTOperations(IoTServices(registry: registry, authority: IoTFixture.root))
            #expect(api.unregisteredOperations(of: "iot") == ["iot:TestAuthorization"])
        }
    }

    @Test("CreateThing, DescribeThing, UpdateThing, DeleteThing")
    func thingLifecycle() async throws {
        try await IoTFixture.with { iot in
            let created = try await iot.call(
                .post, "/things/thermo-1", json: ["attributePayload": ["attributes": ["room": "7", "floor": "2"]]]
            ).ok()
            #expect(created["thingName"] as? String == "thermo-1")
            #expect(created["thingArn"] as? String == "arn:aws:iot:us-east-1:123456789012:thing/thermo-1")
            let thingId = try #require(created["thingId"] as? String)
            #expect(UUID(uuidString: thingId) != nil)

            // Idempotent with the same attributes, a conflict with others.
            #expect(
                try await iot.call(
                    .post, "/things/thermo-1", json: ["attributePayload": ["attributes": ["room": "7", "floor": "2"]]]
                ).ok()["thingId"] as? String == thingId)
            let conflict = try await iot.call(
                .post, "/things/thermo-1", json: ["attributePayload": ["attributes": ["room": "8"]]])
            conflict.expectError("ResourceAlreadyExistsException", status: 409)
            #expect(conflict.json["resourceId"] as? String == thingId)

            var described = try await iot.call(.get, "/things/thermo-1").ok()
            #expect(described["defaultClientId"] as? String == "thermo-1")
            #expect(described["attributes"] as? [String: String] == ["room": "7", "floor": "2"])
            #expect(described["version"] as? Int == 1)
            #expect(described["thingTypeName"] == nil)

            // Merge: an empty value removes an attribute.
            try await iot.call(
                .patch, "/things/thermo-1",
                json: [
                    "attributePayload": ["attributes": ["floor": "", "zone": "a"], "merge": true], "expectedVersion": 1,
                ]
            ).ok()
            described = try await iot.call(.get, "/things/thermo-1").ok()
            #expect(described["attributes"] as? [String: String] == ["room": "7", "zone": "a"])
            #expect(described["version"] as? Int == 2)
            let stale = try await iot.call(
                .patch, "/things/thermo-1",
                json: ["attributePayload": ["attributes": ["x": "1"]], "expectedVersion": 1])
            stale.expectError("VersionConflictException", status: 409)

            try await iot.call(.post, "/thing-types/sensor").ok()
            try await iot.call(.patch, "/things/thermo-1", json: ["thingTypeName": "sensor"]).ok()
            #expect(try await iot.call(.get, "/things/thermo-1").ok()["thingTypeName"] as? String == "sensor")
            try await iot.call(
                .patch, "/things/thermo-1", json: ["thingTypeName": "sensor", "removeThingType": true]
            ).expectError("InvalidRequestException", status: 400)
            try await iot.call(.patch, "/things/thermo-1", json: ["removeThingType": true]).ok()
            #expect(try await iot.call(.get, "/things/thermo-1").ok()["thingTypeName"] == nil)
            try await iot.call(.patch, "/things/ghost", json: ["removeThingType": true])
                .expectError("ResourceNotFoundException", status: 404)

            try await iot.call(.delete, "/things/thermo-1", query: "expectedVersion=1")
                .expectError("VersionConflictException", status: 409)
            try await iot.call(.delete, "/things/thermo-1", query: "expectedVersion=4").ok()
            let missing = try await iot.call(.get, "/things/thermo-1")
                .expectError("ResourceNotFoundException", status: 404)
            #expect(missing.contains("thermo-1"))
            // Deleting again succeeds, as on AWS.
            try await iot.call(.delete, "/things/thermo-1").ok()
        }
    }

    @Test("CreateThing validates names, types and billing groups")
    func thingErrors() async throws {
        try await IoTFixture.with { iot in
            try await iot.call(.post, "/things/bad%20name").expectError("InvalidRequestException", status: 400)
            try await iot.call(.post, "/things/t", json: ["thingTypeName": "nope"])
                .expectError("ResourceNotFoundException", status: 404)
            try await iot.call(.post, "/things/t", json: ["billingGroupName": "bg"])
                .expectError("ResourceNotFoundException", status: 404)
            // Without a type a thing has at most 3 attributes.
            try await iot.call(
                .post, "/things/t",
                json: ["attributePayload": ["attributes": ["a": "1", "b": "2", "c": "3", "d": "4"]]]
            ).expectError("InvalidRequestException", status: 400)
        }
    }

    @Test("ListThings pages and filters by attribute and type")
    func listThings() async throws {
        try await IoTFixture.with { iot in
            try await iot.call(.post, "/thing-types/lamp").ok()
            for index in 1...5 {
                var body: [String: Any] = [
                    "attributePayload": ["attributes": ["color": index % 2 == 0 ? "red" : "blue"]]
                ]
                if index > 3 { body["thingTypeName"] = "lamp" }
                try await iot.call(.post, "/things/thing-\(index)", json: body).ok()
            }
            var names: [String] = []
            var token: String?
            var pages = 0
            repeat {
                let query = "maxResults=2" + (token.map { "&nextToken=\(encoded($0))" } ?? "")
                let page = try await iot.call(.get, "/things", query: query).ok()
                let things = try #require(page["things"] as? [[String: Any]])
                #expect(things.count <= 2)
                names += things.compactMap { $0["thingName"] as? String }
                token = page["nextToken"] as? String
                pages += 1
            } while token != nil
            #expect(names == (1...5).map { "thing-\($0)" })
            #expect(pages == 3)

            let red = try await iot.call(.get, "/things", query: "attributeName=color&attributeValue=red").ok()
            #expect(
                (red["things"] as? [[String: Any]])?.compactMap { $0["thingName"] as? String } == [
                    "thing-2", "thing-4",
                ])
            let lamps = try await iot.call(.get, "/things", query: "thingTypeName=lamp").ok()
            let lampThings = try #require(lamps["things"] as? [[String: Any]])
            #expect(lampThings.map { $0["thingName"] as? String } == ["thing-4", "thing-5"])
            #expect(lampThings.first?["thingTypeName"] as? String == "lamp")
            #expect(lampThings.first?["attributes"] as? [String: String] == ["color": "red"])
            #expect(lampThings.first?["thingArn"] as? String == iot.arn(.thing("thing-4")))
            let prefix = try await iot.call(
                .get, "/things", query: "attributeName=color&attributeValue=bl&usePrefixAttributeValue=true"
            ).ok()
            #expect((prefix["things"] as? [[String: Any]])?.count == 3)
            try await iot.call(.get, "/things", query: "maxResults=0").expectError(
                "InvalidRequestException", status: 400)
            try await iot.call(.get, "/things", query: "nextToken=bm90LWEtdG9rZW4=")
                .expectError("InvalidRequestException", status: 400)
        }
    }

    @Test("Thing types: create, describe, list, deprecate, delete")
    func thingTypes() async throws {
        try await IoTFixture.with { iot in
            let created = try await iot.call(
                .post, "/thing-types/sensor",
                json: [
                    "thingTypeProperties": ["thingTypeDescription": "Sensors", "searchableAttributes": ["room"]],
                    "tags": [["Key": "team", "Value": "ops"]],
                ]
            ).ok()
            #expect(created["thingTypeArn"] as? String == iot.arn(.thingType("sensor")))
            #expect(created["thingTypeId"] is String)
            let described = try await iot.call(.get, "/thing-types/sensor").ok()
            let properties = try #require(described["thingTypeProperties"] as? [String: Any])
            #expect(properties["thingTypeDescription"] as? String == "Sensors")
            #expect(properties["searchableAttributes"] as? [String] == ["room"])
            let metadata = try #require(described["thingTypeMetadata"] as? [String: Any])
            #expect(metadata["deprecated"] as? Bool == false)
            #expect(metadata["creationDate"] is Double || metadata["creationDate"] is Int)
            #expect(metadata["deprecationDate"] == nil)
            try await iot.call(
                .post, "/thing-types/sensor", json: ["thingTypeProperties": ["thingTypeDescription": "Other"]]
            ).expectError("ResourceAlreadyExistsException", status: 409)
            try await iot.call(.post, "/thing-types/actuator").ok()
            let listed = try await iot.call(.get, "/thing-types", query: "thingTypeName=sen").ok()
            let types = try #require(listed["thingTypes"] as? [[String: Any]])
            #expect(types.map { $0["thingTypeName"] as? String } == ["sensor"])
            #expect(
                (types.first?["thingTypeProperties"] as? [String: Any])?["thingTypeDescription"] as? String == "Sensors"
            )
            #expect(types.first?["thingTypeId"] == nil)  // not a member of ThingTypeDefinition
            let tags = try await iot.call(
                .get, "/tags", query: "resourceArn=\(encoded(iot.arn(.thingType("sensor"))))"
            ).ok()
            #expect(tags["tags"] as? [[String: String]] == [["Key": "team", "Value": "ops"]])

            try await iot.call(.delete, "/thing-types/sensor").expectError("InvalidRequestException", status: 400)
            try await iot.call(.post, "/thing-types/sensor/deprecate").ok()
            try await iot.call(.post, "/things/t1", json: ["thingTypeName": "sensor"])
                .expectError("InvalidRequestException", status: 400)
            let deprecated = try await iot.call(.get, "/thing-types/sensor").ok()
            #expect((deprecated["thingTypeMetadata"] as? [String: Any])?["deprecated"] as? Bool == true)
            #expect((deprecated["thingTypeMetadata"] as? [String: Any])?["deprecationDate"] != nil)
            // AWS waits 5 minutes after deprecation before a type may be deleted.
            try await iot.call(.delete, "/thing-types/sensor").expectError("InvalidRequestException", status: 400)
            iot.clock.advance(seconds: 301)
            try await iot.call(.delete, "/thing-types/sensor").ok()
            try await iot.call(.get, "/thing-types/sensor").expectError("ResourceNotFoundException", status: 404)
            try await iot.call(.post, "/thing-types/actuator/deprecate", json: ["undoDeprecate": true]).ok()
            try await iot.call(.post, "/thing-types/ghost/deprecate").expectError(
                "ResourceNotFoundException", status: 404)
        }
    }

    @Test("Thing groups: hierarchy, membership, versions")
    func thingGroups() async throws {
        try await IoTFixture.with { iot in
            let root = try await iot.call(
                .post, "/thing-groups/building",
                json: [
                    "thingGroupProperties": [
                        "thingGroupDescription": "HQ", "attributePayload": ["attributes": ["city": "Oslo"]],
                    ]
                ]
            ).ok()
            #expect(root["thingGroupArn"] as? String == iot.arn(.thingGroup("building")))
            try await iot.call(.post, "/thing-groups/floor-1", json: ["parentGroupName": "building"]).ok()
            try await iot.call(.post, "/thing-groups/room-7", json: ["parentGroupName": "floor-1"]).ok()
            try await iot.call(.post, "/thing-groups/orphan", json: ["parentGroupName": "nowhere"])
                .expectError("ResourceNotFoundException", status: 404)

            let room = try await iot.call(.get, "/thing-groups/room-7").ok()
            #expect(room["version"] as? Int == 1)
            let metadata = try #require(room["thingGroupMetadata"] as? [String: Any])
            #expect(metadata["parentGroupName"] as? String == "floor-1")
            #expect(
                (metadata["rootToParentThingGroups"] as? [[String: String]])?.map { $0["groupName"] } == [
                    "building", "floor-1",
                ])
            let building = try await iot.call(.get, "/thing-groups/building").ok()
            let properties = try #require(building["thingGroupProperties"] as? [String: Any])
            #expect(properties["thingGroupDescription"] as? String == "HQ")
            #expect(
                (properties["attributePayload"] as? [String: Any])?["attributes"] as? [String: String] == [
                    "city": "Oslo"
                ])

            let updated = try await iot.call(
                .patch, "/thing-groups/building",
                json: [
                    "thingGroupProperties": ["attributePayload": ["attributes": ["zip": "0150"], "merge": true]],
                    "expectedVersion": 1,
                ]
            ).ok()
            #expect(updated["version"] as? Int == 2)
            try await iot.call(
                .patch, "/thing-groups/building", json: ["thingGroupProperties": [:], "expectedVersion": 1]
            ).expectError("VersionConflictException", status: 409)
            try await iot.call(.patch, "/thing-groups/building", json: [:]).expectError(
                "InvalidRequestException", status: 400)

            let all = try await iot.call(.get, "/thing-groups").ok()
            #expect(
                (all["thingGroups"] as? [[String: String]])?.map { $0["groupName"] } == [
                    "building", "floor-1", "room-7",
                ])
            let children = try await iot.call(.get, "/thing-groups", query: "parentGroup=building&recursive=false").ok()
            #expect((children["thingGroups"] as? [[String: String]])?.map { $0["groupName"] } == ["floor-1"])
            let prefixed = try await iot.call(.get, "/thing-groups", query: "namePrefixFilter=ro").ok()
            #expect((prefixed["thingGroups"] as? [[String: String]])?.map { $0["groupName"] } == ["room-7"])

            try await iot.call(.post, "/things/lamp").ok()
            try await iot.call(
                .put, "/thing-groups/addThingToThingGroup", json: ["thingGroupName": "room-7", "thingName": "lamp"]
            ).ok()
            try await iot.call(
                .put, "/thing-groups/addThingToThingGroup",
                json: ["thingGroupArn": iot.arn(.thingGroup("floor-1")), "thingArn": iot.arn(.thing("lamp"))]
            ).ok()
            try await iot.call(
                .put, "/thing-groups/addThingToThingGroup", json: ["thingGroupName": "room-7", "thingName": "ghost"]
            ).expectError("ResourceNotFoundException", status: 404)
            let groups = try await iot.call(.get, "/things/lamp/thing-groups").ok()
            #expect((groups["thingGroups"] as? [[String: String]])?.map { $0["groupName"] } == ["floor-1", "room-7"])
            let direct = try await iot.call(.get, "/thing-groups/building/things").ok()
            #expect(direct["things"] as? [String] == [])
            let recursive = try await iot.call(.get, "/thing-groups/building/things", query: "recursive=true").ok()
            #expect(recursive["things"] as? [String] == ["lamp"])
            try await iot.call(
                .put, "/thing-groups/removeThingFromThingGroup",
                json: ["thingGroupName": "room-7", "thingName": "lamp"]
            ).ok()
            #expect(try await iot.call(.get, "/thing-groups/room-7/things").ok()["things"] as? [String] == [])

            try await iot.call(.delete, "/thing-groups/floor-1").expectError("InvalidRequestException", status: 400)
            try await iot.call(.delete, "/thing-groups/room-7", query: "expectedVersion=9")
                .expectError("VersionConflictException", status: 409)
            try await iot.call(.delete, "/thing-groups/room-7").ok()
            try await iot.call(.get, "/thing-groups/room-7").expectError("ResourceNotFoundException", status: 404)
        }
    }
}

extension TestAPI {
    /// The operations of `service` without a handler.
    func unregisteredOperations(of service: String) -> [String] {
        controlPlane.unregisteredOperations.filter { $0.hasPrefix(service + ":") }
    }
}
