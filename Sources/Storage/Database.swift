import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import PostgresKit
import SQLKit
import SQLiteKit

/// One relational store behind sql-kit's `SQLDatabase`, served by SQLite (embedded default)
/// or PostgreSQL.
///
/// - Reads go through ``read(_:)``; every change goes through ``withTransaction(_:)``.
/// - SQLite: the file is opened in WAL mode with foreign keys on and a busy timeout. All
///   writes share one connection, taken in FIFO order, so writers never meet `SQLITE_BUSY`;
///   reads use a small pool of read-only connections and see the last committed state.
/// - PostgreSQL: one pool for everything; transactions run `SERIALIZABLE` and are retried
///   when PostgreSQL reports a serialization failure, so checks made inside a transaction
///   (a version, a count) hold at commit even with several nodes writing.
/// - Time is stored as integer milliseconds since 1970 (`BIGINT`), flags as `0`/`1`
///   (`BIGINT`): the same SQL and the same bindings work on both engines.
///
/// Call ``shutdown()`` before the process exits; the database refuses work afterwards.
public final class Database: Sendable {
    /// The engine in use.
    public let engine: Engine
    let writer: ConnectionPool
    let readers: ConnectionPool
    let logger: Logger
    /// SQLite's own threads for its blocking calls (nil for PostgreSQL): a busy wait on one
    /// database's lock never takes a thread from another database or from the rest of the
    /// process.
    private let threadPool: NIOThreadPool?
    /// SQLite's background WAL checkpoints (nil for PostgreSQL).
    let checkpointer: SQLiteCheckpointer?
    private let isShutDown = NIOLockedValueBox(false)

    private init(
        engine: Engine, writer: ConnectionPool, readers: ConnectionPool, threadPool: NIOThreadPool?,
        checkpointer: SQLiteCheckpointer? = nil, logger: Logger
    ) {
        self.engine = engine
        self.writer = writer
        self.readers = readers
        self.threadPool = threadPool
        self.checkpointer = checkpointer
        self.logger = logger
    }

    /// Opens the database described by `configuration` (without migrating it).
    ///
    /// For SQLite the writer connection is opened at once, which creates the file and
    /// switches it to WAL mode; for PostgreSQL one connection is made to check the URL and
    /// credentials.
    ///
    /// - Throws: ``DatabaseError`` with ``DatabaseError/Code/invalidConfiguration`` for an
    ///   unusable URL or path, or the engine's error when it cannot connect.
    public static func open(
        _ configuration: Configuration, logger: Logger = Logger(label: "thingport.storage")
    ) async throws -> Database {
        let database: Database
        switch configuration.location {
        case .sqlite(let path):
            database = try makeSQLite(path: path, configuration: configuration, logger: logger)
        case .postgres(let url, let schema):
            database = try makePostgres(url: url, schema: schema, configuration: configuration, logger: logger)
        }
        do {
            try await database.writer.withConnection { _ in }
        } catch {
            await database.shutdown()
            throw error
        }
        database.checkpointer?.start(connections: database.readers, logger: logger)
        logger.debug("Database opened", metadata: ["storage.engine": "\(configuration.engine)"])
        return database
    }

