import SQLKit

extension Registry {
    /// Things without a thing type may have 3 attributes; with one, 50.
    static let maximumAttributesWithoutType = 3
    static let maximumAttributesWithType = 50

    /// `CreateThing`. Idempotent: the same name with the same type and attributes returns the
    /// existing thing.
    ///
    /// - Throws: `ResourceAlreadyExistsException` when the thing exists with another type or
    ///   other attributes; `ResourceNotFoundException` for an unknown thing type;
    ///   `InvalidRequestException` for a deprecated type, too many attributes or invalid names.
    @discardableResult
    public func createThing(
        thingName: String, thingTypeName: String? = nil, attributePayload: AttributePayload? = nil
    ) async throws -> Thing {
        try Validation.registryName(thingName, member: "thingName")
        if let thingTypeName { try Validation.registryName(thingTypeName, member: "thingTypeName") }
        let attributes = (attributePayload ?? AttributePayload()).applied(to: [:])
        try Validation.attributes(attributePayload?.attributes ?? [:], member: "attributePayload.attributes")
        try Self.checkAttributeCount(attributes.count, hasType: thingTypeName != nil)
        return try await write { db, changes in
            if let existing = try await fetchThing(thingName, db) {
                guard existing.thingTypeName == thingTypeName, existing.attributes == attributes else {
                    throw RegistryError(
                        code: .resourceAlreadyExists,
                        message: "Thing \(thingName) already exists in account with different attributes",
                        resourceId: existing.thingId, resourceArn: existing.thingArn)
                }
                return existing
            }
            if let thingTypeName {
                try await checkUsableThingType(thingTypeName, db) {
                    "Can not create new thing with depreated thing type:\($0)"
                }
            }
            let thing = Thing(
                thingName: thingName, thingId: Self.uuid(), thingArn: scope.arn(.thing(thingName)),
                thingTypeName: thingTypeName, attributes: attributes, version: 1)
            try await db.raw(
                """
                INSERT INTO things (thing_name, thing_id, thing_type_name, version, creation_date)
                VALUES (\(bind: thing.thingName), \(bind: thing.thingId), \(bind: thingTypeName), 1, \(bind: now()))
                """
            ).run()
            try await insertAttributes(attributes, thingName: thingName, db)
            changes.record(.thingChanged(thingName: thingName))
            logger.debug("Created thing", metadata: ["registry.thing": "\(thingName)"])
            return thing
        }
    }

    /// `DescribeThing`.
    ///
    /// - Throws: `ResourceNotFoundException`.
    public func describeThing(thingName: String) async throws -> Thing {
        try Validation.registryName(thingName, member: "thingName")
        guard let thing = try await read({ try await fetchThing(thingName, $0) }) else {
            throw RegistryError.notFound("Thing \(thingName) cannot be found")
        }
        return thing
    }

    /// `ListThings`, by name, optionally only the things with an attribute value (or a
    /// value prefix with `usePrefixAttributeValue`) and/or of a thing type.
    public func listThings(
        maxResults: Int? = nil, nextToken: String? = nil, attributeName: String? = nil,
        attributeValue: String? = nil, thingTypeName: String? = nil, usePrefixAttributeValue: Bool = false
    ) async throws -> Page<Thing> {
        let size = try PageToken.size(maxResults, maximum: 250)
        let after = try PageToken.decode(nextToken, parts: 1)?[0]
        if let attributeName {
            try Validation.check(
                attributeName, member: "attributeName", pattern: .attributeName, minLength: 1, maxLength: 128)
        }
        if let attributeValue {
            try Validation.check(attributeValue, member: "attributeValue", pattern: .attributeValue, maxLength: 800)
        }
        if let thingTypeName { try Validation.registryName(thingTypeName, member: "thingTypeName") }
        if attributeValue != nil && attributeName == nil {
            throw RegistryError.invalidRequest("attributeName must be specified with attributeValue")
        }
        return try await read { db in
            var query: SQLQueryString =
                "SELECT t.thing_name, t.thing_id, t.thing_type_name, t.version FROM things t WHERE 1 = 1"
            if let after { query += " AND t.thing_name > \(bind: after)" }
            if let thingTypeName { query += " AND t.thing_type_name = \(bind: thingTypeName)" }
            if let attributeName {
                query += " AND EXISTS (SELECT 1 FROM thing_attributes a WHERE a.thing_name = t.thing_name"
                query += " AND a.attribute_name = \(bind: attributeName)"
                if let attributeValue {
                    if usePrefixAttributeValue {
                        query +=
                            " AND substr(a.attribute_value, 1, \(literal: attributeValue.count)) = \(bind: attributeValue)"
                    } else {
                        query += " AND a.attribute_value = \(bind: attributeValue)"
                    }
                }
                query += ")"
            }
            query += " ORDER BY t.thing_name LIMIT \(literal: size + 1)"
            let rows = try await db.raw(query).all()
            let names = try rows.prefix(size).map { try $0.string("thing_name") }
            let attributes = try await fetchAttributes(of: names, db)
            return try PageToken.page(rows, size: size, key: { [(try? $0.string("thing_name")) ?? ""] }) { row in
                try thing(from: row, attributes: attributes)
            }
        }
    }

