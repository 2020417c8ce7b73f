import Storage

extension Registry {
    /// The component name of the registry's migrations in `schema_migrations`.
    public static let migrationComponent = "registry"

    /// The registry's schema, version by version.
    ///
    /// Conventions: names and ids are `TEXT` (byte order on both engines: `COLLATE "C"` on
    /// PostgreSQL, so paging order is identical); times are `BIGINT` milliseconds since 1970;
    /// flags are `BIGINT` 0/1; documents and payloads are `TEXT` as given; ARNs are built from
    /// the ``RegistryScope`` when read, except attachment targets and principals, which are
    /// stored as the caller gave them.
    public static let migrations: [Migration] = [
        Migration(version: 1, name: "registry tables") { engine in
            let key = engine == .postgres ? "TEXT COLLATE \"C\"" : "TEXT"
            return [
                """
                CREATE TABLE thing_types (
                    thing_type_name \(key) PRIMARY KEY,
                    thing_type_id TEXT NOT NULL,
                    properties TEXT NOT NULL,
                    deprecated BIGINT NOT NULL,
                    deprecation_date BIGINT,
                    creation_date BIGINT NOT NULL
                )
                """,
                """
                CREATE TABLE things (
                    thing_name \(key) PRIMARY KEY,
                    thing_id TEXT NOT NULL,
                    thing_type_name \(key) REFERENCES thing_types (thing_type_name),
                    version BIGINT NOT NULL,
                    creation_date BIGINT NOT NULL
                )
                """,
                "CREATE INDEX things_by_type ON things (thing_type_name, thing_name)",
                """
                CREATE TABLE thing_attributes (
                    thing_name \(key) NOT NULL REFERENCES things (thing_name) ON DELETE CASCADE,
                    attribute_name \(key) NOT NULL,
                    attribute_value \(key) NOT NULL,
                    PRIMARY KEY (thing_name, attribute_name)
                )
                """,
                "CREATE INDEX thing_attributes_by_value ON thing_attributes (attribute_name, attribute_value)",
                """
                CREATE TABLE thing_groups (
                    thing_group_name \(key) PRIMARY KEY,
                    thing_group_id TEXT NOT NULL,
                    parent_group_name \(key) REFERENCES thing_groups (thing_group_name),
                    description TEXT,
                    attributes TEXT NOT NULL,
                    version BIGINT NOT NULL,
                    creation_date BIGINT NOT NULL
                )
                """,
                "CREATE INDEX thing_groups_by_parent ON thing_groups (parent_group_name, thing_group_name)",
                """
                CREATE TABLE thing_group_members (
                    thing_group_name \(key) NOT NULL REFERENCES thing_groups (thing_group_name) ON DELETE CASCADE,
                    thing_name \(key) NOT NULL REFERENCES things (thing_name) ON DELETE CASCADE,
                    PRIMARY KEY (thing_group_name, thing_name)
                )
                """,
                "CREATE INDEX thing_group_members_by_thing ON thing_group_members (thing_name, thing_group_name)",
                """
                CREATE TABLE ca_certificates (
                    certificate_id \(key) PRIMARY KEY,
                    certificate_pem TEXT NOT NULL,
                    status TEXT NOT NULL,
                    auto_registration_status TEXT NOT NULL,
                    owned_by TEXT NOT NULL,
                    certificate_mode TEXT NOT NULL,
                    registration_config TEXT,
                    creation_date BIGINT NOT NULL,
                    last_modified_date BIGINT NOT NULL,
                    customer_version BIGINT NOT NULL,
                    generation_id TEXT NOT NULL,
                    not_before BIGINT,
                    not_after BIGINT
                )
                """,
                "CREATE INDEX ca_certificates_by_creation ON ca_certificates (creation_date, certificate_id)",
                """
                CREATE TABLE certificates (
                    certificate_id \(key) PRIMARY KEY,
                    certificate_pem TEXT NOT NULL,
                    status TEXT NOT NULL,
                    ca_certificate_id \(key),
                    owned_by TEXT NOT NULL,
                    previous_owned_by TEXT,
                    certificate_mode TEXT NOT NULL,
                    creation_date BIGINT NOT NULL,
                    last_modified_date BIGINT NOT NULL,
                    customer_version BIGINT NOT NULL,
                    generation_id TEXT NOT NULL,
                    not_before BIGINT,
                    not_after BIGINT
                )
                """,
                "CREATE INDEX certificates_by_creation ON certificates (creation_date, certificate_id)",
                "CREATE INDEX certificates_by_ca ON certificates (ca_certificate_id, creation_date, certificate_id)",
                """
                CREATE TABLE policies (
                    policy_name \(key) PRIMARY KEY,
                    default_version_id BIGINT NOT NULL,
                    last_version_id BIGINT NOT NULL,
                    creation_date BIGINT NOT NULL,
                    last_modified_date BIGINT NOT NULL,
                    generation_id TEXT NOT NULL
                )
                """,
                """
                CREATE TABLE policy_versions (
                    policy_name \(key) NOT NULL REFERENCES policies (policy_name) ON DELETE CASCADE,
                    version_id BIGINT NOT NULL,
                    document TEXT NOT NULL,
                    creation_date BIGINT NOT NULL,
                    PRIMARY KEY (policy_name, version_id)
                )
                """,
                """
                CREATE TABLE policy_attachments (
                    policy_name \(key) NOT NULL REFERENCES policies (policy_name),
                    target \(key) NOT NULL,
                    creation_date BIGINT NOT NULL,
                    PRIMARY KEY (policy_name, target)
                )
                """,
                "CREATE INDEX policy_attachments_by_target ON policy_attachments (target, policy_name)",
                """
                CREATE TABLE thing_principals (
                    thing_name \(key) NOT NULL REFERENCES things (thing_name),
                    principal \(key) NOT NULL,
                    thing_principal_type TEXT NOT NULL,
                    creation_date BIGINT NOT NULL,
                    PRIMARY KEY (thing_name, principal)
                )
                """,
                "CREATE INDEX thing_principals_by_principal ON thing_principals (principal, thing_name)",
                """
                CREATE TABLE topic_rules (
                    rule_name \(key) PRIMARY KEY,
                    rule_arn TEXT NOT NULL,
                    sql_text TEXT NOT NULL,
                    topic_pattern \(key) NOT NULL,
                    description TEXT,
                    aws_iot_sql_version TEXT,
                    rule_disabled BIGINT NOT NULL,
                    payload TEXT NOT NULL,
                    created_at BIGINT NOT NULL,
                    last_modified_date BIGINT NOT NULL
                )
                """,
                "CREATE INDEX topic_rules_by_topic ON topic_rules (topic_pattern, rule_name)",
                """
                CREATE TABLE resource_tags (
                    resource_arn \(key) NOT NULL,
                    tag_key \(key) NOT NULL,
                    tag_value TEXT NOT NULL,
                    PRIMARY KEY (resource_arn, tag_key)
                )
                """,
            ]
        }
    ]
}