    private static func makeSQLite(path: String, configuration: Configuration, logger: Logger) throws -> Database {
        guard !path.isEmpty else {
            throw DatabaseError(code: .invalidConfiguration, message: "The SQLite path is empty")
        }
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw DatabaseError(
                code: .invalidConfiguration,
                message: "Cannot create the directory of the SQLite database \(path): \(error)")
        }
        let busyTimeout = max(0, configuration.busyTimeoutMilliseconds)
        let readerCount = max(1, configuration.maximumConnections)
        let threadPool = NIOThreadPool(numberOfThreads: readerCount + 1)
        threadPool.start()
        func opener(readOnly: Bool) -> @Sendable () async throws -> PooledConnection {
            {
                let connection = try await SQLiteConnection.open(
                    storage: .file(path: path), threadPool: threadPool, logger: logger,
                    on: MultiThreadedEventLoopGroup.singleton.any())
                let sql = connection.sql(queryLogLevel: .trace)
                do {
                    // busy_timeout first: switching to WAL may itself wait for another process.
                    _ = try await sql.raw("PRAGMA busy_timeout = \(literal: busyTimeout)").all()
                    if !readOnly {
                        _ = try await sql.raw("PRAGMA journal_mode = WAL").all()
                        // Durable in WAL mode up to the last checkpoint-safe commit; the usual
                        // setting for WAL.
                        try await sql.raw("PRAGMA synchronous = NORMAL").run()
                        // Checkpoints run in the background (SQLiteCheckpointer); the writer
                        // checkpoints itself only past this many pages (about 40 MB).
                        _ = try await sql.raw("PRAGMA wal_autocheckpoint = 10000").all()
                    }
                    try await sql.raw("PRAGMA foreign_keys = ON").run()
                    if readOnly {
                        try await sql.raw("PRAGMA query_only = ON").run()
                    }
                } catch {
                    try? await connection.close()
                    throw error
                }
                return PooledConnection(sql: sql, close: { try await connection.close() })
            }
        }
        return Database(
            engine: .sqlite,
            writer: ConnectionPool(maximum: 1, open: opener(readOnly: false)),
            readers: ConnectionPool(maximum: readerCount, open: opener(readOnly: true)), threadPool: threadPool,
            checkpointer: SQLiteCheckpointer(), logger: logger)
    }

    private static func makePostgres(
        url: String, schema: String?, configuration: Configuration, logger: Logger
    ) throws -> Database {
        var sqlConfiguration: SQLPostgresConfiguration
        do {
            sqlConfiguration = try SQLPostgresConfiguration(url: url)
        } catch {
            throw DatabaseError(code: .invalidConfiguration, message: "Invalid PostgreSQL URL: \(error)")
        }
        if let schema {
            sqlConfiguration.searchPath = [schema]
        }
        let connectionConfiguration = sqlConfiguration
        let ids = NIOLockedValueBox(0)
        let open: @Sendable () async throws -> PooledConnection = {
            let id = ids.withLockedValue {
                $0 += 1
                return $0
            }
            let connection = try await PostgresConnection.connect(
                on: MultiThreadedEventLoopGroup.singleton.any(),
                configuration: connectionConfiguration.coreConfiguration, id: id, logger: logger)
            let sql = connection.sql(queryLogLevel: .trace)
            if let searchPath = connectionConfiguration.searchPath {
                do {
                    if let schema {
                        // Several connections may race to create it; whichever wins is enough.
                        try? await sql.raw("CREATE SCHEMA IF NOT EXISTS \(ident: schema)").run()
                    }
                    try await sql.raw("SET search_path TO \(idents: searchPath, joinedBy: ",")").run()
                } catch {
                    try? await connection.close()
                    throw error
                }
            }
            return PooledConnection(sql: sql, close: { try await connection.close() })
        }
        let pool = ConnectionPool(maximum: max(1, configuration.maximumConnections), open: open)
        return Database(engine: .postgres, writer: pool, readers: pool, threadPool: nil, logger: logger)
    }

    /// Runs read-only work on a connection that sees the last committed state.
    ///
    /// Inside ``withTransaction(_:)`` (on the same task) it uses the transaction's connection,
    /// so the work also sees the transaction's own uncommitted changes. On SQLite the
    /// connection is read-only: a write fails.
    public func read<R>(_ body: (any SQLDatabase) async throws -> R) async throws -> R {
        if let context = TransactionContext.current, context.owner == ObjectIdentifier(self) {
            return try await body(context.connection)
        }
        try checkOpen()
        return try await readers.withConnection { try await body($0.sql) }
    }

    /// Closes every connection once the work in progress finishes; later calls fail with
    /// ``DatabaseError/Code/closed``. Calling it again does nothing.
    public func shutdown() async {
        let first = isShutDown.withLockedValue { isShutDown in
            let first = !isShutDown
            isShutDown = true
            return first
        }
        await checkpointer?.stop()
        await writer.close()
        if readers !== writer {
            await readers.close()
        }
        if first, let threadPool {
            try? await threadPool.shutdownGracefully()
        }
        logger.debug("Database closed", metadata: ["storage.engine": "\(engine)"])
    }

    func checkOpen() throws {
        if isShutDown.withLockedValue({ $0 }) {
            throw DatabaseError(code: .closed, message: "The database was shut down")
        }
    }
}
