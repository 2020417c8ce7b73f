import SQLKit

extension Registry {
    /// How long a thing type stays deprecated before it may be deleted: 5 minutes, as on AWS.
    public static let thingTypeDeletionDelayMilliseconds: Int64 = 5 * 60 * 1000

    /// `CreateThingType`. Idempotent: the same name with the same properties returns the
    /// existing type (tags are applied only when the type is created).
    ///
    /// - Throws: `ResourceAlreadyExistsException` when the type exists with other properties;
    ///   `InvalidRequestException` for invalid names, more than 3 searchable attributes, or
    ///   invalid tags.
    @discardableResult
    public func createThingType(
        thingTypeName: String, thingTypeProperties: ThingTypeProperties = ThingTypeProperties(), tags: [Tag] = []
    ) async throws -> ThingType {
        try Validation.registryName(thingTypeName, member: "thingTypeName")
        try Validation.description(
            thingTypeProperties.thingTypeDescription, member: "thingTypeProperties.thingTypeDescription")
        let searchable = thingTypeProperties.searchableAttributes ?? []
        for name in searchable {
            try Validation.check(
                name, member: "thingTypeProperties.searchableAttributes", pattern: .attributeName, minLength: 1,
                maxLength: 128)
        }
        if searchable.count > 3 {
            throw RegistryError.invalidRequest("A thing type can have at most 3 searchable attributes")
        }
        try Self.validate(tags: tags)
        let properties = ThingTypeProperties(
            thingTypeDescription: thingTypeProperties.thingTypeDescription,
            searchableAttributes: searchable.isEmpty ? nil : searchable)
        return try await write { db, _ in
            if let existing = try await fetchThingType(thingTypeName, db) {
                guard existing.thingTypeProperties == properties else {
                    throw RegistryError(
                        code: .resourceAlreadyExists,
                        message: "Thing Type \(thingTypeName) already exists in account with different properties",
                        resourceId: existing.thingTypeId, resourceArn: existing.thingTypeArn)
                }
                return existing
            }
            let id = Self.uuid()
            let created = now()
            try await db.raw(
                """
                INSERT INTO thing_types (thing_type_name, thing_type_id, properties, deprecated, creation_date)
                VALUES (\(bind: thingTypeName), \(bind: id), \(bind: try JSONText.encode(properties)), 0, \(bind: created))
                """
            ).run()
            let arn = scope.arn(.thingType(thingTypeName))
            try await insertTags(tags, resourceArn: arn, db)
            return ThingType(
                thingTypeName: thingTypeName, thingTypeId: id, thingTypeArn: arn, thingTypeProperties: properties,
                thingTypeMetadata: ThingTypeMetadata(
                    deprecated: false, deprecationDate: nil, creationDate: .init(millisecondsSince1970: created)))
        }
    }

    /// `DescribeThingType`.
    ///
    /// - Throws: `ResourceNotFoundException`.
    public func describeThingType(thingTypeName: String) async throws -> ThingType {
        try Validation.registryName(thingTypeName, member: "thingTypeName")
        guard let type = try await read({ try await fetchThingType(thingTypeName, $0) }) else {
            throw RegistryError.notFound("Thing Type \(thingTypeName) cannot be found")
        }
        return type
    }

    /// `ListThingTypes`, by name; `thingTypeName` keeps the types whose name starts with it.
    public func listThingTypes(
        maxResults: Int? = nil, nextToken: String? = nil, thingTypeName: String? = nil
    ) async throws -> Page<ThingType> {
        let size = try PageToken.size(maxResults, maximum: 250)
        let after = try PageToken.decode(nextToken, parts: 1)?[0]
        if let thingTypeName { try Validation.registryName(thingTypeName, member: "thingTypeName") }
        return try await read { db in
            var query: SQLQueryString = "SELECT * FROM thing_types WHERE 1 = 1"
            if let after { query += " AND thing_type_name > \(bind: after)" }
            if let thingTypeName {
                query += " AND substr(thing_type_name, 1, \(literal: thingTypeName.count)) = \(bind: thingTypeName)"
            }
            query += " ORDER BY thing_type_name LIMIT \(literal: size + 1)"
            let rows = try await db.raw(query).all()
            return try PageToken.page(rows, size: size, key: { [(try? $0.string("thing_type_name")) ?? ""] }) {
                try thingType(from: $0)
            }
        }
    }

