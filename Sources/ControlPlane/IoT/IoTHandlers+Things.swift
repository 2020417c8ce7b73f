import Registry

/// Things: `CreateThing`, `DescribeThing`, `ListThings`, `UpdateThing`, `DeleteThing`.
extension IoTHandlers {
    var thingOperations: [Operation] {
        [
            ("CreateThing", createThing), ("DescribeThing", describeThing), ("ListThings", listThings),
            ("UpdateThing", updateThing), ("DeleteThing", deleteThing),
        ]
    }

    func createThing(_ input: OperationInput) async throws -> OperationOutput {
        if let billingGroup = input.string("billingGroupName") {
            // Thingport has no billing groups, so none by that name can exist.
            throw ServiceModel.iot.error("ResourceNotFoundException", "Billing group \(billingGroup) does not exist")
        }
        let thing = try await registry.createThing(
            thingName: try input.required("thingName"), thingTypeName: input.string("thingTypeName"),
            attributePayload: Self.attributePayload(input["attributePayload"]))
        return [
            "thingName": .string(thing.thingName), "thingArn": .string(thing.thingArn),
            "thingId": .string(thing.thingId),
        ]
    }

    func describeThing(_ input: OperationInput) async throws -> OperationOutput {
        let thing = try await registry.describeThing(thingName: try input.required("thingName"))
        var output: [String: AWSValue] = [
            "defaultClientId": .string(thing.defaultClientId), "thingName": .string(thing.thingName),
            "thingId": .string(thing.thingId), "thingArn": .string(thing.thingArn),
            "attributes": .strings(thing.attributes), "version": .integer(thing.version),
        ]
        output.set("thingTypeName", thing.thingTypeName.map(AWSValue.string))
        return OperationOutput(output)
    }

    func listThings(_ input: OperationInput) async throws -> OperationOutput {
        let page = try await registry.listThings(
            maxResults: input.int("maxResults"), nextToken: input.string("nextToken"),
            attributeName: input.string("attributeName"), attributeValue: input.string("attributeValue"),
            thingTypeName: input.string("thingTypeName"),
            usePrefixAttributeValue: input.bool("usePrefixAttributeValue") ?? false)
        let things: [AWSValue] = page.items.map { thing in
            var item: [String: AWSValue] = [
                "thingName": .string(thing.thingName), "thingArn": .string(thing.thingArn),
                "attributes": .strings(thing.attributes), "version": .integer(thing.version),
            ]
            item.set("thingTypeName", thing.thingTypeName.map(AWSValue.string))
            return .map(item)
        }
        var output: [String: AWSValue] = ["things": .list(things)]
        output.set("nextToken", page.nextToken.map(AWSValue.string))
        return OperationOutput(output)
    }

    func updateThing(_ input: OperationInput) async throws -> OperationOutput {
        try await registry.updateThing(
            thingName: try input.required("thingName"), thingTypeName: input.string("thingTypeName"),
            attributePayload: Self.attributePayload(input["attributePayload"]),
            expectedVersion: input.int64("expectedVersion"), removeThingType: input.bool("removeThingType") ?? false)
        return .empty
    }

    func deleteThing(_ input: OperationInput) async throws -> OperationOutput {
        try await registry.deleteThing(
            thingName: try input.required("thingName"), expectedVersion: input.int64("expectedVersion"))
        return .empty
    }

    /// An `AttributePayload` member (`attributes`, `merge`).
    static func attributePayload(_ value: AWSValue?) -> AttributePayload? {
        guard let value else { return nil }
        return AttributePayload(
            attributes: value["attributes"]?.stringMapValue, merge: value["merge"]?.boolValue ?? false)
    }

    /// An `AttributePayload` as returned (attributes only).
    static func attributePayloadValue(_ payload: AttributePayload?) -> AWSValue {
        ["attributes": .strings(payload?.attributes ?? [:])]
    }
}
