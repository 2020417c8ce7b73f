import AWSWire

/// The account and region whose resources a ``Registry`` holds: every ARN it builds is in
/// this scope (`arn:PARTITION:iot:REGION:ACCOUNT:TYPE/ID`).
///
/// ARNs stored as attachment targets and principals keep the scope they were made in, so a
/// data directory is tied to its account and region.
public struct RegistryScope: Sendable, Hashable {
    /// The region, such as `us-east-1`.
    public var region: String
    /// The 12-digit account id.
    public var accountId: String
    /// The partition, `aws` unless told otherwise.
    public var partition: String

    /// Creates a scope.
    public init(region: String, accountId: String, partition: String = "aws") {
        self.region = region
        self.accountId = accountId
        self.partition = partition
    }

    /// The ARN of an IoT resource of this account and region.
    public func arn(_ resource: ARN.IoTResource) -> String {
        ARN.iot(resource, region: region, accountId: accountId, partition: partition).description
    }

    /// The IoT resource named by `arn` when it belongs to this scope, else nil.
    public func resource(ofARN arn: String) -> ARN.IoTResource? {
        guard let parsed = ARN(arn), parsed.partition == partition, parsed.region == region,
            parsed.accountId == accountId
        else { return nil }
        return parsed.iotResource
    }
}
