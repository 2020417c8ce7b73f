import Crypto

extension SigV4Request {
    /// Headers botocore never signs (hop-by-hop headers and ones proxies rewrite).
    static let unsignableHeaders: Set<String> = [
        "authorization", "connection", "expect", "keep-alive", "proxy-authenticate",
        "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "user-agent",
        "x-amzn-trace-id",
    ]

    /// The lowercase, sorted, de-duplicated names of the headers a signer signs.
    public var signableHeaderNames: [String] {
        var names = Set<String>()
        for header in headers {
            let name = header.name.asciiLowercased()
            if !Self.unsignableHeaders.contains(name) {
                names.insert(name)
            }
        }
        return names.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
    }

    /// The payload hash the canonical request ends with: the `x-amz-content-sha256` header
    /// when present, otherwise ``payloadHash``.
    public var canonicalPayloadHash: String {
        headers.firstValue(named: "x-amz-content-sha256") ?? payloadHash
    }

    /// The SigV4 canonical request, as botocore builds it for non-S3 services.
    ///
    /// - Parameters:
    ///   - signedHeaders: Lowercase header names to sign, in the order the `SignedHeaders`
    ///     list gives them.
    ///   - excludingQueryParameters: Decoded query parameter names left out of the
    ///     canonical query (`X-Amz-Signature` for presigned requests).
    public func canonicalRequest(signedHeaders: [String], excludingQueryParameters: Set<String> = []) -> String {
        var out = method.uppercased()
        out += "\n"
        out += Self.canonicalURI(path)
        out += "\n"
        out += Self.canonicalQueryString(query, excluding: excludingQueryParameters)
        out += "\n"
        for name in signedHeaders {
            out += name
            out += ":"
            out += Self.canonicalHeaderValue(headers.values(named: name))
            out += "\n"
        }
        out += "\n"
        out += signedHeaders.joined(separator: ";")
        out += "\n"
        out += canonicalPayloadHash
        return out
    }

    /// The canonical URI: dot segments and empty segments removed, then every byte but the
    /// unreserved characters and `/` percent-encoded — including the `%` of escapes already
    /// in the raw path, so `/things/a%3Ab` becomes `/things/a%253Ab` (botocore's
    /// `quote(normalize_url_path(path), safe='/~')`).
    public static func canonicalURI(_ rawPath: String) -> String {
        var out: [UInt8] = []
        AWSPercentEncoding.encode(removingDotSegments(rawPath).utf8, preservingSlash: true, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// RFC 3986 dot-segment removal, also dropping empty segments (`//`), as botocore does;
    /// an empty path becomes `/`.
    static func removingDotSegments(_ path: String) -> String {
        guard !path.isEmpty else { return "/" }
        var output: [Substring] = []
        for segment in path.split(separator: "/", omittingEmptySubsequences: true) {
            switch segment {
            case ".":
                continue
            case "..":
                if !output.isEmpty { output.removeLast() }
            default:
                output.append(segment)
            }
        }
        var result = path.hasPrefix("/") ? "/" : ""
        result += output.joined(separator: "/")
        if path.hasSuffix("/") && !output.isEmpty {
            result += "/"
        }
        return result
    }

    /// The canonical query string: each name and value decoded, re-encoded the AWS way,
    /// sorted by name then value (byte order), and joined as `name=value` with `&`.
    ///
    /// A parameter without `=` gets an empty value; `+` is a literal plus (`%2B`).
    public static func canonicalQueryString(_ rawQuery: String, excluding excluded: Set<String> = []) -> String {
        var pairs: [(name: [UInt8], value: [UInt8])] = []
        for (rawName, rawValue) in splitQuery(rawQuery) {
            let name = AWSPercentEncoding.decode(bytes: rawName, plusAsSpace: false)
            if !excluded.isEmpty, excluded.contains(String(decoding: name, as: UTF8.self)) {
                continue
            }
            var encodedName: [UInt8] = []
            AWSPercentEncoding.encode(name, preservingSlash: false, into: &encodedName)
            var encodedValue: [UInt8] = []
            AWSPercentEncoding.encode(
                AWSPercentEncoding.decode(bytes: rawValue, plusAsSpace: false), preservingSlash: false,
                into: &encodedValue)
            pairs.append((encodedName, encodedValue))
        }
        pairs.sort { lhs, rhs in
            lhs.name == rhs.name
                ? lhs.value.lexicographicallyPrecedes(rhs.value)
                : lhs.name.lexicographicallyPrecedes(rhs.name)
        }
        var out: [UInt8] = []
        for (index, pair) in pairs.enumerated() {
            if index > 0 { out.append(UInt8(ascii: "&")) }
            out += pair.name
            out.append(UInt8(ascii: "="))
            out += pair.value
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The canonical value of a header: each value trimmed with inner whitespace runs
    /// collapsed to one space (Python's `' '.join(v.split())`), values joined by `,`.
    static func canonicalHeaderValue(_ values: [String]) -> String {
        values.map(trimAll).joined(separator: ",")
    }

    static func trimAll(_ value: String) -> String {
        var out = ""
        var pendingSpace = false
        for scalar in value.unicodeScalars {
            if isPythonWhitespace(scalar) {
                pendingSpace = !out.isEmpty
            } else {
                if pendingSpace {
                    out.append(" ")
                    pendingSpace = false
                }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Python's `str.isspace`: Unicode white space plus the ASCII separators U+001C–U+001F.
    private static func isPythonWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.value < 0x80 {
            return (0x09...0x0D).contains(scalar.value) || (0x1C...0x20).contains(scalar.value)
        }
        return scalar.properties.isWhitespace
    }
}
