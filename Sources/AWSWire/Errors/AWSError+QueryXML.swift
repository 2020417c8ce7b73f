extension AWSError {
    /// XML namespaces of the query-protocol services.
    public enum QueryNamespace {
        /// Amazon SNS, API version 2010-03-31.
        public static let sns = "http://sns.amazonaws.com/doc/2010-03-31/"
        /// AWS IAM, API version 2010-05-08.
        public static let iam = "https://iam.amazonaws.com/doc/2010-05-08/"
    }

    /// The query-protocol rendering:
    ///
    /// ```xml
    /// <ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/">
    ///   <Error>
    ///     <Type>Sender</Type>
    ///     <Code>NotFound</Code>
    ///     <Message>Topic does not exist</Message>
    ///   </Error>
    ///   <RequestId>…</RequestId>
    /// </ErrorResponse>
    /// ```
    ///
    /// Fields are written inside `<Error>` after `<Message>`, in name order.
    public func queryXMLResponse(xmlNamespace: String, requestId: String) -> AWSResponse {
        var xml = XMLWriter()
        xml.start("ErrorResponse", attributes: [("xmlns", xmlNamespace)])
        xml.start("Error")
        xml.element("Type", isSenderFault ? "Sender" : "Receiver")
        xml.element("Code", code)
        xml.element("Message", message)
        for name in fields.keys.sorted() where !["Type", "Code", "Message"].contains(name) {
            xml.element(name, fields[name] ?? "")
        }
        xml.end()
        xml.element("RequestId", requestId)
        xml.end()
        let bytes = xml.bytes
        return AWSResponse(
            status: httpStatus,
            headers: [
                HeaderField("Content-Type", "text/xml"),
                HeaderField("Content-Length", String(bytes.count)),
                HeaderField("x-amzn-RequestId", requestId),
            ],
            body: bytes)
    }
}
