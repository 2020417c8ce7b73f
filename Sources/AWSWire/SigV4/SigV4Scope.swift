import Foundation

/// A SigV4 credential scope: `DATE/REGION/SERVICE/aws4_request`.
public struct SigV4Scope: Sendable, Hashable, CustomStringConvertible {
    /// The scope terminator.
    public static let terminator = "aws4_request"

    /// The signing day, `YYYYMMDD`.
    public var date: String
    /// The region, such as `us-east-1`.
    public var region: String
    /// The signing name of the service: `iot`, `iotdata`, `sns`, `iam`…
    public var service: String

    /// Creates a scope from its parts.
    public init(date: String, region: String, service: String) {
        self.date = date
        self.region = region
        self.service = service
    }

    /// Creates the scope of a request signed at `timestamp`.
    public init(timestamp: Date, region: String, service: String) {
        self.init(date: String(AWSTimestamp.sigV4(timestamp).prefix(8)), region: region, service: service)
    }

    /// `20150830/us-east-1/iot/aws4_request`.
    public var description: String {
        "\(date)/\(region)/\(service)/\(Self.terminator)"
    }
}
