import AWSWire
import SQLKit

extension Registry {
    /// The deepest a group hierarchy may be, counting the root: 7, as on AWS.
    public static let maximumThingGroupDepth = 7
    /// The most groups a thing may belong to: 10, as on AWS.
    public static let maximumGroupsPerThing = 10

    /// `CreateThingGroup`, optionally under a parent. Idempotent: the same name with the same
    /// parent and properties returns the existing group.
    ///
    /// - Throws: `ResourceAlreadyExistsException` when the group exists with another parent or
    ///   properties; `ResourceNotFoundException` for an unknown parent;
    ///   `InvalidRequestException` beyond 7 levels, or for invalid names or tags.
    @discardableResult
    public func createThingGroup(
        thingGroupName: String, parentGroupName: String? = nil,
        thingGroupProperties: ThingGroupProperties = ThingGroupProperties(), tags: [Tag] = []
    ) async throws -> ThingGroup {
        try Validation.registryName(thingGroupName, member: "thingGroupName")
        if let parentGroupName { try Validation.registryName(parentGroupName, member: "parentGroupName") }
        try Validation.description(
            thingGroupProperties.thingGroupDescription, member: "thingGroupProperties.thingGroupDescription")
        try Validation.attributes(
            thingGroupProperties.attributePayload?.attributes ?? [:],
            member: "thingGroupProperties.attributePayload.attributes")
        try Self.validate(tags: tags)
        let attributes = (thingGroupProperties.attributePayload ?? AttributePayload()).applied(to: [:])
        let description = thingGroupProperties.thingGroupDescription
        return try await write { db, _ in
            if let existing = try await fetchThingGroup(thingGroupName, db) {
                let existingAttributes = existing.thingGroupProperties.attributePayload?.attributes ?? [:]
                guard existing.thingGroupMetadata.parentGroupName == parentGroupName,
                    existing.thingGroupProperties.thingGroupDescription == description,
                    existingAttributes == attributes
                else {
                    throw RegistryError(
                        code: .resourceAlreadyExists,
                        message:
                            "Thing Group \(thingGroupName) already exists in current account with different properties",
                        resourceId: existing.thingGroupId, resourceArn: existing.thingGroupArn)
                }
                return existing
            }
            if let parentGroupName {
                guard let parent = try await fetchThingGroup(parentGroupName, db) else {
                    throw RegistryError.notFound("Thing Group \(parentGroupName) cannot be found")
                }
                if parent.thingGroupMetadata.rootToParentThingGroups.count + 2 > Self.maximumThingGroupDepth {
                    throw RegistryError.invalidRequest(
                        "Thing group hierarchy cannot be deeper than \(Self.maximumThingGroupDepth) levels")
                }
            }
            try await db.raw(
                """
                INSERT INTO thing_groups (thing_group_name, thing_group_id, parent_group_name, description,
                    attributes, version, creation_date)
                VALUES (\(bind: thingGroupName), \(bind: Self.uuid()), \(bind: parentGroupName), \(bind: description),
                    \(bind: try JSONText.encode(attributes)), 1, \(bind: now()))
                """
            ).run()
            try await insertTags(tags, resourceArn: scope.arn(.thingGroup(thingGroupName)), db)
            return try await fetchThingGroup(thingGroupName, db)!
        }
    }

    /// `DescribeThingGroup`, with its ancestry from the root.
    ///
    /// - Throws: `ResourceNotFoundException`.
    public func describeThingGroup(thingGroupName: String) async throws -> ThingGroup {
        try Validation.registryName(thingGroupName, member: "thingGroupName")
        guard let group = try await read({ try await fetchThingGroup(thingGroupName, $0) }) else {
            throw RegistryError.notFound("Thing Group \(thingGroupName) cannot be found")
        }
        return group
    }

