/// Why a text is not JSON, and where.
public struct JSONParseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong, in lower case so it reads well inside a longer message
    /// (`unexpected end of input`, `invalid UTF-8`).
    public var message: String
    /// The offset of the offending byte from the start of the input.
    public var offset: Int

    /// An error saying `message` about the byte at `offset`.
    public init(message: String, offset: Int) {
        self.message = message
        self.offset = offset
    }

    /// `message at offset N`.
    public var description: String { "\(message) at offset \(offset)" }
}