    /// `UpdateThing`: sets or removes the thing type, replaces or merges attributes (an empty
    /// value removes an attribute when merging), and increments the version.
    ///
    /// - Throws: `ResourceNotFoundException` for the thing or the type;
    ///   `VersionConflictException` when `expectedVersion` is not the current version;
    ///   `InvalidRequestException` for both `thingTypeName` and `removeThingType`, a
    ///   deprecated type, or too many attributes.
    @discardableResult
    public func updateThing(
        thingName: String, thingTypeName: String? = nil, attributePayload: AttributePayload? = nil,
        expectedVersion: Int64? = nil, removeThingType: Bool = false
    ) async throws -> Thing {
        try Validation.registryName(thingName, member: "thingName")
        if let thingTypeName { try Validation.registryName(thingTypeName, member: "thingTypeName") }
        try Validation.attributes(attributePayload?.attributes ?? [:], member: "attributePayload.attributes")
        if thingTypeName != nil && removeThingType {
            throw RegistryError.invalidRequest("Cannot specify both thingTypeName and removeThingType")
        }
        return try await write { db, changes in
            guard var thing = try await fetchThing(thingName, db) else {
                throw RegistryError.notFound("Thing \(thingName) cannot be found")
            }
            if let expectedVersion, expectedVersion != thing.version {
                throw Self.versionConflict(thing: thingName)
            }
            if let thingTypeName, thingTypeName != thing.thingTypeName {
                try await checkUsableThingType(thingTypeName, db) {
                    "Can not update a thing to use deprecated thing type: \($0)"
                }
                thing.thingTypeName = thingTypeName
            }
            if removeThingType { thing.thingTypeName = nil }
            let attributes = (attributePayload ?? AttributePayload()).applied(to: thing.attributes)
            try Self.checkAttributeCount(attributes.count, hasType: thing.thingTypeName != nil)
            let updated = try await db.raw(
                """
                UPDATE things SET thing_type_name = \(bind: thing.thingTypeName), version = version + 1
                WHERE thing_name = \(bind: thingName) AND version = \(bind: thing.version)
                RETURNING version
                """
            ).first()
            guard let updated else { throw Self.versionConflict(thing: thingName) }
            thing.version = try updated.int64("version")
            if attributes != thing.attributes {
                try await db.raw("DELETE FROM thing_attributes WHERE thing_name = \(bind: thingName)").run()
                try await insertAttributes(attributes, thingName: thingName, db)
                thing.attributes = attributes
            }
            changes.record(.thingChanged(thingName: thingName))
            return thing
        }
    }

