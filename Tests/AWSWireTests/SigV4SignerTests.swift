import AWSWire
import Foundation
import Testing

@Suite("SigV4 signer")
struct SigV4SignerTests {
    static let credentials = SigV4Credentials(accessKeyId: "AKID", secretAccessKey: "secret", sessionToken: "tok")
    static let date = Date(timeIntervalSince1970: 1_440_938_160.75)

    @Test func signingReplacesEarlierAuthenticationHeaders() {
        let request = SigV4Request(
            method: "get", path: "/things", query: "",
            headers: [
                HeaderField("Host", "localhost"), HeaderField("authorization", "stale"),
                HeaderField("x-amz-date", "19990101T000000Z"), HeaderField("X-Amz-Security-Token", "old"),
                HeaderField("User-Agent", "test/1.0"),
            ])
        let signer = SigV4Signer(credentials: Self.credentials, region: "eu-west-1", service: "iot")
        let signed = signer.sign(request, at: Self.date)
        #expect(
            signed.request.headers.map(\.name) == [
                "Host", "User-Agent", "X-Amz-Date", "X-Amz-Security-Token", "Authorization",
            ])
        #expect(signed.request.headers.firstValue(named: "x-amz-date") == "20150830T123600Z")
        #expect(signed.request.headers.firstValue(named: "x-amz-security-token") == "tok")
        #expect(
            signed.authorization?.hasPrefix(
                "AWS4-HMAC-SHA256 Credential=AKID/20150830/eu-west-1/iot/aws4_request, "
                    + "SignedHeaders=host;x-amz-date;x-amz-security-token, Signature=") == true)
        #expect(signed.signature.canonicalRequest.hasPrefix("GET\n/things\n\n"))
        #expect(signed.signature.signature.count == 64)
        // Signing is deterministic and the result verifies.
        #expect(signer.sign(request, at: Self.date) == signed)
        #expect(throws: Never.self) {
            try SigV4Verifier().verify(signed.request, now: Self.date) { _ in "secret" }
        }
    }

    @Test func anUnsignedPayloadIsDeclared() {
        let signer = SigV4Signer(
            credentials: SigV4Credentials(accessKeyId: "AKID", secretAccessKey: "secret"), region: "us-east-1",
            service: "iot", signsPayload: false)
        let signed = signer.sign(
            SigV4Request(method: "PUT", path: "/", headers: [HeaderField("Host", "h")], body: Array("x".utf8)),
            at: Self.date)
        #expect(signed.request.headers.firstValue(named: "x-amz-content-sha256") == "UNSIGNED-PAYLOAD")
        #expect(signed.signature.canonicalRequest.hasSuffix("\nhost;x-amz-content-sha256;x-amz-date\nUNSIGNED-PAYLOAD"))
    }

    @Test func presigningAppendsTheParametersInBotocoreOrder() {
        let signer = SigV4Signer(credentials: Self.credentials, region: "us-east-1", service: "iotdata")
        let signed = signer.presign(
            SigV4Request(method: "GET", path: "/mqtt", query: "a=1", headers: [HeaderField("Host", "h")]),
            at: Self.date,
            expires: 60)
        let names = signed.request.queryItems.map(\.name)
        #expect(
            names == [
                "a", "X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date", "X-Amz-Expires", "X-Amz-SignedHeaders",
                "X-Amz-Security-Token", "X-Amz-Signature",
            ])
        #expect(signed.request.queryValue(named: "X-Amz-Credential") == "AKID/20150830/us-east-1/iotdata/aws4_request")
        #expect(signed.request.query.contains("X-Amz-Credential=AKID%2F20150830%2Fus-east-1%2Fiotdata%2Faws4_request"))
        #expect(signed.request.queryValue(named: "X-Amz-Signature") == signed.signature.signature)
        #expect(signed.authorization == nil)
        #expect(!signed.signature.canonicalRequest.contains("X-Amz-Signature"))
    }

    @Test func credentialsNeverPrintTheirSecrets() {
        let text = "\(Self.credentials)"
        #expect(text.contains("AKID"))
        #expect(!text.contains("secret,") && !text.contains("tok)"))
        #expect(text.contains("<redacted>"))
    }
}