    /// `DeprecateThingType`: deprecates the type (no new thing may use it), or with
    /// `undoDeprecate` makes it usable again. Deprecating an already deprecated type keeps its
    /// deprecation date.
    ///
    /// - Throws: `ResourceNotFoundException`.
    public func deprecateThingType(thingTypeName: String, undoDeprecate: Bool = false) async throws {
        try Validation.registryName(thingTypeName, member: "thingTypeName")
        try await write { db, _ in
            guard let type = try await fetchThingType(thingTypeName, db) else {
                throw RegistryError.notFound("Thing Type \(thingTypeName) cannot be found")
            }
            if undoDeprecate {
                try await db.raw(
                    """
                    UPDATE thing_types SET deprecated = 0, deprecation_date = NULL
                    WHERE thing_type_name = \(bind: thingTypeName)
                    """
                ).run()
            } else if !type.thingTypeMetadata.deprecated {
                try await db.raw(
                    """
                    UPDATE thing_types SET deprecated = 1, deprecation_date = \(bind: now())
                    WHERE thing_type_name = \(bind: thingTypeName)
                    """
                ).run()
            }
        }
    }

    /// `DeleteThingType`: only a type deprecated for at least 5 minutes, with no thing using
    /// it, can be deleted.
    ///
    /// - Throws: `ResourceNotFoundException`; `InvalidRequestException` when the type is not
    ///   deprecated, was deprecated less than 5 minutes ago, or things still use it.
    public func deleteThingType(thingTypeName: String) async throws {
        try Validation.registryName(thingTypeName, member: "thingTypeName")
        try await write { db, _ in
            guard let type = try await fetchThingType(thingTypeName, db) else {
                throw RegistryError.notFound("Thing Type \(thingTypeName) cannot be found")
            }
            guard type.thingTypeMetadata.deprecated, let deprecated = type.thingTypeMetadata.deprecationDate else {
                throw RegistryError.invalidRequest(
                    "Thing Type \(thingTypeName) must be deprecated before it can be deleted")
            }
            if now() - deprecated.millisecondsSince1970 < Self.thingTypeDeletionDelayMilliseconds {
                throw RegistryError.invalidRequest(
                    "Thing Type \(thingTypeName) was deprecated less than 5 minutes ago; wait 5 minutes after "
                        + "deprecating a thing type before deleting it")
            }
            let used = try await db.raw(
                "SELECT thing_name FROM things WHERE thing_type_name = \(bind: thingTypeName) LIMIT 1"
            ).first()
            if used != nil {
                throw RegistryError.invalidRequest(
                    "Thing Type \(thingTypeName) cannot be deleted while things are associated with it")
            }
            try await db.raw("DELETE FROM thing_types WHERE thing_type_name = \(bind: thingTypeName)").run()
            try await deleteTags(of: type.thingTypeArn, db)
        }
    }

    // MARK: Helpers

    func fetchThingType(_ name: String, _ db: any SQLDatabase) async throws -> ThingType? {
        try await db.raw("SELECT * FROM thing_types WHERE thing_type_name = \(bind: name)").first().map {
            try thingType(from: $0)
        }
    }

    func thingType(from row: any SQLRow) throws -> ThingType {
        let name = try row.string("thing_type_name")
        return ThingType(
            thingTypeName: name, thingTypeId: try row.string("thing_type_id"),
            thingTypeArn: scope.arn(.thingType(name)),
            thingTypeProperties: try JSONText.decode(ThingTypeProperties.self, from: try row.string("properties")),
            thingTypeMetadata: ThingTypeMetadata(
                deprecated: try row.bool("deprecated"), deprecationDate: try row.optionalDate("deprecation_date"),
                creationDate: try row.date("creation_date")))
    }
}
