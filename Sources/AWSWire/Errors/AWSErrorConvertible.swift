/// An error that answers an API request as an AWS error: the control plane renders any thrown
/// error of this kind with its ``awsError``, whichever service threw it (registry, IAM, SNS…).
public protocol AWSErrorConvertible: Error {
    /// The error as the service's wire protocol returns it.
    var awsError: AWSError { get }
}

extension AWSError: AWSErrorConvertible {
    /// The error itself.
    public var awsError: AWSError { self }
}
