/// The `SignatureVersion` of an SNS message: which digest the RSA signature is made over.
public enum SNSSignatureVersion: String, Sendable, Hashable, CaseIterable {
    /// `SHA1withRSA`, AWS's default.
    case v1 = "1"
    /// `SHA256withRSA`.
    case v2 = "2"

    /// The version a topic's `SignatureVersion` attribute asks for: `2` for ``v2``, anything else
    /// (absent, `1`, unknown) ``v1``, as AWS signs when the attribute is not set.
    public init(topicAttribute value: String?) {
        self = value == Self.v2.rawValue ? .v2 : .v1
    }
}
