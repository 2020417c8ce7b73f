import AWSWire
import Registry

/// Tags of thing groups, thing types, policies, topic rules and CA certificates:
/// `TagResource`, `UntagResource`, `ListTagsForResource`.
extension IoTHandlers {
    var tagOperations: [Operation] {
        [("TagResource", tagResource), ("UntagResource", untagResource), ("ListTagsForResource", listTagsForResource)]
    }

    func tagResource(_ input: OperationInput) async throws -> OperationOutput {
        try await registry.tagResource(resourceArn: try input.required("resourceArn"), tags: input.tags())
        return .empty
    }

    func untagResource(_ input: OperationInput) async throws -> OperationOutput {
        try await registry.untagResource(
            resourceArn: try input.required("resourceArn"), tagKeys: input.strings("tagKeys") ?? [])
        return .empty
    }

    func listTagsForResource(_ input: OperationInput) async throws -> OperationOutput {
        let page = try await registry.listTagsForResource(
            resourceArn: try input.required("resourceArn"), nextToken: input.string("nextToken"))
        var output: [String: AWSValue] = ["tags": .tags(page.items)]
        output.set("nextToken", page.nextToken.map(AWSValue.string))
        return OperationOutput(output)
    }
}