    /// `ListThingGroups`, by name: every group, or with `parentGroup` its descendants
    /// (`recursive`, the default) or children; `recursive: false` without a parent lists
    /// the root groups. `namePrefixFilter` keeps names starting with it.
    ///
    /// - Throws: `ResourceNotFoundException` for an unknown parent.
    public func listThingGroups(
        maxResults: Int? = nil, nextToken: String? = nil, parentGroup: String? = nil,
        namePrefixFilter: String? = nil, recursive: Bool = true
    ) async throws -> Page<GroupNameAndArn> {
        let size = try PageToken.size(maxResults, maximum: 250)
        let after = try PageToken.decode(nextToken, parts: 1)?[0]
        if let parentGroup { try Validation.registryName(parentGroup, member: "parentGroup") }
        if let namePrefixFilter { try Validation.registryName(namePrefixFilter, member: "namePrefixFilter") }
        return try await read { db in
            var query: SQLQueryString
            if let parentGroup {
                guard try await fetchThingGroup(parentGroup, db) != nil else {
                    throw RegistryError.notFound("Thing Group \(parentGroup) cannot be found")
                }
                if recursive {
                    query = """
                        WITH RECURSIVE descendants (thing_group_name) AS (
                            SELECT thing_group_name FROM thing_groups WHERE parent_group_name = \(bind: parentGroup)
                            UNION ALL
                            SELECT g.thing_group_name FROM thing_groups g
                            JOIN descendants d ON g.parent_group_name = d.thing_group_name
                        )
                        SELECT thing_group_name FROM descendants WHERE 1 = 1
                        """
                } else {
                    query = "SELECT thing_group_name FROM thing_groups WHERE parent_group_name = \(bind: parentGroup)"
                }
            } else if recursive {
                query = "SELECT thing_group_name FROM thing_groups WHERE 1 = 1"
            } else {
                query = "SELECT thing_group_name FROM thing_groups WHERE parent_group_name IS NULL"
            }
            if let after { query += " AND thing_group_name > \(bind: after)" }
            if let namePrefixFilter {
                query +=
                    " AND substr(thing_group_name, 1, \(literal: namePrefixFilter.count)) = \(bind: namePrefixFilter)"
            }
            query += " ORDER BY thing_group_name LIMIT \(literal: size + 1)"
            let rows = try await db.raw(query).all()
            return try PageToken.page(rows, size: size, key: { [(try? $0.string("thing_group_name")) ?? ""] }) {
                let name = try $0.string("thing_group_name")
                return GroupNameAndArn(groupName: name, groupArn: scope.arn(.thingGroup(name)))
            }
        }
    }

    /// `UpdateThingGroup`: sets the description (when given) and replaces or merges the
    /// attributes, and increments the version.
    ///
    /// - Returns: The new version.
    /// - Throws: `ResourceNotFoundException`; `VersionConflictException` when
    ///   `expectedVersion` is not the current version.
    @discardableResult
    public func updateThingGroup(
        thingGroupName: String, thingGroupProperties: ThingGroupProperties, expectedVersion: Int64? = nil
    ) async throws -> Int64 {
        try Validation.registryName(thingGroupName, member: "thingGroupName")
        try Validation.description(
            thingGroupProperties.thingGroupDescription, member: "thingGroupProperties.thingGroupDescription")
        try Validation.attributes(
            thingGroupProperties.attributePayload?.attributes ?? [:],
            member: "thingGroupProperties.attributePayload.attributes")
        return try await write { db, _ in
            guard let group = try await fetchThingGroup(thingGroupName, db) else {
                throw RegistryError.notFound("Thing Group \(thingGroupName) cannot be found")
            }
            if let expectedVersion, expectedVersion != group.version {
                throw Self.versionConflict(group: thingGroupName)
            }
            let attributes = (thingGroupProperties.attributePayload ?? AttributePayload())
                .applied(to: group.thingGroupProperties.attributePayload?.attributes ?? [:])
            let description =
                thingGroupProperties.thingGroupDescription
                ?? group.thingGroupProperties.thingGroupDescription
            guard
                let row = try await db.raw(
                    """
                    UPDATE thing_groups SET description = \(bind: description),
                        attributes = \(bind: try JSONText.encode(attributes)), version = version + 1
                    WHERE thing_group_name = \(bind: thingGroupName) AND version = \(bind: group.version)
                    RETURNING version
                    """
                ).first()
            else { throw Self.versionConflict(group: thingGroupName) }
            return try row.int64("version")
        }
    }

