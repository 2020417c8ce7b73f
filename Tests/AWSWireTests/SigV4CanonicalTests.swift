import AWSWire
import Testing

@Suite("SigV4 canonical forms")
struct SigV4CanonicalTests {
    @Test(arguments: [
        ("", "/"),
        ("/", "/"),
        ("//", "/"),
        ("/a/./b/../c", "/a/c"),
        ("/a/b/..", "/a"),
        ("/a/b/../", "/a/"),
        ("/..", "/"),
        ("/../a/", "/a/"),
        ("/things//x/", "/things/x/"),
        ("/things/a%20b", "/things/a%2520b"),
        ("/things/my%3Athing_1-a.b~c", "/things/my%253Athing_1-a.b~c"),
        ("/a b", "/a%20b"),
        ("/\u{1234}", "/%E1%88%B4"),
        ("/a:b@c!*'()", "/a%3Ab%40c%21%2A%27%28%29"),
        ("/%2E%2E/x", "/%252E%252E/x"),
    ])
    func canonicalURI(raw: String, canonical: String) {
        #expect(SigV4Request.canonicalURI(raw) == canonical)
    }

    @Test(arguments: [
        ("", ""),
        ("b=2&a=1", "a=1&b=2"),
        ("a=2&a=1", "a=1&a=2"),
        ("B=1&a=1", "B=1&a=1"),
        ("a-b=1&a=2", "a=2&a-b=1"),
        ("flag", "flag="),
        ("empty=", "empty="),
        ("&&a=1&", "a=1"),
        ("a+b=c+d", "a%2Bb=c%2Bd"),
        ("x=%7e&y=%7E", "x=~&y=~"),
        ("x=%zz&y=%4", "x=%25zz&y=%254"),
        ("a=b=c", "a=b%3Dc"),
        ("sp=a b&slash=/", "slash=%2F&sp=a%20b"),
        ("k=%E2%98%83", "k=%E2%98%83"),
        ("u=\u{2603}", "u=%E2%98%83"),
    ])
    func canonicalQuery(raw: String, canonical: String) {
        #expect(SigV4Request.canonicalQueryString(raw) == canonical)
    }

    @Test func queryParametersCanBeLeftOut() {
        #expect(
            SigV4Request.canonicalQueryString(
                "X-Amz-Signature=abc&a=1&X-Amz%2DSignature=d", excluding: ["X-Amz-Signature"])
                == "a=1")
    }

    @Test func headerValuesAreTrimmedCollapsedAndJoined() {
        let request = SigV4Request(
            method: "get", path: "/",
            headers: [
                HeaderField("Host", "h"), HeaderField("X-A", "\t a   b\t\tc \n"), HeaderField("x-a", "second"),
                HeaderField("X-B", "   "), HeaderField("X-C", "nbsp\u{00A0}\u{00A0}end"),
            ])
        #expect(
            request.canonicalRequest(signedHeaders: ["host", "x-a", "x-b", "x-c", "x-missing"])
                == "GET\n/\n\nhost:h\nx-a:a b c,second\nx-b:\nx-c:nbsp end\nx-missing:\n\nhost;x-a;x-b;x-c;x-missing\n"
                + SigV4Request.emptyPayloadHash)
    }

    @Test func hopByHopHeadersAndTheUserAgentAreNotSigned() {
        let request = SigV4Request(
            method: "GET", path: "/",
            headers: [
                "Host", "User-Agent", "Connection", "Expect", "Keep-Alive", "TE", "Trailer", "Transfer-Encoding",
                "Upgrade", "Proxy-Authorization", "X-Amzn-Trace-Id", "Authorization", "Content-Type", "x-amz-date",
                "X-Custom",
            ].map { HeaderField($0, "v") })
        #expect(request.signableHeaderNames == ["content-type", "host", "x-amz-date", "x-custom"])
    }

    @Test func theContentHashHeaderWinsOverThePayloadHash() {
        var request = SigV4Request(method: "PUT", path: "/", body: Array("abc".utf8))
        #expect(request.payloadHash == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(request.canonicalPayloadHash == request.payloadHash)
        request.headers.append(HeaderField("X-Amz-Content-SHA256", "UNSIGNED-PAYLOAD"))
        #expect(request.canonicalPayloadHash == "UNSIGNED-PAYLOAD")
    }

    @Test func percentEncodingFollowsTheAWSRules() {
        #expect(AWSPercentEncoding.encode("a b~c/d-_.*+") == "a%20b~c%2Fd-_.%2A%2B")
        #expect(AWSPercentEncoding.encode("dir/sub dir/", preservingSlash: true) == "dir/sub%20dir/")
        #expect(AWSPercentEncoding.encode("caf\u{E9}") == "caf%C3%A9")
        #expect(AWSPercentEncoding.decode("a+b%20c%2B%zz%") == "a+b c+%zz%")
        #expect(AWSPercentEncoding.decode("a+b", plusAsSpace: true) == "a b")
        #expect(AWSPercentEncoding.decode("%FF") == "\u{FFFD}")
    }
}
