/// Why a SQL statement was rejected: what the control plane reports as AWS's
/// `SqlParseException`.
public struct SQLParseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong, without the position.
    public let message: String
    /// The offset of the offending text in the statement, in UTF-8 bytes from 0.
    public let offset: Int
    /// The line of the offending text, from 1.
    public let line: Int
    /// The column of the offending text within its line, in Unicode scalars from 1.
    public let column: Int

    init(_ message: String, offset: Int, in sql: String) {
        self.message = message
        self.offset = offset
        var line = 1
        var column = 1
        var consumed = 0
        for scalar in sql.unicodeScalars {
            if consumed >= offset { break }
            consumed += UTF8.width(scalar)
            if scalar == "\n" {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        self.line = line
        self.column = column
    }

    /// `Line 1:15: message`.
    public var description: String { "Line \(line):\(column): \(message)" }
}