    /// `DeleteThing`: deletes the thing with its attributes and group memberships. Deleting a
    /// thing that does not exist succeeds, as on AWS.
    ///
    /// - Throws: `VersionConflictException` when `expectedVersion` is not the current version;
    ///   `InvalidRequestException` while principals are attached (detach them first, as AWS
    ///   requires).
    public func deleteThing(thingName: String, expectedVersion: Int64? = nil) async throws {
        try Validation.registryName(thingName, member: "thingName")
        try await write { db, changes in
            guard
                let row = try await db.raw("SELECT version FROM things WHERE thing_name = \(bind: thingName)").first()
            else { return }
            if let expectedVersion, expectedVersion != (try row.int64("version")) {
                throw Self.versionConflict(thing: thingName)
            }
            let principal = try await db.raw(
                "SELECT principal FROM thing_principals WHERE thing_name = \(bind: thingName) LIMIT 1"
            ).first()
            if principal != nil {
                throw RegistryError.invalidRequest(
                    "Cannot delete. Thing \(thingName) is still attached to one or more principals")
            }
            // Attributes and group memberships go with the thing (ON DELETE CASCADE).
            try await db.raw("DELETE FROM things WHERE thing_name = \(bind: thingName)").run()
            try await deleteTags(of: scope.arn(.thing(thingName)), db)
            changes.record(.thingChanged(thingName: thingName))
            logger.debug("Deleted thing", metadata: ["registry.thing": "\(thingName)"])
        }
    }

    // MARK: Helpers

    static func versionConflict(thing name: String) -> RegistryError {
        RegistryError(
            code: .versionConflict, message: "The version for thing \(name) does not match the expected version.")
    }

    static func checkAttributeCount(_ count: Int, hasType: Bool) throws(RegistryError) {
        let maximum = hasType ? maximumAttributesWithType : maximumAttributesWithoutType
        if count > maximum {
            throw RegistryError.invalidRequest(
                hasType
                    ? "A thing can have at most \(maximum) attributes"
                    : "A thing without a thing type can have at most \(maximum) attributes")
        }
    }

    /// Checks that a thing type exists and is not deprecated.
    func checkUsableThingType(
        _ name: String, _ db: any SQLDatabase, deprecatedMessage: (String) -> String
    ) async throws {
        guard
            let row = try await db.raw("SELECT deprecated FROM thing_types WHERE thing_type_name = \(bind: name)")
                .first()
        else {
            throw RegistryError.notFound("Thing Type \(name) cannot be found")
        }
        if try row.bool("deprecated") {
            throw RegistryError.invalidRequest(deprecatedMessage(name))
        }
    }

    func fetchThing(_ name: String, _ db: any SQLDatabase) async throws -> Thing? {
        guard
            let row = try await db.raw(
                "SELECT thing_name, thing_id, thing_type_name, version FROM things WHERE thing_name = \(bind: name)"
            ).first()
        else { return nil }
        return try thing(from: row, attributes: try await fetchAttributes(of: [name], db))
    }

    func thing(from row: any SQLRow, attributes: [String: [String: String]]) throws -> Thing {
        let name = try row.string("thing_name")
        return Thing(
            thingName: name, thingId: try row.string("thing_id"), thingArn: scope.arn(.thing(name)),
            thingTypeName: try row.optionalString("thing_type_name"), attributes: attributes[name] ?? [:],
            version: try row.int64("version"))
    }

    func fetchAttributes(of things: [String], _ db: any SQLDatabase) async throws -> [String: [String: String]] {
        guard !things.isEmpty else { return [:] }
        let rows = try await db.raw(
            """
            SELECT thing_name, attribute_name, attribute_value FROM thing_attributes
            WHERE thing_name IN (\(binds: things))
            """
        ).all()
        var result: [String: [String: String]] = [:]
        for row in rows {
            result[try row.string("thing_name"), default: [:]][try row.string("attribute_name")] =
                try row.string("attribute_value")
        }
        return result
    }

    func insertAttributes(_ attributes: [String: String], thingName: String, _ db: any SQLDatabase) async throws {
        for (name, value) in attributes.sorted(by: { $0.key < $1.key }) {
            try await db.raw(
                """
                INSERT INTO thing_attributes (thing_name, attribute_name, attribute_value)
                VALUES (\(bind: thingName), \(bind: name), \(bind: value))
                """
            ).run()
        }
    }
}
