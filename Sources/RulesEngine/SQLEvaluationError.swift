/// A failure while evaluating a statement that parsed: the rule's error action runs.
public struct SQLEvaluationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong.
    public let message: String

    init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
