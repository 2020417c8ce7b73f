import AWSWire
import Notifications

/// Topic tags: `TagResource`, `UntagResource`, `ListTagsForResource`.
extension SNSHandlers {
    var tagOperations: [Operation] {
        [("TagResource", tagResource), ("UntagResource", untagResource), ("ListTagsForResource", listTagsForResource)]
    }

    func tagResource(_ input: SNSInput) async throws -> OperationOutput {
        try await notifications.tagResource(resourceArn: try input.required("ResourceArn"), tags: input.tags)
        return .empty
    }

    func untagResource(_ input: SNSInput) async throws -> OperationOutput {
        try await notifications.untagResource(
            resourceArn: try input.required("ResourceArn"), tagKeys: input.strings("TagKeys"))
        return .empty
    }

    func listTagsForResource(_ input: SNSInput) async throws -> OperationOutput {
        let tags = try await notifications.listTagsForResource(resourceArn: try input.required("ResourceArn"))
        return ["Tags": Self.tags(tags)]
    }
}
