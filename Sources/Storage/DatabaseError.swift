/// Why the storage layer refused or failed an operation.
///
/// Errors raised by the SQL engines themselves (constraint violations, syntax errors) are
/// passed through unchanged; this type covers what ``Database`` itself decides.
public struct DatabaseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of failure (an opaque code: new kinds can be added).
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        enum Base: String, Sendable, Hashable {
            case invalidConfiguration
            case schemaNewerThanCode
            case invalidMigrations
            case closed
        }

        let base: Base

        /// The configuration cannot be used (an unparsable URL, an unusable path).
        public static let invalidConfiguration = Code(base: .invalidConfiguration)
        /// The database holds migrations this build does not know: it was written by a newer version.
        public static let schemaNewerThanCode = Code(base: .schemaNewerThanCode)
        /// The migrations given to ``Database/migrate(component:_:)`` are not strictly increasing.
        public static let invalidMigrations = Code(base: .invalidMigrations)
        /// The database was shut down.
        public static let closed = Code(base: .closed)

        public var description: String { base.rawValue }
    }

    /// The kind of failure.
    public var code: Code
    /// What happened, for logs and operators.
    public var message: String

    /// Creates an error.
    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "DatabaseError(\(code)): \(message)" }
}
