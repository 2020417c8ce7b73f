import AWSWire
import SQLKit

extension Registry {
    /// The most tags a resource may have: 50, as on AWS.
    public static let maximumTagsPerResource = 50

    /// `TagResource`: adds tags to a thing group, thing type, policy, topic rule or CA
    /// certificate, replacing the values of keys it already has.
    ///
    /// - Throws: `ResourceNotFoundException` when the resource does not exist;
    ///   `InvalidRequestException` for an ARN of another kind or account, or an invalid tag;
    ///   `LimitExceededException` beyond 50 tags.
    public func tagResource(resourceArn: String, tags: [Tag]) async throws {
        try Self.validate(tags: tags)
        let resource = try taggableResource(resourceArn)
        try await write { db, _ in
            try await requireTaggable(resource, resourceArn, db)
            let existing = Set(try await fetchTags(of: resourceArn, db).map(\.key))
            let added = Set(tags.map(\.key)).subtracting(existing)
            if existing.count + added.count > Self.maximumTagsPerResource {
                throw RegistryError(
                    code: .limitExceeded,
                    message: "The resource \(resourceArn) cannot have more than \(Self.maximumTagsPerResource) tags")
            }
            try await insertTags(tags, resourceArn: resourceArn, db)
        }
    }

    /// `UntagResource`: removes the tags with these keys (missing keys are ignored).
    ///
    /// - Throws: `ResourceNotFoundException`; `InvalidRequestException` for an ARN of another
    ///   kind or account, or an invalid key.
    public func untagResource(resourceArn: String, tagKeys: [String]) async throws {
        for key in tagKeys { try Self.validate(tagKey: key) }
        let resource = try taggableResource(resourceArn)
        try await write { db, _ in
            try await requireTaggable(resource, resourceArn, db)
            guard !tagKeys.isEmpty else { return }
            try await db.raw(
                "DELETE FROM resource_tags WHERE resource_arn = \(bind: resourceArn) AND tag_key IN (\(binds: tagKeys))"
            ).run()
        }
    }

    /// `ListTagsForResource`, by key.
    ///
    /// - Throws: `ResourceNotFoundException`; `InvalidRequestException` for an ARN of another
    ///   kind or account.
    public func listTagsForResource(resourceArn: String, nextToken: String? = nil) async throws -> Page<Tag> {
        let resource = try taggableResource(resourceArn)
        let after = try PageToken.decode(nextToken, parts: 1)?[0]
        let size = Self.maximumTagsPerResource
        return try await read { db in
            try await requireTaggable(resource, resourceArn, db)
            var query: SQLQueryString =
                "SELECT tag_key, tag_value FROM resource_tags WHERE resource_arn = \(bind: resourceArn)"
            if let after { query += " AND tag_key > \(bind: after)" }
            query += " ORDER BY tag_key LIMIT \(literal: size + 1)"
            let rows = try await db.raw(query).all()
            return try PageToken.page(rows, size: size, key: { [(try? $0.string("tag_key")) ?? ""] }) {
                Tag(key: try $0.string("tag_key"), value: try $0.string("tag_value"))
            }
        }
    }

    // MARK: Helpers

    static func validate(tags: [Tag]) throws(RegistryError) {
        if tags.count > maximumTagsPerResource {
            throw RegistryError(
                code: .limitExceeded, message: "A resource cannot have more than \(maximumTagsPerResource) tags")
        }
        var keys = Set<String>()
        for tag in tags {
            try validate(tagKey: tag.key)
            try Validation.check(tag.value, member: "tags.member.Value", pattern: nil, maxLength: 256)
            if !keys.insert(tag.key).inserted {
                throw RegistryError.invalidRequest("Duplicate tag keys are not allowed: \(tag.key)")
            }
        }
    }

    static func validate(tagKey key: String) throws(RegistryError) {
        try Validation.check(key, member: "tags.member.Key", pattern: .tagKey, minLength: 1, maxLength: 128)
        if key.lowercased().hasPrefix("aws:") {
            throw RegistryError.invalidRequest("Tag keys starting with 'aws:' are reserved for AWS use: \(key)")
        }
    }

    func taggableResource(_ arn: String) throws(RegistryError) -> ARN.IoTResource {
        guard let resource = scope.resource(ofARN: arn) else {
            throw RegistryError.invalidRequest("Invalid resource ARN: \(arn)")
        }
        switch resource {
        case .thingGroup, .thingType, .policy, .rule, .caCertificate:
            return resource
        case .thing, .certificate:
            throw RegistryError.invalidRequest("Tagging is not supported for \(arn)")
        }
    }

    func requireTaggable(_ resource: ARN.IoTResource, _ arn: String, _ db: any SQLDatabase) async throws {
        let exists: Bool
        switch resource {
        case .thingGroup(let name):
            exists =
                try await db.raw("SELECT 1 AS x FROM thing_groups WHERE thing_group_name = \(bind: name)").first()
                != nil
        case .thingType(let name):
            exists =
                try await db.raw("SELECT 1 AS x FROM thing_types WHERE thing_type_name = \(bind: name)").first() != nil
        case .policy(let name):
            exists = try await db.raw("SELECT 1 AS x FROM policies WHERE policy_name = \(bind: name)").first() != nil
        case .rule(let name):
            exists = try await db.raw("SELECT 1 AS x FROM topic_rules WHERE rule_name = \(bind: name)").first() != nil
        case .caCertificate(let id):
            exists =
                try await db.raw("SELECT 1 AS x FROM ca_certificates WHERE certificate_id = \(bind: id)").first() != nil
        case .thing, .certificate:
            exists = false
        }
        if !exists {
            throw RegistryError.notFound("The resource \(arn) does not exist")
        }
    }

    func fetchTags(of arn: String, _ db: any SQLDatabase) async throws -> [Tag] {
        try await db.raw(
            "SELECT tag_key, tag_value FROM resource_tags WHERE resource_arn = \(bind: arn) ORDER BY tag_key"
        ).all().map { Tag(key: try $0.string("tag_key"), value: try $0.string("tag_value")) }
    }

    /// Inserts or replaces tags (`ON CONFLICT … DO UPDATE`, which both engines accept).
    func insertTags(_ tags: [Tag], resourceArn: String, _ db: any SQLDatabase) async throws {
        for tag in tags {
            try await db.raw(
                """
                INSERT INTO resource_tags (resource_arn, tag_key, tag_value)
                VALUES (\(bind: resourceArn), \(bind: tag.key), \(bind: tag.value))
                ON CONFLICT (resource_arn, tag_key) DO UPDATE SET tag_value = excluded.tag_value
                """
            ).run()
        }
    }

    func deleteTags(of arn: String, _ db: any SQLDatabase) async throws {
        try await db.raw("DELETE FROM resource_tags WHERE resource_arn = \(bind: arn)").run()
    }
}
