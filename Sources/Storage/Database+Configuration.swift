extension Database {
    /// The SQL engines a ``Database`` can run on.
    public enum Engine: Sendable, Hashable, CustomStringConvertible {
        /// SQLite, embedded: one file, WAL mode.
        case sqlite
        /// PostgreSQL (or a PostgreSQL-compatible database), shared by several nodes.
        case postgres

        public var description: String {
            switch self {
            case .sqlite: "sqlite"
            case .postgres: "postgres"
            }
        }
    }

    /// Where a ``Database`` lives and how many connections it may use.
    public struct Configuration: Sendable {
        enum Location: Sendable {
            case sqlite(path: String)
            case postgres(url: String, schema: String?)
        }

        let location: Location
        /// The most connections used at once for reads (SQLite) or for everything
        /// (PostgreSQL). SQLite always writes through one extra connection of its own.
        public var maximumConnections: Int
        /// How long SQLite waits for a lock held by another process before failing
        /// (`PRAGMA busy_timeout`). Within one process writes are serialized and never wait
        /// on SQLite's lock.
        public var busyTimeoutMilliseconds: Int

        /// An SQLite database in the file at `path` (created, with its directory, if missing).
        public static func sqlite(path: String) -> Configuration {
            Configuration(location: .sqlite(path: path), maximumConnections: 4, busyTimeoutMilliseconds: 5000)
        }

        /// A PostgreSQL database at `url`:
        /// `postgres://user:password@host:port/database?tlsmode=disable|prefer|require`.
        ///
        /// - Parameter schema: A schema to keep every table in (created if missing, and set
        ///   as the connections' `search_path`); nil uses the server's default search path.
        public static func postgres(url: String, schema: String? = nil) -> Configuration {
            Configuration(
                location: .postgres(url: url, schema: schema), maximumConnections: 8, busyTimeoutMilliseconds: 5000)
        }

        /// The engine this configuration opens.
        public var engine: Engine {
            switch location {
            case .sqlite: .sqlite
            case .postgres: .postgres
            }
        }
    }
}
