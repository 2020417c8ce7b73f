import SQLKit

/// One open connection: its `SQLDatabase` view and how to close it.
struct PooledConnection: Sendable {
    let sql: any SQLDatabase
    let close: @Sendable () async throws -> Void
}

/// A small pool of connections, opened on demand up to a maximum and handed out one task
/// at a time.
///
/// With a maximum of 1 it is a FIFO lock around a single connection: this is how SQLite
/// writes are serialized, so `SQLITE_BUSY` never reaches a caller.
actor ConnectionPool {
    private let maximum: Int
    private let open: @Sendable () async throws -> PooledConnection
    private var idle: [PooledConnection] = []
    /// Connections that exist or are being opened (idle, leased or opening).
    private var total = 0
    private var waiters: [CheckedContinuation<PooledConnection, any Error>] = []
    private var isClosed = false
    private var drained: [CheckedContinuation<Void, Never>] = []

    init(maximum: Int, open: @escaping @Sendable () async throws -> PooledConnection) {
        precondition(maximum >= 1, "a pool needs at least one connection")
        self.maximum = maximum
        self.open = open
    }

    /// Runs `body` with a connection leased for its whole duration.
    ///
    /// - Parameter discardOnError: Close the connection instead of reusing it when `body`
    ///   throws (used when the connection's state is unknown, such as a failed rollback).
    nonisolated func withConnection<R>(
        _ body: (PooledConnection) async throws -> R
    ) async throws -> R {
        let connection = try await acquire()
        do {
            let result = try await body(connection)
            await release(connection, discard: false)
            return result
        } catch let error as DiscardConnection {
            await release(connection, discard: true)
            throw error.underlying
        } catch {
            await release(connection, discard: false)
            throw error
        }
    }

    func acquire() async throws -> PooledConnection {
        guard !isClosed else { throw DatabaseError(code: .closed, message: "The database was shut down") }
        if let connection = idle.popLast() {
            return connection
        }
        if total < maximum {
            total += 1
            do {
                return try await openUncancelled()
            } catch {
                total -= 1
                connectionGone()
                throw error
            }
        }
        return try await withCheckedThrowingContinuation { waiters.append($0) }
    }

    func release(_ connection: PooledConnection, discard: Bool) async {
        if discard || isClosed {
            total -= 1
            await Self.closeUncancelled(connection)
            connectionGone()
            return
        }
        if !waiters.isEmpty {
            waiters.removeFirst().resume(returning: connection)
        } else {
            idle.append(connection)
        }
    }

    /// After a connection closed or failed to open: serve a waiter with a new one, or report
    /// the pool drained once closing.
    /// Closes a connection in a task of its own, so that a caller's cancellation cannot leave
    /// it open.
    private static func closeUncancelled(_ connection: PooledConnection) async {
        _ = try? await Task { try await connection.close() }.value
    }

    /// Opens a connection in a task of its own: a caller's cancellation must not interrupt
    /// opening (and the clean-up of a half-opened connection) half way.
    private func openUncancelled() async throws -> PooledConnection {
        let open = self.open
        return try await Task { try await open() }.value
    }

    private func connectionGone() {
        if isClosed {
            if total == 0 {
                for continuation in drained { continuation.resume() }
                drained.removeAll()
            }
            return
        }
        guard !waiters.isEmpty, total < maximum else { return }
        let waiter = waiters.removeFirst()
        total += 1
        Task {
            do {
                waiter.resume(returning: try await self.openUncancelled())
            } catch {
                self.openFailed()
                waiter.resume(throwing: error)
            }
        }
    }

    private func openFailed() {
        total -= 1
        connectionGone()
    }

    /// Refuses new work, fails the waiters, and returns once every connection is closed
    /// (leased connections close when they are released).
    func close() async {
        guard !isClosed else {
            if total > 0 { await withCheckedContinuation { drained.append($0) } }
            return
        }
        isClosed = true
        let error = DatabaseError(code: .closed, message: "The database was shut down")
        for waiter in waiters { waiter.resume(throwing: error) }
        waiters.removeAll()
        let closing = idle
        idle.removeAll()
        for connection in closing {
            await Self.closeUncancelled(connection)
            total -= 1
        }
        if total > 0 {
            await withCheckedContinuation { drained.append($0) }
        }
    }
}

/// Thrown through ``ConnectionPool/withConnection(_:)`` to close the connection rather than
/// reuse it; the pool rethrows `underlying`.
struct DiscardConnection: Error {
    let underlying: any Error
}
