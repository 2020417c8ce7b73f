import AWSWire
import Hummingbird

extension APIRequest {
    /// The AWS view of a Hummingbird request whose body has been collected.
    ///
    /// HTTP/1 moves `Host` into the `:authority` pseudo-header; it is put back as `Host`, which
    /// SigV4 signs.
    init(_ request: Request, body: [UInt8]) {
        let target = request.head.path ?? "/"
        let path: Substring
        let query: Substring
        if let mark = target.firstIndex(of: "?") {
            path = target[..<mark]
            query = target[target.index(after: mark)...]
        } else {
            (path, query) = (target[...], "")
        }
        var headers: [HeaderField] = []
        headers.reserveCapacity(request.headers.count + 1)
        if let authority = request.head.authority, !request.headers.contains(where: { $0.name.canonicalName == "host" })
        {
            headers.append(HeaderField("Host", authority))
        }
        for field in request.headers {
            headers.append(HeaderField(field.name.rawName, field.value))
        }
        self.init(
            method: request.method.rawValue, path: String(path), query: String(query), headers: headers, body: body)
    }
}

extension Response {
    /// A Hummingbird response from an AWS response value.
    init(_ response: AWSResponse) {
        var fields = HTTPFields()
        for header in response.headers {
            if let name = HTTPFields.Element.Name(header.name) {
                fields.append(HTTPFields.Element(name: name, value: header.value))
            }
        }
        self.init(
            status: HTTPResponse.Status(code: response.status), headers: fields,
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: response.body)))
    }
}