    /// `DeleteThingGroup`: deletes the group with its memberships, the policies attached to
    /// it and its tags. Deleting a group that does not exist succeeds, as on AWS.
    ///
    /// - Throws: `VersionConflictException` when `expectedVersion` is not the current
    ///   version; `InvalidRequestException` while the group has child groups.
    public func deleteThingGroup(thingGroupName: String, expectedVersion: Int64? = nil) async throws {
        try Validation.registryName(thingGroupName, member: "thingGroupName")
        try await write { db, changes in
            guard let group = try await fetchThingGroup(thingGroupName, db) else { return }
            if let expectedVersion, expectedVersion != group.version {
                throw Self.versionConflict(group: thingGroupName)
            }
            let child = try await db.raw(
                "SELECT thing_group_name FROM thing_groups WHERE parent_group_name = \(bind: thingGroupName) LIMIT 1"
            ).first()
            if child != nil {
                throw RegistryError.invalidRequest(
                    "Cannot delete thing group : \(thingGroupName) when there are still child groups attached to it")
            }
            let members = try await db.raw(
                "SELECT thing_name FROM thing_group_members WHERE thing_group_name = \(bind: thingGroupName)"
            ).all().map { try $0.string("thing_name") }
            let arn = group.thingGroupArn
            try await db.raw("DELETE FROM policy_attachments WHERE target = \(bind: arn)").run()
            try await db.raw("DELETE FROM thing_groups WHERE thing_group_name = \(bind: thingGroupName)").run()
            try await deleteTags(of: arn, db)
            changes.record(.attachmentsChanged(target: arn))
            for member in members { changes.record(.thingChanged(thingName: member)) }
        }
    }

    /// `AddThingToThingGroup`, naming the group and the thing by name or ARN. Adding a thing
    /// already in the group succeeds.
    ///
    /// - Throws: `ResourceNotFoundException`; `InvalidRequestException` when neither name nor
    ///   ARN is given, they disagree, or the thing is already in 10 groups.
    public func addThingToThingGroup(
        thingGroupName: String? = nil, thingGroupArn: String? = nil, thingName: String? = nil,
        thingArn: String? = nil
    ) async throws {
        let group = try resolveName(
            name: thingGroupName, arn: thingGroupArn, kind: "thingGroup", resource: { $0.thingGroupName })
        let thing = try resolveName(name: thingName, arn: thingArn, kind: "thing", resource: { $0.thingName })
        try await write { db, changes in
            guard try await fetchThingGroup(group, db) != nil else {
                throw RegistryError.notFound("Thing Group \(group) cannot be found")
            }
            guard try await fetchThingRow(thing, db) else {
                throw RegistryError.notFound("Thing \(thing) cannot be found")
            }
            let memberships = try await db.raw(
                "SELECT thing_group_name FROM thing_group_members WHERE thing_name = \(bind: thing)"
            ).all().map { try $0.string("thing_group_name") }
            if memberships.contains(group) { return }
            if memberships.count >= Self.maximumGroupsPerThing {
                throw RegistryError.invalidRequest(
                    "Thing \(thing) cannot be added to more than \(Self.maximumGroupsPerThing) thing groups")
            }
            try await db.raw(
                "INSERT INTO thing_group_members (thing_group_name, thing_name) VALUES (\(bind: group), \(bind: thing))"
            ).run()
            changes.record(.thingChanged(thingName: thing))
        }
    }

