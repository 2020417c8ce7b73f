import Crypto
import Foundation

/// The three strings SigV4 derives from a request: the canonical request, the string to
/// sign, and the signature itself.
public struct SigV4Signature: Sendable, Hashable {
    /// The signing algorithm name.
    public static let algorithm = "AWS4-HMAC-SHA256"

    /// The canonical request.
    public var canonicalRequest: String
    /// `AWS4-HMAC-SHA256\nTIMESTAMP\nSCOPE\nhex(SHA256(canonicalRequest))`.
    public var stringToSign: String
    /// Lowercase hex HMAC-SHA256 of the string to sign under the derived signing key.
    public var signature: String

    /// Computes the signature of `request`.
    ///
    /// - Parameters:
    ///   - request: The request, with the headers it is sent with.
    ///   - signedHeaders: Lowercase names of the signed headers, in `SignedHeaders` order.
    ///   - excludingQueryParameters: Query parameters not signed (`X-Amz-Signature`).
    ///   - timestamp: The request time in SigV4 form, `20150830T123600Z`.
    ///   - scope: The credential scope.
    ///   - secretAccessKey: The secret key.
    public init(
        request: SigV4Request,
        signedHeaders: [String],
        excludingQueryParameters: Set<String> = [],
        timestamp: String,
        scope: SigV4Scope,
        secretAccessKey: String
    ) {
        canonicalRequest = request.canonicalRequest(
            signedHeaders: signedHeaders, excludingQueryParameters: excludingQueryParameters)
        stringToSign = Self.stringToSign(timestamp: timestamp, scope: scope, canonicalRequest: canonicalRequest)
        signature = Self.signingKey(secretAccessKey: secretAccessKey, scope: scope).signature(for: stringToSign)
    }

    /// The string to sign for a canonical request.
    public static func stringToSign(timestamp: String, scope: SigV4Scope, canonicalRequest: String) -> String {
        let hash = Hex.encode(SHA256.hash(data: Array(canonicalRequest.utf8)))
        return "\(algorithm)\n\(timestamp)\n\(scope)\n\(hash)"
    }

    /// Derives the signing key: `HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request")`.
    public static func signingKey(secretAccessKey: String, scope: SigV4Scope) -> SigningKey {
        var key = Array(("AWS4" + secretAccessKey).utf8)
        for part in [scope.date, scope.region, scope.service, SigV4Scope.terminator] {
            key = Array(HMAC<SHA256>.authenticationCode(for: Array(part.utf8), using: SymmetricKey(data: key)))
        }
        return SigningKey(bytes: key)
    }

    /// A derived SigV4 signing key, valid for one scope.
    public struct SigningKey: Sendable {
        let bytes: [UInt8]

        /// The key bytes in lowercase hex (for checks against published derivations).
        public var hexValue: String {
            Hex.encode(bytes)
        }

        /// Lowercase hex HMAC-SHA256 of `stringToSign`.
        public func signature(for stringToSign: String) -> String {
            Hex.encode(HMAC<SHA256>.authenticationCode(for: Array(stringToSign.utf8), using: SymmetricKey(data: bytes)))
        }
    }
}
