import SQLKit

/// One versioned step of a schema.
///
/// Migrations belong to a component (`registry`, `notifications`…) and are applied in
/// increasing ``version`` order, each inside its own transaction, by
/// ``Database/migrate(component:_:)``. A version once released never changes: later schema
/// changes are new migrations.
public struct Migration: Sendable {
    /// The position of this step within its component, starting at 1.
    public var version: Int
    /// A short description, recorded in `schema_migrations`.
    public var name: String
    /// Applies the step. It runs inside a transaction; ``Database/Engine`` tells which SQL
    /// engine it talks to, for the few DDL details that differ (column collations).
    public var apply: @Sendable (any SQLDatabase, Database.Engine) async throws -> Void

    /// Creates a migration from a closure.
    public init(
        version: Int, name: String,
        apply: @escaping @Sendable (any SQLDatabase, Database.Engine) async throws -> Void
    ) {
        self.version = version
        self.name = name
        self.apply = apply
    }

    /// Creates a migration that runs SQL statements in order.
    ///
    /// - Parameter statements: Builds the statements for an engine; return plain SQL that both
    ///   engines accept wherever possible.
    public init(
        version: Int, name: String, statements: @escaping @Sendable (Database.Engine) -> [String]
    ) {
        self.init(version: version, name: name) { db, engine in
            for statement in statements(engine) {
                try await db.raw(SQLQueryString(statement)).run()
            }
        }
    }
}
