/// A value given to ``EmailMessage`` or ``EmailAddress`` that cannot be put into a message safely:
/// a malformed address, a line break in a header (header injection), a control character.
public struct EmailValidationError: Error, Hashable, CustomStringConvertible {
    /// What was wrong, as an opaque, extensible code.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case invalidAddress
            case invalidDisplayName
            case invalidSubject
            case invalidHeader
            case invalidMessageID
            case noRecipients
        }

        private let base: Base

        private init(_ base: Base) {
            self.base = base
        }

        /// An address that is not `local@domain`, or holds spaces, control characters or angle brackets.
        public static let invalidAddress = Code(.invalidAddress)
        /// A display name with a line break or another control character.
        public static let invalidDisplayName = Code(.invalidDisplayName)
        /// A subject with a line break or another control character.
        public static let invalidSubject = Code(.invalidSubject)
        /// An extra header with a bad name, a reserved name, or a value that is not printable ASCII on one line.
        public static let invalidHeader = Code(.invalidHeader)
        /// A message id that is not `left@right` in printable ASCII.
        public static let invalidMessageID = Code(.invalidMessageID)
        /// A message without any recipient.
        public static let noRecipients = Code(.noRecipients)

        public var description: String { self.base.rawValue }
    }

    /// What was wrong.
    public let code: Code
    /// A human-readable explanation (the offending value is not included, it may be user input).
    public let reason: String

    /// Creates an error with its code and explanation.
    public init(_ code: Code, _ reason: String) {
        self.code = code
        self.reason = reason
    }

    public var description: String { "\(self.code): \(self.reason)" }
}
