import Logging
import NIOConcurrencyHelpers

/// Copies SQLite's write-ahead log into the database file in the background, so that no
/// transaction pays for it.
///
/// SQLite checkpoints on its own inside the `COMMIT` that passes 1,000 WAL pages, with an
/// `fsync`: that transaction (an API call, a Publish) then takes 10–15 ms more than the rest,
/// which is what an API's p99 shows. Instead the writer's automatic checkpoint is raised to a
/// safety net (`PRAGMA wal_autocheckpoint` in ``Database``), and this runs
/// `PRAGMA wal_checkpoint(PASSIVE)` every ``interval`` on a read-only connection when something
/// was committed since the last time. A passive checkpoint takes no writer lock: writers and
/// readers go on while it copies pages.
final class SQLiteCheckpointer: Sendable {
    /// How often the log is checked.
    let interval: Duration
    private let state = NIOLockedValueBox(State())

    private struct State {
        var commits: UInt64 = 0
        var checkpointedAt: UInt64 = 0
        var task: Task<Void, Never>?
        var stopped = false
    }

    init(interval: Duration = .milliseconds(200)) {
        self.interval = interval
    }

    /// Whether every commit noted so far has been checkpointed.
    var isCaughtUp: Bool {
        state.withLockedValue { $0.commits == $0.checkpointedAt }
    }

    /// Notes a commit: the next round checkpoints.
    func committed() {
        state.withLockedValue { $0.commits &+= 1 }
    }

    /// Starts checkpointing through `connections` (read-only connections of the same file).
    func start(connections: ConnectionPool, logger: Logger) {
        state.withLockedValue { state in
            guard state.task == nil, !state.stopped else { return }
            state.task = Task { [interval] in
                while !Task.isCancelled {
                    try? await Task.sleep(for: interval)
                    guard !Task.isCancelled else { return }
                    // Not cancelled half way by `stop()`, which waits for it instead.
                    await Task { await self.checkpointIfNeeded(connections: connections, logger: logger) }.value
                }
            }
        }
    }

    /// Stops checkpointing; waits for a checkpoint in progress.
    func stop() async {
        let task = state.withLockedValue { state in
            state.stopped = true
            defer { state.task = nil }
            return state.task
        }
        task?.cancel()
        await task?.value
    }

    private func checkpointIfNeeded(connections: ConnectionPool, logger: Logger) async {
        let (commits, checkpointedAt) = state.withLockedValue { ($0.commits, $0.checkpointedAt) }
        guard commits != checkpointedAt else { return }
        do {
            try await connections.withConnection { connection in
                _ = try await connection.sql.raw("PRAGMA wal_checkpoint(PASSIVE)").all()
            }
            state.withLockedValue { $0.checkpointedAt = commits }
        } catch {
            // Closed meanwhile, or busy: the next round (or the writer's safety net) does it.
            logger.debug("Background WAL checkpoint skipped", metadata: ["error": "\(error)"])
        }
    }
}
