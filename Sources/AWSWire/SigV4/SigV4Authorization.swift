import Foundation

/// The SigV4 authentication a request carries, parsed from its `Authorization` header
/// (`AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…`) or from its presigned
/// query (`X-Amz-Algorithm`, `X-Amz-Credential`, `X-Amz-Date`, `X-Amz-Expires`,
/// `X-Amz-SignedHeaders`, `X-Amz-Signature`, optional `X-Amz-Security-Token`).
public struct SigV4Authorization: Sendable, Hashable {
    /// Where a request carries its signature.
    public enum Location: Sendable, Hashable {
        /// In the `Authorization` header.
        case header
        /// In the query string (a presigned URL).
        case query
    }

    /// Where the signature was found.
    public var location: Location
    /// The access key id of the credential.
    public var accessKeyId: String
    /// The credential scope.
    public var scope: SigV4Scope
    /// The signed header names, lowercased, in the order given.
    public var signedHeaders: [String]
    /// The signature as sent.
    public var signature: String
    /// The request time in SigV4 form, as it enters the string to sign.
    public var timestamp: String
    /// The request time.
    public var date: Date
    /// Seconds a presigned request stays valid (`X-Amz-Expires`); nil for the header form.
    public var expires: Int?
    /// The session token (`X-Amz-Security-Token` header or query parameter), if any.
    public var securityToken: String?

    static let presignedParameters = [
        "X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Signature", "X-Amz-Date", "X-Amz-SignedHeaders",
        "X-Amz-Expires",
    ]
    static let maximumExpires = 604_800

    /// Parses the authentication of `request`.
    ///
    /// - Throws: ``SigV4Error`` with code ``SigV4Error/Code/missingAuthentication`` when there
    ///   is none, or ``SigV4Error/Code/incompleteSignature`` (with AWS's message) when it is
    ///   malformed.
    public init(parsing request: SigV4Request) throws(SigV4Error) {
        let header = request.headers.firstValue(named: "authorization")
        let query = request.queryItems
        let isPresigned = query.contains { item in
            item.name == "X-Amz-Algorithm" || item.name == "X-Amz-Credential" || item.name == "X-Amz-Signature"
        }
        switch (header, isPresigned) {
        case (.some, true):
            throw .incomplete(
                "Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, "
                    + "Signature query string parameter or the Authorization header should be specified")
        case (.some(let header), false):
            try self.init(header: header, request: request)
        case (.none, true):
            try self.init(query: query, request: request)
        case (.none, false):
            throw SigV4Error(code: .missingAuthentication, message: "Missing Authentication Token")
        }
    }

    private init(header: String, request: SigV4Request) throws(SigV4Error) {
        var credential: String?
        var signedHeaders: String?
        var signature: String?
        let trimmed = header.trimmingHorizontalWhitespace()
        let prefix = SigV4Signature.algorithm + " "
        if trimmed.hasPrefix(prefix) {
            for part in trimmed.dropFirst(prefix.count).split(separator: ",") {
                let item = part.trimmingHorizontalWhitespace()
                if item.isEmpty { continue }
                guard let equals = item.firstIndex(of: "=") else {
                    throw .incomplete(
                        "'\(item)' not a valid key=value pair (missing equal-sign) in Authorization header: '\(header)'."
                    )
                }
                let key = item[..<equals]
                let value = String(item[item.index(after: equals)...])
                switch key {
                case "Credential": credential = value
                case "SignedHeaders": signedHeaders = value
                case "Signature": signature = value
                default: continue
                }
            }
        }
        let dateHeader = request.headers.firstValue(named: "x-amz-date")
        let httpDateHeader = request.headers.firstValue(named: "date")
        var problems: [String] = []
        if credential == nil { problems.append("Authorization header requires 'Credential' parameter.") }
        if signature == nil { problems.append("Authorization header requires 'Signature' parameter.") }
        if signedHeaders == nil { problems.append("Authorization header requires 'SignedHeaders' parameter.") }
        if dateHeader == nil && httpDateHeader == nil {
            problems.append("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.")
        }
        guard problems.isEmpty, let credential, let signedHeaders, let signature else {
            throw .incomplete(problems.joined(separator: " ") + " Authorization=" + header)
        }

        let timestamp: String
        let date: Date
        if let dateHeader {
            guard let parsed = AWSTimestamp.parseSigV4(dateHeader) else {
                throw .incomplete(
                    "Date must be in ISO-8601 'basic format'. Got '\(dateHeader)'. See http://en.wikipedia.org/wiki/ISO_8601"
                )
            }
            (timestamp, date) = (dateHeader, parsed)
        } else {
            let value = httpDateHeader ?? ""
            guard let parsed = AWSTimestamp.parseHTTPDate(value) else {
                throw .incomplete("Date must be in RFC 1123 format. Got '\(value)'.")
            }
            (timestamp, date) = (AWSTimestamp.sigV4(parsed), parsed)
        }
        try self.init(
            location: .header, credential: credential, signedHeaders: signedHeaders, signature: signature,
            timestamp: timestamp, date: date, expires: nil,
            securityToken: request.headers.firstValue(named: "x-amz-security-token"))
    }

