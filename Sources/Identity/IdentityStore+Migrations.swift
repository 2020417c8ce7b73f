import Storage

extension IdentityStore {
    /// The component name of IAM's migrations in `schema_migrations`.
    public static let migrationComponent = "identity"

    /// IAM's schema, version by version.
    ///
    /// Conventions: names are kept as given beside a lower-cased `*_key` column that is
    /// unique (IAM names are unique regardless of case) and is the paging order (`COLLATE
    /// "C"` on PostgreSQL, so both engines order by bytes); times are `BIGINT` milliseconds
    /// since 1970; documents are `TEXT` as given; tags are a JSON array; ARNs are built from
    /// the account when read. Table names start with `iam_` (the registry has `policies`).
    public static let migrations: [Migration] = [
        Migration(version: 1, name: "iam roles and policies") { engine in
            let key = engine == .postgres ? "TEXT COLLATE \"C\"" : "TEXT"
            return [
                """
                CREATE TABLE iam_roles (
                    role_key \(key) PRIMARY KEY,
                    role_name TEXT NOT NULL,
                    role_id TEXT NOT NULL UNIQUE,
                    path \(key) NOT NULL,
                    assume_role_policy_document TEXT NOT NULL,
                    description TEXT,
                    max_session_duration BIGINT NOT NULL,
                    tags TEXT NOT NULL,
                    create_date BIGINT NOT NULL
                )
                """,
                """
                CREATE TABLE iam_policies (
                    policy_key \(key) PRIMARY KEY,
                    policy_name TEXT NOT NULL,
                    policy_id TEXT NOT NULL UNIQUE,
                    path \(key) NOT NULL,
                    description TEXT,
                    default_version BIGINT NOT NULL,
                    last_version BIGINT NOT NULL,
                    tags TEXT NOT NULL,
                    create_date BIGINT NOT NULL,
                    update_date BIGINT NOT NULL
                )
                """,
                """
                CREATE TABLE iam_policy_versions (
                    policy_key \(key) NOT NULL REFERENCES iam_policies (policy_key) ON DELETE CASCADE,
                    version BIGINT NOT NULL,
                    document TEXT NOT NULL,
                    create_date BIGINT NOT NULL,
                    PRIMARY KEY (policy_key, version)
                )
                """,
                """
                CREATE TABLE iam_role_attached_policies (
                    role_key \(key) NOT NULL REFERENCES iam_roles (role_key),
                    policy_key \(key) NOT NULL REFERENCES iam_policies (policy_key),
                    attach_date BIGINT NOT NULL,
                    PRIMARY KEY (role_key, policy_key)
                )
                """,
                "CREATE INDEX iam_role_attached_policies_by_policy ON iam_role_attached_policies (policy_key, role_key)",
                """
                CREATE TABLE iam_role_inline_policies (
                    role_key \(key) NOT NULL REFERENCES iam_roles (role_key),
                    policy_key \(key) NOT NULL,
                    policy_name TEXT NOT NULL,
                    document TEXT NOT NULL,
                    PRIMARY KEY (role_key, policy_key)
                )
                """,
            ]
        }
    ]
}
