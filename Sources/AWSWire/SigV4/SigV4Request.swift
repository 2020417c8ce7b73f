import Crypto
import Foundation

/// An HTTP request as SigV4 sees it, independent of any HTTP library.
///
/// `path` and `query` are the raw strings from the request line, exactly as sent on the
/// wire (still percent-encoded): SigV4 for non-S3 services encodes the raw path once
/// more, so decoding it first would change the signature. Include the `Host` header;
/// SigV4 signs it.
public struct SigV4Request: Sendable, Hashable {
    /// The HTTP method, such as `GET`.
    public var method: String
    /// The raw path, percent-encoded as on the wire (`/things/my%3Athing`).
    public var path: String
    /// The raw query string without the leading `?` (empty when there is none).
    public var query: String
    /// The headers in the order they were sent; names may repeat.
    public var headers: [HeaderField]
    /// Lowercase hex SHA-256 of the body, or ``unsignedPayload``.
    ///
    /// When the request carries an `x-amz-content-sha256` header, the canonical request
    /// uses that header's value instead (as botocore does) and the verifier checks the two
    /// agree.
    public var payloadHash: String

    /// The SHA-256 of an empty body.
    public static let emptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    /// The payload hash placeholder for a body that is not signed.
    public static let unsignedPayload = "UNSIGNED-PAYLOAD"

    /// Creates a request from its parts and the hash of its body.
    public init(
        method: String,
        path: String,
        query: String = "",
        headers: [HeaderField] = [],
        payloadHash: String = SigV4Request.emptyPayloadHash
    ) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.payloadHash = payloadHash
    }

    /// Creates a request from its parts and its body, which is hashed.
    public init(
        method: String,
        path: String,
        query: String = "",
        headers: [HeaderField] = [],
        body: some DataProtocol
    ) {
        self.init(
            method: method, path: path, query: query, headers: headers,
            payloadHash: Self.payloadHash(of: body))
    }

    /// Lowercase hex SHA-256 of `body`.
    public static func payloadHash(of body: some DataProtocol) -> String {
        Hex.encode(SHA256.hash(data: body))
    }

    /// The query split into decoded name/value pairs, in order (`+` is not a space here).
    public var queryItems: [(name: String, value: String)] {
        Self.splitQuery(query).map {
            (
                String(decoding: AWSPercentEncoding.decode(bytes: $0.name, plusAsSpace: false), as: UTF8.self),
                String(decoding: AWSPercentEncoding.decode(bytes: $0.value, plusAsSpace: false), as: UTF8.self)
            )
        }
    }

    /// The decoded value of the first query parameter called `name`.
    public func queryValue(named name: String) -> String? {
        queryItems.first { $0.name == name }?.value
    }

    /// Splits a raw query on `&` and the first `=` of each part; empty parts are skipped.
    static func splitQuery(_ query: String) -> [(name: ArraySlice<UInt8>, value: ArraySlice<UInt8>)] {
        let bytes = Array(query.utf8)
        var result: [(ArraySlice<UInt8>, ArraySlice<UInt8>)] = []
        for part in bytes.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            if let equals = part.firstIndex(of: UInt8(ascii: "=")) {
                result.append((part[part.startIndex..<equals], part[(equals + 1)...]))
            } else {
                result.append((part, []))
            }
        }
        return result
    }
}
