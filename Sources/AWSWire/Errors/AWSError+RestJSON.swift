extension AWSError {
    /// The namespace AWS puts after the code in `x-amzn-ErrorType`.
    public static let defaultErrorTypeNamespace = "http://internal.amazon.com/coral/com.amazon.coral.service/"

    /// The rest-json rendering: `x-amzn-ErrorType: CODE:NAMESPACE` and the body
    /// `{"message":"…", …fields}`.
    ///
    /// botocore's rest-json parser takes the code from `x-amzn-ErrorType` (cutting it at the
    /// first `:`) and the message from `message` (or `Message`); modeled members come from the
    /// body. Fields are written in name order after `message`; a field called `message` is
    /// ignored.
    ///
    /// - Parameters:
    ///   - requestId: Sent as `x-amzn-RequestId` when given.
    ///   - errorTypeNamespace: What follows the code in `x-amzn-ErrorType`.
    public func restJSONResponse(
        requestId: String? = nil,
        errorTypeNamespace: String = AWSError.defaultErrorTypeNamespace
    ) -> AWSResponse {
        var body = "{\"message\":"
        JSONString.append(message, to: &body)
        for name in fields.keys.sorted() where name != "message" {
            body += ","
            JSONString.append(name, to: &body)
            body += ":"
            JSONString.append(fields[name] ?? "", to: &body)
        }
        body += "}"
        let bytes = Array(body.utf8)
        var headers = [
            HeaderField("Content-Type", "application/json"),
            HeaderField("Content-Length", String(bytes.count)),
            HeaderField("x-amzn-ErrorType", "\(code):\(errorTypeNamespace)"),
        ]
        if let requestId {
            headers.append(HeaderField("x-amzn-RequestId", requestId))
        }
        return AWSResponse(status: httpStatus, headers: headers, body: bytes)
    }
}
