import AWSWire
import Foundation
import Testing

/// Published examples: the AWS SigV4 test suite (2015-08-30, `AKIDEXAMPLE`, region
/// `us-east-1`, service `service`) and the IAM `ListUsers` example of the "Signature
/// Version 4 signing process" documentation, with their published canonical requests,
/// string-to-sign hashes and signatures.
@Suite("AWS documented SigV4 examples")
struct AWSDocumentedExampleTests {
    struct Example: Sendable, CustomTestStringConvertible {
        var name: String
        var method: String
        var path: String
        var query: String = ""
        var headers: [HeaderField]
        var body: String = ""
        var service: String = "service"
        var canonicalRequest: String?
        var canonicalRequestHash: String?
        var authorization: String

        var testDescription: String { name }
    }

    static let credentials = SigV4Credentials(
        accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
    static let date = AWSTimestamp.parseSigV4("20150830T123600Z")!
    static let host = HeaderField("Host", "example.amazonaws.com")
    static let amzDate = HeaderField("X-Amz-Date", "20150830T123600Z")
    static let emptyHash = SigV4Request.emptyPayloadHash
    static let credential = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request"

    static let examples: [Example] = [
        Example(
            name: "get-vanilla", method: "GET", path: "/", headers: [host, amzDate],
            canonicalRequest: "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n"
                + emptyHash,
            canonicalRequestHash: "bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63",
            authorization: credential
                + ", SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"
        ),
        Example(
            name: "post-vanilla", method: "POST", path: "/", headers: [host, amzDate],
            authorization: credential
                + ", SignedHeaders=host;x-amz-date, Signature=5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b"
        ),
        Example(
            name: "get-vanilla-query-order-key", method: "GET", path: "/", query: "Param1=value2&Param1=Value1",
            headers: [host, amzDate],
            canonicalRequest: "GET\n/\nParam1=Value1&Param1=value2\nhost:example.amazonaws.com\n"
                + "x-amz-date:20150830T123600Z\n\nhost;x-amz-date\n" + emptyHash,
            canonicalRequestHash: "704b4cef673542d84cdff252633f065e8daeba5f168b77116f8b1bcaf3d38f89",
            authorization: credential
                + ", SignedHeaders=host;x-amz-date, Signature=eedbc4e291e521cf13422ffca22be7d2eb8146eecf653089df300a15b2382bd1"
        ),
        Example(
            name: "get-vanilla-query-order-key-case", method: "GET", path: "/", query: "Param2=value2&Param1=value1",
            headers: [host, amzDate],
            authorization: credential
                + ", SignedHeaders=host;x-amz-date, Signature=b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500"
        ),
        Example(
            name: "get-vanilla-utf8-query", method: "GET", path: "/", query: "\u{1234}=bar", headers: [host, amzDate],
            authorization: credential
                + ", SignedHeaders=host;x-amz-date, Signature=2cdec8eed098649ff3a119c94853b13c643bcf08f8b0a1d91e12c9027818dd04"
        ),
        Example(
            name: "get-header-key-duplicate", method: "GET", path: "/",
            headers: [
                host, HeaderField("My-Header1", "value2"), HeaderField("My-Header1", "value2"),
                HeaderField("My-Header1", "value1"), amzDate,
            ],
            authorization: credential
                + ", SignedHeaders=host;my-header1;x-amz-date, Signature=c9d5ea9f3f72853aea855b47ea873832890dbdd183b4468f858259531a5138ea"
        ),
        Example(
            name: "get-header-value-trim", method: "GET", path: "/",
            headers: [
                host, HeaderField("My-Header1", " value1"), HeaderField("My-Header2", " \"a   b   c\""), amzDate,
            ],
            authorization: credential
                + ", SignedHeaders=host;my-header1;my-header2;x-amz-date, "
                + "Signature=acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736"
        ),
        Example(
            name: "normalize-path/get-space", method: "GET", path: "/example space/", headers: [host, amzDate],
            authorization: credential
                + ", SignedHeaders=host;x-amz-date, Signature=652487583200325589f1fba4c7e578f72c47cb61beeca81406b39ddec1366741"
        ),
        Example(
            name: "normalize-path/get-slashes", method: "GET", path: "//example//", headers: [host, amzDate],
            authorization: credential
                + ", SignedHeaders=host;x-amz-date, Signature=9a624bd73a37c9a373b5312afbebe7a714a789de108f0bdfe846570885f57e84"
        ),
        Example(
            name: "post-x-www-form-urlencoded", method: "POST", path: "/",
            headers: [HeaderField("Content-Type", "application/x-www-form-urlencoded"), host, amzDate],
            body: "Param1=value1",
            canonicalRequest: "POST\n/\n\ncontent-type:application/x-www-form-urlencoded\nhost:example.amazonaws.com\n"
                + "x-amz-date:20150830T123600Z\n\ncontent-type;host;x-amz-date\n"
                + "9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e",
            canonicalRequestHash: "42a5e5bb34198acb3e84da4f085bb7927f2bc277ca766e6d19c73c2154021281",
            authorization: credential
                + ", SignedHeaders=content-type;host;x-amz-date, "
                + "Signature=ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a"
        ),
        Example(
            name: "IAM ListUsers (Signature Version 4 signing process)", method: "GET", path: "/",
            query: "Action=ListUsers&Version=2010-05-08",
            headers: [
                HeaderField("Host", "iam.amazonaws.com"),
                HeaderField("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"), amzDate,
            ],
            service: "iam",
            canonicalRequest: "GET\n/\nAction=ListUsers&Version=2010-05-08\n"
                + "content-type:application/x-www-form-urlencoded; charset=utf-8\nhost:iam.amazonaws.com\n"
                + "x-amz-date:20150830T123600Z\n\ncontent-type;host;x-amz-date\n" + emptyHash,
            canonicalRequestHash: "f536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59",
            authorization: "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, "
                + "SignedHeaders=content-type;host;x-amz-date, "
                + "Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7"
        ),
    ]

    static func request(_ example: Example) -> SigV4Request {
        SigV4Request(
            method: example.method, path: example.path, query: example.query, headers: example.headers,
            body: Array(example.body.utf8))
    }

    @Test("the signer produces the published signature", arguments: examples)
    func signerMatches(_ example: Example) {
        let signer = SigV4Signer(credentials: Self.credentials, region: "us-east-1", service: example.service)
        let signed = signer.sign(Self.request(example), at: Self.date)
        #expect(signed.authorization == example.authorization)
        if let canonical = example.canonicalRequest {
            #expect(signed.signature.canonicalRequest == canonical)
        }
        if let hash = example.canonicalRequestHash {
            #expect(signed.signature.stringToSign.hasSuffix("\n" + hash))
            #expect(
                signed.signature.stringToSign
                    == "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/\(example.service)/aws4_request\n\(hash)"
            )
        }
    }

    @Test("the verifier accepts the published request", arguments: examples)
    func verifierAccepts(_ example: Example) throws {
        var request = Self.request(example)
        request.headers.append(HeaderField("Authorization", example.authorization))
        // The test suite's raw requests carry UTF-8 and spaces unencoded; a real client would
        // encode them, which changes nothing since the canonical form re-encodes.
        let identity = try SigV4Verifier().verify(request, now: Self.date) { key in
            key == "AKIDEXAMPLE" ? Self.credentials.secretAccessKey : nil
        }
        #expect(identity.service == example.service)
        #expect(identity.scope.date == "20150830")
    }

    @Test func theDocumentedSigningKeyDerivation() {
        let scope = SigV4Scope(date: "20150830", region: "us-east-1", service: "iam")
        let key = SigV4Signature.signingKey(secretAccessKey: Self.credentials.secretAccessKey, scope: scope)
        #expect(key.hexValue == "c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9")
    }
}
