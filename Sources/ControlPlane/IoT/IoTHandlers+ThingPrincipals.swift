import AWSWire
import Registry

/// Thing principals: `AttachThingPrincipal`, `DetachThingPrincipal`, `ListThingPrincipals`,
/// `ListPrincipalThings`.
extension IoTHandlers {
    var thingPrincipalOperations: [Operation] {
        [
            ("AttachThingPrincipal", attachThingPrincipal), ("DetachThingPrincipal", detachThingPrincipal),
            ("ListThingPrincipals", listThingPrincipals), ("ListPrincipalThings", listPrincipalThings),
        ]
    }

    func attachThingPrincipal(_ input: OperationInput) async throws -> OperationOutput {
        let typeText = input.string("thingPrincipalType") ?? ThingPrincipalType.nonExclusiveThing.rawValue
        guard let type = ThingPrincipalType(rawValue: typeText) else {
            throw ServiceModel.iot.error("InvalidRequestException", "Invalid thingPrincipalType: \(typeText)")
        }
        try await registry.attachThingPrincipal(
            thingName: try input.required("thingName"), principal: try input.required("principal"),
            thingPrincipalType: type)
        return .empty
    }

    func detachThingPrincipal(_ input: OperationInput) async throws -> OperationOutput {
        try await registry.detachThingPrincipal(
            thingName: try input.required("thingName"), principal: try input.required("principal"))
        return .empty
    }

    func listThingPrincipals(_ input: OperationInput) async throws -> OperationOutput {
        let page = try await registry.listThingPrincipals(
            thingName: try input.required("thingName"), maxResults: input.int("maxResults"),
            nextToken: input.string("nextToken"))
        var output: [String: AWSValue] = ["principals": .strings(page.items.map(\.principal))]
        output.set("nextToken", page.nextToken.map(AWSValue.string))
        return OperationOutput(output)
    }

    func listPrincipalThings(_ input: OperationInput) async throws -> OperationOutput {
        let page = try await registry.listPrincipalThings(
            principal: try input.required("principal"), maxResults: input.int("maxResults"),
            nextToken: input.string("nextToken"))
        var output: [String: AWSValue] = ["things": .strings(page.items.map(\.thingName))]
        output.set("nextToken", page.nextToken.map(AWSValue.string))
        return OperationOutput(output)
    }
}
