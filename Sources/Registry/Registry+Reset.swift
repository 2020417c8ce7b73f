import SQLKit

extension Registry {
    /// The registry's tables, children before the tables they reference, so deleting in this
    /// order never breaks a foreign key.
    static let tablesInDeletionOrder = [
        "thing_attributes", "thing_group_members", "thing_principals", "things", "thing_types", "thing_groups",
        "policy_attachments", "policy_versions", "policies", "certificates", "ca_certificates", "topic_rules",
        "resource_tags",
    ]

    /// Deletes every row of every registry table in one transaction (`POST /_thingport/reset`),
    /// keeping the schema, and announces a change for everything a cache may hold: each
    /// certificate, CA certificate, policy, attachment target and principal, thing and topic
    /// rule that existed.
    public func reset() async throws {
        try await write { db, changes in
            func column(_ name: String, of table: String) async throws -> [String] {
                try await db.raw("SELECT \(ident: name) AS value FROM \(ident: table)").all().map {
                    try $0.string("value")
                }
            }
            for id in try await column("certificate_id", of: "certificates") {
                changes.record(.certificateStatusChanged(certificateId: id))
            }
            for id in try await column("certificate_id", of: "ca_certificates") {
                changes.record(.caCertificateChanged(certificateId: id))
            }
            for name in try await column("policy_name", of: "policies") {
                changes.record(.policyChanged(policyName: name))
            }
            let targets =
                try await column("target", of: "policy_attachments")
                + column("principal", of: "thing_principals")
            for target in Set(targets).sorted() {
                changes.record(.attachmentsChanged(target: target))
            }
            for name in try await column("thing_name", of: "things") {
                changes.record(.thingChanged(thingName: name))
            }
            for name in try await column("rule_name", of: "topic_rules") {
                changes.record(.topicRuleChanged(ruleName: name))
            }
            for table in Self.tablesInDeletionOrder {
                try await db.raw("DELETE FROM \(ident: table)").run()
            }
            logger.debug("Registry reset")
        }
    }
}
