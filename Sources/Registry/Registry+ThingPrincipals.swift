import SQLKit

extension Registry {
    /// `AttachThingPrincipal`: attaches a certificate (by ARN) to a thing. Attaching twice
    /// succeeds (and updates the type).
    ///
    /// - Throws: `ResourceNotFoundException` for the thing or the certificate;
    ///   `InvalidRequestException` when an exclusive attachment conflicts with another thing.
    public func attachThingPrincipal(
        thingName: String, principal: String, thingPrincipalType: ThingPrincipalType = .nonExclusiveThing
    ) async throws {
        try Validation.registryName(thingName, member: "thingName")
        try await write { db, changes in
            guard try await fetchThingRow(thingName, db) else {
                throw RegistryError.notFound("Thing \(thingName) cannot be found")
            }
            guard case .certificate = scope.resource(ofARN: principal) else {
                throw RegistryError.invalidRequest("Invalid principal \(principal): it must be a certificate ARN")
            }
            try await requireTarget(principal, db)
            // Only whether another thing holds the principal (exclusively) matters: ask for one
            // row, so that a certificate shared by many things costs the same as any other.
            let conflicting = try await db.raw(
                thingPrincipalType == .exclusiveThing
                    ? """
                    SELECT thing_name FROM thing_principals
                    WHERE principal = \(bind: principal) AND thing_name <> \(bind: thingName) LIMIT 1
                    """
                    : """
                    SELECT thing_name FROM thing_principals
                    WHERE principal = \(bind: principal) AND thing_name <> \(bind: thingName)
                    AND thing_principal_type = \(bind: ThingPrincipalType.exclusiveThing.rawValue) LIMIT 1
                    """
            ).first()
            if conflicting != nil {
                throw RegistryError.invalidRequest(
                    thingPrincipalType == .exclusiveThing
                        ? "The principal \(principal) is attached to other things and cannot be attached exclusively"
                        : "The principal \(principal) is exclusively attached to another thing")
            }
            try await db.raw(
                """
                INSERT INTO thing_principals (thing_name, principal, thing_principal_type, creation_date)
                VALUES (\(bind: thingName), \(bind: principal), \(bind: thingPrincipalType.rawValue), \(bind: now()))
                ON CONFLICT (thing_name, principal) DO UPDATE SET thing_principal_type = excluded.thing_principal_type
                """
            ).run()
            changes.record(.thingChanged(thingName: thingName))
            changes.record(.attachmentsChanged(target: principal))
        }
    }

    /// `DetachThingPrincipal`. Detaching a principal that is not attached succeeds.
    ///
    /// - Throws: `ResourceNotFoundException` for the thing.
    public func detachThingPrincipal(thingName: String, principal: String) async throws {
        try Validation.registryName(thingName, member: "thingName")
        try await write { db, changes in
            guard try await fetchThingRow(thingName, db) else {
                throw RegistryError.notFound("Thing \(thingName) cannot be found")
            }
            let removed = try await db.raw(
                """
                DELETE FROM thing_principals WHERE thing_name = \(bind: thingName) AND principal = \(bind: principal)
                RETURNING principal
                """
            ).all()
            if !removed.isEmpty {
                changes.record(.thingChanged(thingName: thingName))
                changes.record(.attachmentsChanged(target: principal))
            }
        }
    }

    /// `ListThingPrincipals` (and `ListThingPrincipalsV2`), by principal.
    ///
    /// - Throws: `ResourceNotFoundException` for the thing.
    public func listThingPrincipals(
        thingName: String, maxResults: Int? = nil, nextToken: String? = nil
    ) async throws -> Page<ThingPrincipalAttachment> {
        try Validation.registryName(thingName, member: "thingName")
        let size = try PageToken.size(maxResults, maximum: 250)
        let after = try PageToken.decode(nextToken, parts: 1)?[0]
        return try await read { db in
            guard try await fetchThingRow(thingName, db) else {
                throw RegistryError.notFound(
                    "Failed to list principals for thing \(thingName) because the thing does not exist in your account")
            }
            var query: SQLQueryString =
                "SELECT thing_name, principal, thing_principal_type FROM thing_principals WHERE thing_name = \(bind: thingName)"
            if let after { query += " AND principal > \(bind: after)" }
            query += " ORDER BY principal LIMIT \(literal: size + 1)"
            let rows = try await db.raw(query).all()
            return try PageToken.page(rows, size: size, key: { [(try? $0.string("principal")) ?? ""] }) {
                try attachment(from: $0)
            }
        }
    }

    /// `ListPrincipalThings` (and `ListPrincipalThingsV2`), by thing name.
    ///
    /// - Throws: `ResourceNotFoundException` for an unknown certificate.
    public func listPrincipalThings(
        principal: String, maxResults: Int? = nil, nextToken: String? = nil
    ) async throws -> Page<ThingPrincipalAttachment> {
        let size = try PageToken.size(maxResults, maximum: 250)
        let after = try PageToken.decode(nextToken, parts: 1)?[0]
        return try await read { db in
            try await requireTarget(principal, db)
            var query: SQLQueryString =
                "SELECT thing_name, principal, thing_principal_type FROM thing_principals WHERE principal = \(bind: principal)"
            if let after { query += " AND thing_name > \(bind: after)" }
            query += " ORDER BY thing_name LIMIT \(literal: size + 1)"
            let rows = try await db.raw(query).all()
            return try PageToken.page(rows, size: size, key: { [(try? $0.string("thing_name")) ?? ""] }) {
                try attachment(from: $0)
            }
        }
    }

    private func attachment(from row: any SQLRow) throws -> ThingPrincipalAttachment {
        ThingPrincipalAttachment(
            thingName: try row.string("thing_name"), principal: try row.string("principal"),
            thingPrincipalType: ThingPrincipalType(rawValue: try row.string("thing_principal_type"))
                ?? .nonExclusiveThing)
    }
}
