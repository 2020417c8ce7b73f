extension NotificationService {
    /// The most tags a topic may have.
    static let maximumTags = 50

    /// `TagResource`: adds tags to a topic; a key it already has gets the new value.
    ///
    /// - Throws: `ResourceNotFound`; `TagLimitExceeded` beyond 50 tags (nothing changes);
    ///   `InvalidParameter` for repeated keys or a malformed ARN; `AuthorizationError`.
    public func tagResource(resourceArn: String, tags: [Tag]) async throws {
        let name = try topicName(fromArn: resourceArn, parameter: "ResourceArn", action: "TagResource")
        try Self.checkTags(tags)
        try await store.write { tables in
            guard try await tables.topicExists(name) else { throw NotificationError.resourceNotFound }
            let existing = Set(try await tables.tags(ofTopic: name).map(\.key))
            guard existing.union(tags.map(\.key)).count <= Self.maximumTags else { throw Self.tagLimitExceeded }
            try await tables.setTags(ofTopic: name, tags.map { ($0.key, $0.value) })
        }
    }

    /// `UntagResource`: removes the tags with `tagKeys` (keys the topic lacks are ignored).
    ///
    /// - Throws: `ResourceNotFound`; `InvalidParameter`; `AuthorizationError`.
    public func untagResource(resourceArn: String, tagKeys: [String]) async throws {
        let name = try topicName(fromArn: resourceArn, parameter: "ResourceArn", action: "UntagResource")
        try await store.write { tables in
            guard try await tables.topicExists(name) else { throw NotificationError.resourceNotFound }
            try await tables.removeTags(ofTopic: name, keys: tagKeys)
        }
    }

    /// `ListTagsForResource`: the topic's tags, by key.
    ///
    /// - Throws: `ResourceNotFound`; `InvalidParameter`; `AuthorizationError`.
    public func listTagsForResource(resourceArn: String) async throws -> [Tag] {
        let name = try topicName(fromArn: resourceArn, parameter: "ResourceArn", action: "ListTagsForResource")
        return try await store.read { tables in
            guard try await tables.topicExists(name) else { throw NotificationError.resourceNotFound }
            return try await tables.tags(ofTopic: name).map { Tag(key: $0.key, value: $0.value) }
        }
    }

    /// Tags of one request: at most 50, no key twice.
    static func checkTags(_ tags: [Tag]) throws(NotificationError) {
        guard Set(tags.map(\.key)).count == tags.count else {
            throw .invalidParameter("Invalid parameter: Duplicated keys are not allowed.")
        }
        guard tags.count <= maximumTags else { throw tagLimitExceeded }
    }

    static let tagLimitExceeded = NotificationError(
        code: .tagLimitExceeded, message: "Could not complete request: tag quota of per resource exceeded")
}
