/// Why a benchmark run failed.
public struct BenchError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, for a person to read.
    public let description: String

    init(_ description: String) {
        self.description = description
    }

    static func connectionRefused(returnCode: UInt8) -> BenchError {
        BenchError("the broker refused the connection (CONNACK return code \(returnCode))")
    }

    static let connectionClosed = BenchError("the broker closed the connection")

    static func subscriptionRefused(filter: String) -> BenchError {
        BenchError("the broker refused the subscription to '\(filter)'")
    }

    static func unexpectedPacket(_ type: String) -> BenchError {
        BenchError("unexpected \(type) packet from the broker")
    }
}
