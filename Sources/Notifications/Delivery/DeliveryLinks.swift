/// The links Thingport puts into deliveries, all on its public API address: the subscription
/// confirmation link (`SubscribeURL`), the unsubscribe link (`UnsubscribeURL` and the e-mail footer)
/// and the signing certificate (`SigningCertURL`).
///
/// The confirmation and unsubscribe links are the unsigned `GET` requests AWS accepts
/// (`/?Action=ConfirmSubscription&TopicArn=…&Token=…`, `/?Action=Unsubscribe&SubscriptionArn=…`);
/// the API answers them without SigV4.
public struct DeliveryLinks: Sendable, Hashable {
    /// The path at which the API serves the signing certificate (PEM).
    public static let signingCertificatePath = "/_thingport/sns/signing-cert.pem"

    /// The public API base URL without a trailing slash, e.g. `http://localhost:8080`.
    public let baseURL: String

    /// Creates the links for a public API base URL such as `http://localhost:8080` or
    /// `https://iot.example.com` (a trailing slash is ignored).
    public init(publicAPIBaseURL: String) {
        var base = publicAPIBaseURL
        while base.hasSuffix("/") {
            base.removeLast()
        }
        self.baseURL = base
    }

    /// `SigningCertURL`.
    public var signingCertURL: String { self.baseURL + Self.signingCertificatePath }

    /// `SubscribeURL`: `BASE/?Action=ConfirmSubscription&TopicArn=…&Token=…`.
    public func subscribeURL(topicArn: String, token: String) -> String {
        "\(self.baseURL)/?Action=ConfirmSubscription&TopicArn=\(Self.encoded(topicArn))&Token=\(Self.encoded(token))"
    }

    /// `UnsubscribeURL`: `BASE/?Action=Unsubscribe&SubscriptionArn=…`.
    public func unsubscribeURL(subscriptionArn: String) -> String {
        "\(self.baseURL)/?Action=Unsubscribe&SubscriptionArn=\(Self.encoded(subscriptionArn))"
    }

    /// Percent-encodes everything but RFC 3986 unreserved characters and `:`, so ARNs and hex tokens
    /// appear as they are (as in AWS's links) and nothing else can break the query.
    static func encoded(_ value: String) -> String {
        var result = ""
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"), UInt8(ascii: ":"):
                result.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = Array("0123456789ABCDEF".unicodeScalars)
                result.unicodeScalars.append("%")
                result.unicodeScalars.append(hex[Int(byte >> 4)])
                result.unicodeScalars.append(hex[Int(byte & 0x0F)])
            }
        }
        return result
    }
}