    /// `RemoveThingFromThingGroup`. Removing a thing that is not in the group succeeds.
    ///
    /// - Throws: `ResourceNotFoundException`; `InvalidRequestException` when neither name nor
    ///   ARN is given, or they disagree.
    public func removeThingFromThingGroup(
        thingGroupName: String? = nil, thingGroupArn: String? = nil, thingName: String? = nil,
        thingArn: String? = nil
    ) async throws {
        let group = try resolveName(
            name: thingGroupName, arn: thingGroupArn, kind: "thingGroup", resource: { $0.thingGroupName })
        let thing = try resolveName(name: thingName, arn: thingArn, kind: "thing", resource: { $0.thingName })
        try await write { db, changes in
            guard try await fetchThingGroup(group, db) != nil else {
                throw RegistryError.notFound("Thing Group \(group) cannot be found")
            }
            guard try await fetchThingRow(thing, db) else {
                throw RegistryError.notFound("Thing \(thing) cannot be found")
            }
            try await db.raw(
                """
                DELETE FROM thing_group_members WHERE thing_group_name = \(bind: group) AND thing_name = \(bind: thing)
                """
            ).run()
            changes.record(.thingChanged(thingName: thing))
        }
    }

    /// `ListThingsInThingGroup`, by thing name; `recursive` includes the things of every
    /// descendant group.
    ///
    /// - Throws: `ResourceNotFoundException`.
    public func listThingsInThingGroup(
        thingGroupName: String, recursive: Bool = false, maxResults: Int? = nil, nextToken: String? = nil
    ) async throws -> Page<String> {
        try Validation.registryName(thingGroupName, member: "thingGroupName")
        let size = try PageToken.size(maxResults, maximum: 250)
        let after = try PageToken.decode(nextToken, parts: 1)?[0]
        return try await read { db in
            guard try await fetchThingGroup(thingGroupName, db) != nil else {
                throw RegistryError.notFound("Thing Group \(thingGroupName) cannot be found")
            }
            var query: SQLQueryString
            if recursive {
                query = """
                    WITH RECURSIVE subtree (thing_group_name) AS (
                        SELECT thing_group_name FROM thing_groups WHERE thing_group_name = \(bind: thingGroupName)
                        UNION ALL
                        SELECT g.thing_group_name FROM thing_groups g
                        JOIN subtree s ON g.parent_group_name = s.thing_group_name
                    )
                    SELECT DISTINCT m.thing_name FROM thing_group_members m
                    JOIN subtree s ON m.thing_group_name = s.thing_group_name WHERE 1 = 1
                    """
            } else {
                query =
                    "SELECT m.thing_name FROM thing_group_members m WHERE m.thing_group_name = \(bind: thingGroupName)"
            }
            if let after { query += " AND m.thing_name > \(bind: after)" }
            query += " ORDER BY m.thing_name LIMIT \(literal: size + 1)"
            let rows = try await db.raw(query).all()
            return try PageToken.page(rows, size: size, key: { [(try? $0.string("thing_name")) ?? ""] }) {
                try $0.string("thing_name")
            }
        }
    }

    /// `ListThingGroupsForThing`, by group name.
    ///
    /// - Throws: `ResourceNotFoundException`.
    public func listThingGroupsForThing(
        thingName: String, maxResults: Int? = nil, nextToken: String? = nil
    ) async throws -> Page<GroupNameAndArn> {
        try Validation.registryName(thingName, member: "thingName")
        let size = try PageToken.size(maxResults, maximum: 250)
        let after = try PageToken.decode(nextToken, parts: 1)?[0]
        return try await read { db in
            guard try await fetchThingRow(thingName, db) else {
                throw RegistryError.notFound("Thing \(thingName) cannot be found")
            }
            var query: SQLQueryString =
                "SELECT thing_group_name FROM thing_group_members WHERE thing_name = \(bind: thingName)"
            if let after { query += " AND thing_group_name > \(bind: after)" }
            query += " ORDER BY thing_group_name LIMIT \(literal: size + 1)"
            let rows = try await db.raw(query).all()
            return try PageToken.page(rows, size: size, key: { [(try? $0.string("thing_group_name")) ?? ""] }) {
                let name = try $0.string("thing_group_name")
                return GroupNameAndArn(groupName: name, groupArn: scope.arn(.thingGroup(name)))
            }
        }
    }

