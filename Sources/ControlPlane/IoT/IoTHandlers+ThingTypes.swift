import Registry

/// Thing types: `CreateThingType`, `DescribeThingType`, `ListThingTypes`,
/// `DeprecateThingType`, `DeleteThingType`.
extension IoTHandlers {
    var thingTypeOperations: [Operation] {
        [
            ("CreateThingType", createThingType), ("DescribeThingType", describeThingType),
            ("ListThingTypes", listThingTypes), ("DeprecateThingType", deprecateThingType),
            ("DeleteThingType", deleteThingType),
        ]
    }

    func createThingType(_ input: OperationInput) async throws -> OperationOutput {
        let properties = input["thingTypeProperties"]
        let type = try await registry.createThingType(
            thingTypeName: try input.required("thingTypeName"),
            thingTypeProperties: ThingTypeProperties(
                thingTypeDescription: properties?["thingTypeDescription"]?.stringValue,
                searchableAttributes: properties?["searchableAttributes"]?.stringListValue),
            tags: input.tags())
        return [
            "thingTypeName": .string(type.thingTypeName), "thingTypeArn": .string(type.thingTypeArn),
            "thingTypeId": .string(type.thingTypeId),
        ]
    }

    func describeThingType(_ input: OperationInput) async throws -> OperationOutput {
        let type = try await registry.describeThingType(thingTypeName: try input.required("thingTypeName"))
        return OperationOutput(Self.thingTypeMembers(type, includingId: true))
    }

    func listThingTypes(_ input: OperationInput) async throws -> OperationOutput {
        let page = try await registry.listThingTypes(
            maxResults: input.int("maxResults"), nextToken: input.string("nextToken"),
            thingTypeName: input.string("thingTypeName"))
        var output: [String: AWSValue] = [
            "thingTypes": .list(page.items.map { .map(Self.thingTypeMembers($0, includingId: false)) })
        ]
        output.set("nextToken", page.nextToken.map(AWSValue.string))
        return OperationOutput(output)
    }

    func deprecateThingType(_ input: OperationInput) async throws -> OperationOutput {
        try await registry.deprecateThingType(
            thingTypeName: try input.required("thingTypeName"), undoDeprecate: input.bool("undoDeprecate") ?? false)
        return .empty
    }

    func deleteThingType(_ input: OperationInput) async throws -> OperationOutput {
        try await registry.deleteThingType(thingTypeName: try input.required("thingTypeName"))
        return .empty
    }

    /// `DescribeThingType`'s members, or a `ThingTypeDefinition` (no id) for listings.
    static func thingTypeMembers(_ type: ThingType, includingId: Bool) -> [String: AWSValue] {
        var properties: [String: AWSValue] = [:]
        properties.set("thingTypeDescription", type.thingTypeProperties.thingTypeDescription.map(AWSValue.string))
        properties.set("searchableAttributes", type.thingTypeProperties.searchableAttributes.map(AWSValue.strings))
        var metadata: [String: AWSValue] = [
            "deprecated": .boolean(type.thingTypeMetadata.deprecated),
            "creationDate": .timestamp(type.thingTypeMetadata.creationDate),
        ]
        metadata.set("deprecationDate", type.thingTypeMetadata.deprecationDate.map(AWSValue.timestamp))
        var members: [String: AWSValue] = [
            "thingTypeName": .string(type.thingTypeName), "thingTypeArn": .string(type.thingTypeArn),
            "thingTypeProperties": .map(properties), "thingTypeMetadata": .map(metadata),
        ]
        if includingId { members["thingTypeId"] = .string(type.thingTypeId) }
        return members
    }
}
