/// Why a stored delivery cannot be rendered. Such a delivery will never succeed: it is given up.
public struct DeliveryRenderError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A human-readable explanation.
    public let message: String

    /// Creates an error.
    public init(_ message: String) {
        self.message = message
    }

    public var description: String { "DeliveryRenderError: \(self.message)" }
}
