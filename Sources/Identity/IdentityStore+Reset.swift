import SQLKit

extension IdentityStore {
    /// IAM's tables, children before the tables they reference.
    static let tablesInDeletionOrder = [
        "iam_role_inline_policies", "iam_role_attached_policies", "iam_policy_versions", "iam_policies", "iam_roles",
    ]

    /// Deletes every role and policy in one transaction (`POST /_thingport/reset`), keeping
    /// the schema.
    public func reset() async throws {
        try await write { db in
            for table in Self.tablesInDeletionOrder {
                try await db.raw("DELETE FROM \(ident: table)").run()
            }
        }
        logger.debug("Identity reset")
    }
}
