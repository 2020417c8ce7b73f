import NIOConcurrencyHelpers
import PostgresKit
import SQLKit

/// The transaction a task is running, so that nested calls join it instead of waiting for
/// the connection it holds.
final class TransactionContext: Sendable {
    @TaskLocal static var current: TransactionContext?

    let owner: ObjectIdentifier
    let connection: any SQLDatabase
    private let savepoints = NIOLockedValueBox(0)

    init(owner: ObjectIdentifier, connection: any SQLDatabase) {
        self.owner = owner
        self.connection = connection
    }

    func nextSavepoint() -> String {
        savepoints.withLockedValue {
            $0 += 1
            return "thingport_sp\($0)"
        }
    }
}

extension Database {
    /// The most times a PostgreSQL transaction is run again after a serialization failure.
    static let maximumAttempts = 16

    /// Runs `body` in a transaction: committed when `body` returns, rolled back when it throws
    /// (the error is rethrown).
    ///
    /// - SQLite: `BEGIN IMMEDIATE` on the single writer connection; transactions run one at a
    ///   time in the order they asked.
    /// - PostgreSQL: `SERIALIZABLE`. When PostgreSQL reports a serialization failure or a
    ///   deadlock (SQLSTATE `40001`, `40P01`) the whole `body` runs again, up to 16 times, so
    ///   `body` must not have effects outside the database that cannot be repeated (collect
    ///   them and act after this call returns).
    ///
    /// Nesting: calling `withTransaction` again from inside `body` (on the same task, or a
    /// child task) does not open a second transaction: the inner call runs inside a
    /// `SAVEPOINT` of the outer one. If the inner body throws, only its changes are rolled
    /// back and the error propagates; its changes become durable only when the outermost
    /// transaction commits. Do not share the `SQLDatabase` handed to `body` with unstructured
    /// tasks that outlive the call.
    public func withTransaction<R>(_ body: (any SQLDatabase) async throws -> R) async throws -> R {
        try await withTransaction(serializable: true, body)
    }

    /// ``withTransaction(_:)``, optionally at PostgreSQL's `READ COMMITTED` level, where each
    /// statement sees what committed before it started: migrations need this to see the work
    /// of a node that held the migration lock before them.
    func withTransaction<R>(serializable: Bool, _ body: (any SQLDatabase) async throws -> R) async throws -> R {
        if let context = TransactionContext.current, context.owner == ObjectIdentifier(self) {
            return try await withSavepoint(context, body)
        }
        try checkOpen()
        var attempt = 1
        while true {
            do {
                return try await writer.withConnection { connection in
                    try await runTransaction(on: connection.sql, serializable: serializable, body)
                }
            } catch let error where engine == .postgres && attempt < Self.maximumAttempts && Self.isRetryable(error) {
                logger.debug(
                    "Retrying a transaction after a serialization failure",
                    metadata: ["storage.attempt": "\(attempt)"])
                attempt += 1
                try await Task.sleep(for: .milliseconds(Int.random(in: 1...(5 * attempt))))
            }
        }
    }

    private func runTransaction<R>(
        on connection: any SQLDatabase, serializable: Bool, _ body: (any SQLDatabase) async throws -> R
    ) async throws -> R {
        switch engine {
        case .sqlite: try await connection.raw("BEGIN IMMEDIATE").run()
        case .postgres where serializable: try await connection.raw("BEGIN ISOLATION LEVEL SERIALIZABLE").run()
        case .postgres: try await connection.raw("BEGIN ISOLATION LEVEL READ COMMITTED").run()
        }
        let context = TransactionContext(owner: ObjectIdentifier(self), connection: connection)
        let result: R
        do {
            result = try await TransactionContext.$current.withValue(context) {
                try await body(connection)
            }
        } catch {
            do {
                try await connection.raw("ROLLBACK").run()
            } catch {
                // The connection's state is unknown: close it rather than reuse it.
                throw DiscardConnection(underlying: error)
            }
            throw error
        }
        do {
            try await connection.raw("COMMIT").run()
            checkpointer?.committed()
        } catch {
            // A failed COMMIT leaves PostgreSQL's transaction aborted and SQLite's maybe open.
            try? await connection.raw("ROLLBACK").run()
            throw error
        }
        return result
    }

    private func withSavepoint<R>(
        _ context: TransactionContext, _ body: (any SQLDatabase) async throws -> R
    ) async throws -> R {
        let name = context.nextSavepoint()
        let connection = context.connection
        try await connection.raw("SAVEPOINT \(ident: name)").run()
        do {
            let result = try await body(connection)
            try await connection.raw("RELEASE SAVEPOINT \(ident: name)").run()
            return result
        } catch {
            try await connection.raw("ROLLBACK TO SAVEPOINT \(ident: name)").run()
            try await connection.raw("RELEASE SAVEPOINT \(ident: name)").run()
            throw error
        }
    }

    /// Whether PostgreSQL asks for the transaction to be run again.
    static func isRetryable(_ error: any Error) -> Bool {
        guard let error = error as? PSQLError, let state = error.serverInfo?[.sqlState] else { return false }
        return state == "40001" || state == "40P01"
    }
}