    private init(query: [(name: String, value: String)], request: SigV4Request) throws(SigV4Error) {
        func value(_ name: String) -> String? {
            query.first { $0.name == name }?.value
        }
        guard Self.presignedParameters.allSatisfy({ value($0) != nil }),
            let algorithm = value("X-Amz-Algorithm"), let credential = value("X-Amz-Credential"),
            let signature = value("X-Amz-Signature"), let dateValue = value("X-Amz-Date"),
            let signedHeaders = value("X-Amz-SignedHeaders"), let expiresValue = value("X-Amz-Expires")
        else {
            throw .incomplete(
                "AWS query-string parameters must include 'X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Signature', "
                    + "'X-Amz-Date', 'X-Amz-SignedHeaders', and 'X-Amz-Expires'. Re-examine the query-string parameters."
            )
        }
        guard algorithm == SigV4Signature.algorithm else {
            throw .incomplete("X-Amz-Algorithm only supports \"\(SigV4Signature.algorithm)\"")
        }
        guard let expires = Int(expiresValue) else {
            throw .incomplete("X-Amz-Expires should be a number")
        }
        guard expires >= 0 else {
            throw .incomplete("X-Amz-Expires must be non-negative")
        }
        guard expires <= Self.maximumExpires else {
            throw .incomplete("X-Amz-Expires must be less than a week (in seconds) that is \(Self.maximumExpires)")
        }
        guard let date = AWSTimestamp.parseSigV4(dateValue) else {
            throw .incomplete(
                "Date must be in ISO-8601 'basic format'. Got '\(dateValue)'. See http://en.wikipedia.org/wiki/ISO_8601"
            )
        }
        try self.init(
            location: .query, credential: credential, signedHeaders: signedHeaders, signature: signature,
            timestamp: dateValue, date: date, expires: expires, securityToken: value("X-Amz-Security-Token"))
    }

    private init(
        location: Location, credential: String, signedHeaders: String, signature: String, timestamp: String,
        date: Date, expires: Int?, securityToken: String?
    ) throws(SigV4Error) {
        let parts = credential.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 5 else {
            throw .incomplete(
                "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, "
                    + "got '\(credential)'")
        }
        guard parts[4] == SigV4Scope.terminator else {
            throw .incomplete(
                "Credential should be scoped with a valid terminator: '\(SigV4Scope.terminator)', not '\(parts[4])'.")
        }
        let names = signedHeaders.split(separator: ";").map { String($0).asciiLowercased() }
        guard names.contains("host") else {
            throw .incomplete("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.")
        }
        self.location = location
        self.accessKeyId = String(parts[0])
        self.scope = SigV4Scope(date: String(parts[1]), region: String(parts[2]), service: String(parts[3]))
        self.signedHeaders = names
        self.signature = signature
        self.timestamp = timestamp
        self.date = date
        self.expires = expires
        self.securityToken = securityToken
    }
}
