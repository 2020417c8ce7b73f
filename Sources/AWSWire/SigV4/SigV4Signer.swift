import Foundation

/// Signs requests with AWS Signature Version 4, the way botocore does for non-S3 services.
///
/// ```swift
/// let signer = SigV4Signer(credentials: credentials, region: "us-east-1", service: "iot")
/// let signed = signer.sign(request, at: Date())
/// // send signed.request: it now carries X-Amz-Date and Authorization
/// ```
public struct SigV4Signer: Sendable {
    /// The credentials requests are signed with.
    public var credentials: SigV4Credentials
    /// The region of the credential scope.
    public var region: String
    /// The service signing name of the credential scope (`iot`, `iotdata`, `sns`, `iam`).
    public var service: String
    /// When `false`, the body is not signed: the signer adds `X-Amz-Content-SHA256:
    /// UNSIGNED-PAYLOAD` (botocore's behaviour when payload signing is disabled over HTTPS).
    public var signsPayload: Bool

    /// Creates a signer.
    public init(credentials: SigV4Credentials, region: String, service: String, signsPayload: Bool = true) {
        self.credentials = credentials
        self.region = region
        self.service = service
        self.signsPayload = signsPayload
    }

    /// Signs `request` with an `Authorization` header.
    ///
    /// Any `Authorization`, `X-Amz-Date` and `X-Amz-Security-Token` headers already present
    /// are replaced; `X-Amz-Date`, then `X-Amz-Security-Token` (temporary credentials), then
    /// `Authorization` are appended. Every header present is signed except hop-by-hop ones
    /// and `User-Agent`; include `Host`. A `Date` header is signed like any other header
    /// (botocore would instead sign with `Date`; servers accept both).
    ///
    /// - Parameters:
    ///   - request: The request to sign, with its raw path and query.
    ///   - date: The signing time (whole seconds are used).
    /// - Returns: The signed request and the intermediate SigV4 strings.
    public func sign(_ request: SigV4Request, at date: Date) -> SigV4SignedRequest {
        var signed = request
        let timestamp = AWSTimestamp.sigV4(date)
        signed.headers.removeAll(named: "authorization")
        signed.headers.removeAll(named: "x-amz-date")
        signed.headers.append(HeaderField("X-Amz-Date", timestamp))
        if let token = credentials.sessionToken {
            signed.headers.removeAll(named: "x-amz-security-token")
            signed.headers.append(HeaderField("X-Amz-Security-Token", token))
        }
        if !signsPayload {
            signed.headers.removeAll(named: "x-amz-content-sha256")
            signed.headers.append(HeaderField("X-Amz-Content-SHA256", SigV4Request.unsignedPayload))
        }
        let scope = SigV4Scope(timestamp: date, region: region, service: service)
        let signedHeaders = signed.signableHeaderNames
        let signature = SigV4Signature(
            request: signed, signedHeaders: signedHeaders, timestamp: timestamp, scope: scope,
            secretAccessKey: credentials.secretAccessKey)
        let authorization =
            "\(SigV4Signature.algorithm) Credential=\(credentials.accessKeyId)/\(scope), "
            + "SignedHeaders=\(signedHeaders.joined(separator: ";")), Signature=\(signature.signature)"
        signed.headers.append(HeaderField("Authorization", authorization))
        return SigV4SignedRequest(request: signed, signature: signature)
    }

    /// Presigns `request`: the authentication goes into the query string, as botocore's
    /// `SigV4QueryAuth` does.
    ///
    /// `X-Amz-Algorithm`, `X-Amz-Credential`, `X-Amz-Date`, `X-Amz-Expires`,
    /// `X-Amz-SignedHeaders` and (temporary credentials) `X-Amz-Security-Token` are appended
    /// to the raw query, the result is signed, and `X-Amz-Signature` is appended last. The
    /// body is left alone (botocore moves form parameters into the query first; do that
    /// before calling, if wanted).
    ///
    /// - Parameters:
    ///   - request: The request to presign, with `Host`.
    ///   - date: The signing time.
    ///   - expires: Seconds the URL stays valid, 1...604800.
    public func presign(_ request: SigV4Request, at date: Date, expires: Int) -> SigV4SignedRequest {
        var signed = request
        let timestamp = AWSTimestamp.sigV4(date)
        let scope = SigV4Scope(timestamp: date, region: region, service: service)
        let signedHeaders = signed.signableHeaderNames
        var parameters: [(String, String)] = [
            ("X-Amz-Algorithm", SigV4Signature.algorithm),
            ("X-Amz-Credential", "\(credentials.accessKeyId)/\(scope)"),
            ("X-Amz-Date", timestamp),
            ("X-Amz-Expires", String(expires)),
            ("X-Amz-SignedHeaders", signedHeaders.joined(separator: ";")),
        ]
        if let token = credentials.sessionToken {
            parameters.append(("X-Amz-Security-Token", token))
        }
        let encoded = parameters.map {
            AWSPercentEncoding.encode($0.0) + "=" + AWSPercentEncoding.encode($0.1)
        }.joined(separator: "&")
        signed.query = signed.query.isEmpty ? encoded : signed.query + "&" + encoded
        let signature = SigV4Signature(
            request: signed, signedHeaders: signedHeaders, timestamp: timestamp, scope: scope,
            secretAccessKey: credentials.secretAccessKey)
        signed.query += "&X-Amz-Signature=" + signature.signature
        return SigV4SignedRequest(request: signed, signature: signature)
    }
}

/// A request after signing, with the SigV4 strings computed on the way.
public struct SigV4SignedRequest: Sendable, Hashable {
    /// The request to send.
    public var request: SigV4Request
    /// The canonical request, string to sign and signature.
    public var signature: SigV4Signature

    /// The `Authorization` header value (nil for a presigned request).
    public var authorization: String? {
        request.headers.firstValue(named: "authorization")
    }
}
