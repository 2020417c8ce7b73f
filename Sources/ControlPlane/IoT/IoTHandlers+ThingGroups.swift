import Registry

/// Thing groups: `CreateThingGroup`, `DescribeThingGroup`, `ListThingGroups`,
/// `UpdateThingGroup`, `DeleteThingGroup`, `AddThingToThingGroup`,
/// `RemoveThingFromThingGroup`, `ListThingsInThingGroup`, `ListThingGroupsForThing`.
extension IoTHandlers {
    var thingGroupOperations: [Operation] {
        [
            ("CreateThingGroup", createThingGroup), ("DescribeThingGroup", describeThingGroup),
            ("ListThingGroups", listThingGroups), ("UpdateThingGroup", updateThingGroup),
            ("DeleteThingGroup", deleteThingGroup), ("AddThingToThingGroup", addThingToThingGroup),
            ("RemoveThingFromThingGroup", removeThingFromThingGroup),
            ("ListThingsInThingGroup", listThingsInThingGroup), ("ListThingGroupsForThing", listThingGroupsForThing),
        ]
    }

    func createThingGroup(_ input: OperationInput) async throws -> OperationOutput {
        let group = try await registry.createThingGroup(
            thingGroupName: try input.required("thingGroupName"), parentGroupName: input.string("parentGroupName"),
            thingGroupProperties: Self.thingGroupProperties(input["thingGroupProperties"]), tags: input.tags())
        return [
            "thingGroupName": .string(group.thingGroupName), "thingGroupArn": .string(group.thingGroupArn),
            "thingGroupId": .string(group.thingGroupId),
        ]
    }

    func describeThingGroup(_ input: OperationInput) async throws -> OperationOutput {
        let group = try await registry.describeThingGroup(thingGroupName: try input.required("thingGroupName"))
        var properties: [String: AWSValue] = [
            "attributePayload": Self.attributePayloadValue(group.thingGroupProperties.attributePayload)
        ]
        properties.set(
            "thingGroupDescription", group.thingGroupProperties.thingGroupDescription.map(AWSValue.string))
        let metadata = group.thingGroupMetadata
        var metadataMembers: [String: AWSValue] = [
            "rootToParentThingGroups": .list(metadata.rootToParentThingGroups.map(Self.groupNameAndArn)),
            "creationDate": .timestamp(metadata.creationDate),
        ]
        metadataMembers.set("parentGroupName", metadata.parentGroupName.map(AWSValue.string))
        return [
            "thingGroupName": .string(group.thingGroupName), "thingGroupId": .string(group.thingGroupId),
            "thingGroupArn": .string(group.thingGroupArn), "version": .integer(group.version),
            "thingGroupProperties": .map(properties), "thingGroupMetadata": .map(metadataMembers),
        ]
    }

    func listThingGroups(_ input: OperationInput) async throws -> OperationOutput {
        let page = try await registry.listThingGroups(
            maxResults: input.int("maxResults"), nextToken: input.string("nextToken"),
            parentGroup: input.string("parentGroup"), namePrefixFilter: input.string("namePrefixFilter"),
            recursive: input.bool("recursive") ?? true)
        return Self.groupPage(page)
    }

    func updateThingGroup(_ input: OperationInput) async throws -> OperationOutput {
        let version = try await registry.updateThingGroup(
            thingGroupName: try input.required("thingGroupName"),
            thingGroupProperties: Self.thingGroupProperties(input["thingGroupProperties"]),
            expectedVersion: input.int64("expectedVersion"))
        return ["version": .integer(version)]
    }

    func deleteThingGroup(_ input: OperationInput) async throws -> OperationOutput {
        try await registry.deleteThingGroup(
            thingGroupName: try input.required("thingGroupName"), expectedVersion: input.int64("expectedVersion"))
        return .empty
    }

    func addThingToThingGroup(_ input: OperationInput) async throws -> OperationOutput {
        try await registry.addThingToThingGroup(
            thingGroupName: input.string("thingGroupName"), thingGroupArn: input.string("thingGroupArn"),
            thingName: input.string("thingName"), thingArn: input.string("thingArn"))
        return .empty
    }

    func removeThingFromThingGroup(_ input: OperationInput) async throws -> OperationOutput {
        try await registry.removeThingFromThingGroup(
            thingGroupName: input.string("thingGroupName"), thingGroupArn: input.string("thingGroupArn"),
            thingName: input.string("thingName"), thingArn: input.string("thingArn"))
        return .empty
    }

    func listThingsInThingGroup(_ input: OperationInput) async throws -> OperationOutput {
        let page = try await registry.listThingsInThingGroup(
            thingGroupName: try input.required("thingGroupName"), recursive: input.bool("recursive") ?? false,
            maxResults: input.int("maxResults"), nextToken: input.string("nextToken"))
        var output: [String: AWSValue] = ["things": .strings(page.items)]
        output.set("nextToken", page.nextToken.map(AWSValue.string))
        return OperationOutput(output)
    }

    func listThingGroupsForThing(_ input: OperationInput) async throws -> OperationOutput {
        let page = try await registry.listThingGroupsForThing(
            thingName: try input.required("thingName"), maxResults: input.int("maxResults"),
            nextToken: input.string("nextToken"))
        return Self.groupPage(page)
    }

    /// `ThingGroupProperties` from a request.
    static func thingGroupProperties(_ value: AWSValue?) -> ThingGroupProperties {
        ThingGroupProperties(
            thingGroupDescription: value?["thingGroupDescription"]?.stringValue,
            attributePayload: attributePayload(value?["attributePayload"]))
    }

    static func groupNameAndArn(_ group: GroupNameAndArn) -> AWSValue {
        ["groupName": .string(group.groupName), "groupArn": .string(group.groupArn)]
    }

    /// A page of groups as `thingGroups` and `nextToken`.
    static func groupPage(_ page: Page<GroupNameAndArn>) -> OperationOutput {
        var output: [String: AWSValue] = ["thingGroups": .list(page.items.map(groupNameAndArn))]
        output.set("nextToken", page.nextToken.map(AWSValue.string))
        return OperationOutput(output)
    }
}