    // MARK: Helpers

    static func versionConflict(group name: String) -> RegistryError {
        RegistryError(
            code: .versionConflict,
            message: "The version for thing group \(name) does not match the expected version.")
    }

    /// The name of a resource given by name, ARN or both.
    func resolveName(
        name: String?, arn: String?, kind: String, resource: (ResourceName) -> String?
    ) throws(RegistryError) -> String {
        var fromARN: String?
        if let arn {
            guard let parsed = scope.resource(ofARN: arn), let resolved = resource(ResourceName(parsed)) else {
                throw RegistryError.invalidRequest("\(arn) is not a valid \(kind) ARN")
            }
            fromARN = resolved
        }
        switch (name, fromARN) {
        case (nil, nil):
            throw RegistryError.invalidRequest(
                "Both \(kind)Arn and \(kind)Name are empty. Need to specify at least one of them")
        case (let name?, let fromARN?) where name != fromARN:
            throw RegistryError.invalidRequest("\(kind)Arn does not match specified \(kind)Name in request")
        case (let name?, _):
            try Validation.registryName(name, member: "\(kind)Name")
            return name
        case (nil, let fromARN?):
            try Validation.registryName(fromARN, member: "\(kind)Name")
            return fromARN
        }
    }

    func fetchThingRow(_ name: String, _ db: any SQLDatabase) async throws -> Bool {
        try await db.raw("SELECT thing_name FROM things WHERE thing_name = \(bind: name)").first() != nil
    }

    func fetchThingGroup(_ name: String, _ db: any SQLDatabase) async throws -> ThingGroup? {
        guard
            let row = try await db.raw("SELECT * FROM thing_groups WHERE thing_group_name = \(bind: name)").first()
        else { return nil }
        let parent = try row.optionalString("parent_group_name")
        var ancestors: [GroupNameAndArn] = []
        var next = parent
        while let current = next, ancestors.count <= Self.maximumThingGroupDepth {
            ancestors.insert(GroupNameAndArn(groupName: current, groupArn: scope.arn(.thingGroup(current))), at: 0)
            next = try await db.raw(
                "SELECT parent_group_name FROM thing_groups WHERE thing_group_name = \(bind: current)"
            ).first()?.optionalString("parent_group_name")
        }
        let attributes = try JSONText.decode([String: String].self, from: try row.string("attributes"))
        return ThingGroup(
            thingGroupName: name, thingGroupId: try row.string("thing_group_id"),
            thingGroupArn: scope.arn(.thingGroup(name)), version: try row.int64("version"),
            thingGroupProperties: ThingGroupProperties(
                thingGroupDescription: try row.optionalString("description"),
                attributePayload: AttributePayload(attributes: attributes)),
            thingGroupMetadata: ThingGroupMetadata(
                parentGroupName: parent, rootToParentThingGroups: ancestors, creationDate: try row.date("creation_date")
            ))
    }
}

/// The name-bearing IoT resources, to resolve names given as ARNs.
struct ResourceName {
    let thingName: String?
    let thingGroupName: String?

    init(_ resource: ARN.IoTResource) {
        switch resource {
        case .thing(let name):
            thingName = name
            thingGroupName = nil
        case .thingGroup(let name):
            thingName = nil
            thingGroupName = name
        default:
            thingName = nil
            thingGroupName = nil
        }
    }
}
