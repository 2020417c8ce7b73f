extension SigV4Error {
    /// The AWS error a service of `wireProtocol` answers this failure with.
    ///
    /// | failure | rest-json (iot, iotdata) | query (sns, iam) |
    /// |---|---|---|
    /// | missing authentication | `MissingAuthenticationTokenException` 403 | `MissingAuthenticationToken` 403 |
    /// | incomplete signature | `IncompleteSignatureException` 403 | `IncompleteSignature` 403 |
    /// | unknown access key | `UnrecognizedClientException` 403 | `InvalidClientTokenId` 403 |
    /// | signature mismatch | `InvalidSignatureException` 403 | `SignatureDoesNotMatch` 403 |
    /// | clock skew | `InvalidSignatureException` 403 | `SignatureDoesNotMatch` 403 |
    /// | presigned URL expired | `InvalidSignatureException` 403 | `RequestExpired` 400 |
    ///
    /// A request outside the clock-skew window gets "Signature expired: … (… - 15 min.)" or
    /// "Signature not yet current: …" under the signature-mismatch code, as AWS answers
    /// (SNS and STS send `SignatureDoesNotMatch` for it).
    public func awsError(for wireProtocol: AWSProtocol) -> AWSError {
        let (code, status, message): (String, Int, String)
        switch (self.code.base, wireProtocol) {
        case (.missingAuthentication, .restJSON):
            (code, status, message) = ("MissingAuthenticationTokenException", 403, "Missing Authentication Token")
        case (.missingAuthentication, .query):
            (code, status, message) = ("MissingAuthenticationToken", 403, "Request is missing Authentication Token")
        case (.incompleteSignature, .restJSON):
            (code, status, message) = ("IncompleteSignatureException", 403, self.message)
        case (.incompleteSignature, .query):
            (code, status, message) = ("IncompleteSignature", 403, self.message)
        case (.unknownAccessKey, .restJSON):
            (code, status, message) = ("UnrecognizedClientException", 403, self.message)
        case (.unknownAccessKey, .query):
            (code, status, message) = ("InvalidClientTokenId", 403, self.message)
        case (.signatureDoesNotMatch, .restJSON), (.signatureExpired, .restJSON), (.requestExpired, .restJSON):
            (code, status, message) = ("InvalidSignatureException", 403, self.message)
        case (.signatureDoesNotMatch, .query), (.signatureExpired, .query):
            (code, status, message) = ("SignatureDoesNotMatch", 403, self.message)
        case (.requestExpired, .query):
            (code, status, message) = ("RequestExpired", 400, self.message)
        }
        return AWSError(code: code, message: message, httpStatus: status)
    }
}
