import AWSWire

/// `DescribeEndpoint` (iot): the address devices and clients reach Thingport at.
///
/// Every endpoint type AWS has — `iot:Data` (the default), `iot:Data-ATS`,
/// `iot:CredentialProvider`, `iot:Jobs` — is served by the one Thingport host, so each answers
/// the configured public host (clients take the port separately, as with AWS: MQTT on the
/// MQTT port, HTTPS on the API port). Any other type is an `InvalidRequestException`.
public struct DescribeEndpoint: Sendable {
    /// The endpoint types AWS IoT documents, lowercased.
    static let endpointTypes: Set<String> = ["iot:data", "iot:data-ats", "iot:credentialprovider", "iot:jobs"]

    /// The host answered (the first `--public-host`).
    public var host: String

    /// Creates the operation.
    public init(host: String) {
        self.host = host
    }

    /// Handles the operation.
    @Sendable
    public func handle(_ input: OperationInput, _ context: AuthenticatedRequestContext) throws -> OperationOutput {
        if let type = input.string("endpointType"), !Self.endpointTypes.contains(type.lowercased()) {
            throw ServiceModel.iot.error("InvalidRequestException", "Endpoint type \(type) is not valid.")
        }
        return ["endpointAddress": .string(host)]
    }
}
