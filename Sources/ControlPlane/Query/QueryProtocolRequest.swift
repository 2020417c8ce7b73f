import AWSWire

/// Reading the parameters of a query-protocol request.
enum QueryProtocolRequest {
    /// The parameters of `request`: those of its query string (less the presigning
    /// `X-Amz-*` ones) and, for a form-encoded body, the body's, which win.
    static func parameters(of request: APIRequest) -> [String: String] {
        var parameters: [String: String] = [:]
        for item in request.queryItems where !item.name.hasPrefix("X-Amz-") && parameters[item.name] == nil {
            parameters[item.name] = item.value
        }
        let contentType = request.headers.firstValue(named: "content-type")?.lowercased() ?? ""
        if !request.body.isEmpty, contentType.isEmpty || contentType.hasPrefix("application/x-www-form-urlencoded") {
            for (name, value) in QueryParameters(formEncoded: request.body).values {
                parameters[name] = value
            }
        }
        return parameters
    }
}
