/// The wire protocols of the services Thingport speaks.
public enum AWSProtocol: Sendable, Hashable {
    /// JSON bodies, REST paths (iot, iot-data): errors are `{"message": …}` plus `x-amzn-ErrorType`.
    case restJSON
    /// Form-encoded requests with XML responses (sns, iam): errors are `<ErrorResponse>`.
    case query

    /// The protocol of a service, by its SigV4 signing name (`iot`, `iotdata`, `sns`, `iam`,
    /// `sts`); nil for a service Thingport does not know.
    public init?(signingName: String) {
        switch signingName {
        case "iot", "iotdata", "iot-data": self = .restJSON
        case "sns", "iam", "sts": self = .query
        default: return nil
        }
    }
}
