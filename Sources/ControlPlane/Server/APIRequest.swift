import AWSWire

/// A received HTTP request as the AWS layers see it: raw path and query (still
/// percent-encoded, as SigV4 and URI labels need them), headers in order, and the whole body.
public struct APIRequest: Sendable, Hashable {
    /// The HTTP method (`GET`, `POST`…).
    public var method: String
    /// The raw path (`/things/a%3Ab`).
    public var path: String
    /// The raw query without `?` (empty when none).
    public var query: String
    /// The headers, including `Host`.
    public var headers: [HeaderField]
    /// The body bytes.
    public var body: [UInt8]

    /// Creates a request.
    public init(method: String, path: String, query: String = "", headers: [HeaderField] = [], body: [UInt8] = []) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
    }

    /// The query parameters, decoded, in order (`+` is a space).
    var queryItems: [(name: String, value: String)] {
        query.split(separator: "&", omittingEmptySubsequences: true).map { part in
            let pieces = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let value = pieces.count > 1 ? AWSPercentEncoding.decode(pieces[1], plusAsSpace: true) : ""
            return (AWSPercentEncoding.decode(pieces[0], plusAsSpace: true), value)
        }
    }

    /// The request as SigV4 verifies it.
    var sigV4Request: SigV4Request {
        SigV4Request(method: method, path: path, query: query, headers: headers, body: body)
    }
}
