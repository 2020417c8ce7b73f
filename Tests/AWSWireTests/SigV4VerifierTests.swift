import AWSWire
import Foundation
import Testing

@Suite("SigV4 verifier")
struct SigV4VerifierTests {
    static let credentials = SigV4Credentials(
        accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
    static let date = AWSTimestamp.parseSigV4("20150830T123600Z")!
    static let signer = SigV4Signer(credentials: credentials, region: "us-east-1", service: "iot")

    static func secret(_ key: String) -> String? {
        key == credentials.accessKeyId ? credentials.secretAccessKey : nil
    }

    static var unsignedRequest: SigV4Request {
        SigV4Request(
            method: "GET", path: "/things/sensor-42", query: "maxResults=10",
            headers: [HeaderField("Host", "localhost:8080")])
    }

    static var signedRequest: SigV4Request {
        signer.sign(unsignedRequest, at: date).request
    }

    func failure(
        _ request: SigV4Request, now: Date = date, configuration: SigV4Verifier.Configuration = .init()
    ) -> SigV4Error? {
        do {
            _ = try SigV4Verifier(configuration: configuration).verify(request, now: now, secretAccessKey: Self.secret)
            return nil
        } catch {
            return error
        }
    }

    func withAuthorization(_ value: String, date: String? = "20150830T123600Z") -> SigV4Request {
        var request = Self.unsignedRequest
        request.headers.append(HeaderField("Authorization", value))
        if let date { request.headers.append(HeaderField("X-Amz-Date", date)) }
        return request
    }

    @Test func aRequestWithoutAuthenticationIsMissingAuthentication() {
        let error = failure(Self.unsignedRequest)
        #expect(error?.code == .missingAuthentication)
        #expect(
            error?.awsError(for: .restJSON)
                == AWSError(
                    code: "MissingAuthenticationTokenException", message: "Missing Authentication Token",
                    httpStatus: 403))
        #expect(
            error?.awsError(for: .query)
                == AWSError(
                    code: "MissingAuthenticationToken", message: "Request is missing Authentication Token",
                    httpStatus: 403))
    }

    @Test func anotherSchemeListsEverythingMissing() {
        let error = failure(withAuthorization("Bearer abc", date: nil))
        #expect(error?.code == .incompleteSignature)
        #expect(
            error?.message
                == "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. "
                + "Authorization header requires 'SignedHeaders' parameter. Authorization header requires existence of either "
                + "a 'X-Amz-Date' or a 'Date' header. Authorization=Bearer abc")
        #expect(error?.awsError(for: .restJSON).code == "IncompleteSignatureException")
        #expect(error?.awsError(for: .query).code == "IncompleteSignature")
    }

    @Test func aMissingSignatureIsNamed() {
        let header =
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20150830/us-east-1/iot/aws4_request, SignedHeaders=host"
        let error = failure(withAuthorization(header))
        #expect(error?.message == "Authorization header requires 'Signature' parameter. Authorization=" + header)
    }

    @Test func aPairWithoutEqualsSignIsRejected() {
        let header =
            "AWS4-HMAC-SHA256 Credential AKID/20150830/us-east-1/iot/aws4_request, SignedHeaders=host, Signature=ab"
        let error = failure(withAuthorization(header))
        #expect(error?.code == .incompleteSignature)
        #expect(
            error?.message
                == "'Credential AKID/20150830/us-east-1/iot/aws4_request' not a valid key=value pair (missing equal-sign) "
                + "in Authorization header: '\(header)'.")
    }

    @Test(arguments: [
        (
            "AKID/20150830/us-east-1/iot",
            "Credential must have exactly 5 slash-delimited elements, "
                + "e.g. keyid/date/region/service/term, got 'AKID/20150830/us-east-1/iot'"
        ),
        (
            "AKID/20150830/us-east-1/iot/aws4",
            "Credential should be scoped with a valid terminator: 'aws4_request', not 'aws4'."
        ),
    ])
    func malformedCredentials(credential: String, message: String) {
        let error = failure(
            withAuthorization("AWS4-HMAC-SHA256 Credential=\(credential), SignedHeaders=host, Signature=ab"))
        #expect(error?.code == .incompleteSignature)
        #expect(error?.message == message)
    }

    @Test func hostMustBeSigned() {
        let error = failure(
            withAuthorization(
                "AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/iot/aws4_request, SignedHeaders=x-amz-date, Signature=ab"
            ))
        #expect(error?.message == "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.")
    }

    @Test func anExtendedDateIsRejected() {
        let error = failure(
            withAuthorization(
                "AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/iot/aws4_request, SignedHeaders=host, Signature=ab",
                date: "2015-08-30T12:36:00Z"))
        #expect(error?.code == .incompleteSignature)
        #expect(
            error?.message.hasPrefix("Date must be in ISO-8601 'basic format'. Got '2015-08-30T12:36:00Z'.") == true)
    }

    @Test func theScopeDayMustMatchTheRequestDay() {
        var request = Self.signedRequest
        let index = request.headers.firstIndex { $0.name == "Authorization" }!
        request.headers[index].value = request.headers[index].value.replacingOccurrences(
            of: "/20150830/", with: "/20150831/")
        let error = failure(request)
        #expect(error?.code == .signatureDoesNotMatch)
        #expect(
            error?.message
                == "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: "
                + "'20150831' != '20150830', from '20150830T123600Z'.")
    }

    @Test func regionAndServiceCanBeRequired() {
        let request = Self.signedRequest
        let region = failure(request, configuration: .init(region: "eu-west-1"))
        #expect(region?.code == .signatureDoesNotMatch)
        #expect(region?.message == "Credential should be scoped to a valid region, not 'us-east-1'.")
        let service = failure(request, configuration: .init(services: ["sns"]))
        #expect(service?.message == "Credential should be scoped to correct service: 'sns'.")
        #expect(failure(request, configuration: .init(region: "us-east-1", services: ["iot", "iotdata"])) == nil)
    }

    @Test func skewMessagesNameBothTimes() {
        let late = failure(Self.signedRequest, now: Self.date.addingTimeInterval(20 * 60))
        #expect(
            late?.message
                == "Signature expired: 20150830T123600Z is now earlier than 20150830T124100Z (20150830T125600Z - 15 min.)"
        )
        let early = failure(Self.signedRequest, now: Self.date.addingTimeInterval(-16 * 60))
        #expect(
            early?.message
                == "Signature not yet current: 20150830T123600Z is still later than 20150830T123500Z (20150830T122000Z + 15 min.)"
        )
        #expect(late?.awsError(for: .restJSON).code == "InvalidSignatureException")
        #expect(late?.awsError(for: .restJSON).httpStatus == 403)
        #expect(late?.awsError(for: .query).code == "SignatureDoesNotMatch")
        #expect(late?.awsError(for: .query).message == late?.message)
    }

    @Test func theSkewWindowIsConfigurable() {
        let configuration = SigV4Verifier.Configuration(allowedClockSkew: 5 * 60)
        let error = failure(Self.signedRequest, now: Self.date.addingTimeInterval(6 * 60), configuration: configuration)
        #expect(error?.message.hasSuffix("(20150830T124200Z - 5 min.)") == true)
    }

    @Test func aSignatureInUpperCaseHexDoesNotMatch() {
        var request = Self.signedRequest
        let index = request.headers.firstIndex { $0.name == "Authorization" }!
        let value = request.headers[index].value
        let signature = value[value.range(of: "Signature=")!.upperBound...]
        request.headers[index].value = value.replacingOccurrences(of: signature, with: signature.uppercased())
        let error = failure(request)
        #expect(error?.code == .signatureDoesNotMatch)
        #expect(
            error?.message
                == "The request signature we calculated does not match the signature you provided. Check your AWS Secret "
                + "Access Key and signing method. Consult the service documentation for details.")
        #expect(error?.stringToSign?.hasPrefix("AWS4-HMAC-SHA256\n20150830T123600Z\n") == true)
    }

    @Test func anUnknownKeyMapsToEachProtocol() {
        let signer = SigV4Signer(
            credentials: SigV4Credentials(accessKeyId: "AKIDUNKNOWN", secretAccessKey: "x"), region: "us-east-1",
            service: "sns")
        let error = failure(signer.sign(Self.unsignedRequest, at: Self.date).request)
        #expect(error?.code == .unknownAccessKey)
        let message = "The security token included in the request is invalid."
        #expect(
            error?.awsError(for: .restJSON)
                == AWSError(code: "UnrecognizedClientException", message: message, httpStatus: 403))
        #expect(
            error?.awsError(for: .query) == AWSError(code: "InvalidClientTokenId", message: message, httpStatus: 403))
    }

    @Test func aContentHashHeaderMustMatchTheBody() {
        var request = SigV4Request(
            method: "PUT", path: "/things/a", headers: [HeaderField("Host", "localhost")], body: Array("body".utf8))
        request.headers.append(HeaderField("x-amz-content-sha256", request.payloadHash))
        var signed = Self.signer.sign(request, at: Self.date).request
        #expect(failure(signed) == nil)
        signed.payloadHash = SigV4Request.payloadHash(of: Array("other".utf8))
        let error = failure(signed)
        #expect(error?.code == .signatureDoesNotMatch)
        #expect(error?.message == "The provided 'x-amz-content-sha256' header does not match what was computed.")
    }

    @Test func headerAndQueryAuthenticationTogetherAreRejected() {
        var request = Self.signedRequest
        request.query += "&X-Amz-Algorithm=AWS4-HMAC-SHA256"
        #expect(failure(request)?.message.hasPrefix("Only one auth mechanism allowed") == true)
    }

    @Test(arguments: [
        (
            "X-Amz-Expires=300", "X-Amz-Expires=604801",
            "X-Amz-Expires must be less than a week (in seconds) that is 604800"
        ),
        ("X-Amz-Expires=300", "X-Amz-Expires=-1", "X-Amz-Expires must be non-negative"),
        ("X-Amz-Expires=300", "X-Amz-Expires=soon", "X-Amz-Expires should be a number"),
        (
            "X-Amz-Algorithm=AWS4-HMAC-SHA256", "X-Amz-Algorithm=AWS4-HMAC-SHA1",
            "X-Amz-Algorithm only supports \"AWS4-HMAC-SHA256\""
        ),
        (
            "&X-Amz-SignedHeaders=host", "",
            "AWS query-string parameters must include 'X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Signature', "
                + "'X-Amz-Date', 'X-Amz-SignedHeaders', and 'X-Amz-Expires'. Re-examine the query-string parameters."
        ),
    ])
    func malformedPresignedQueries(original: String, replacement: String, message: String) {
        var request = Self.signer.presign(Self.unsignedRequest, at: Self.date, expires: 300).request
        #expect(failure(request) == nil)
        request.query = request.query.replacingOccurrences(of: original, with: replacement)
        let error = failure(request)
        #expect(error?.code == .incompleteSignature)
        #expect(error?.message == message)
    }

    @Test func anExpiredPresignedURLMapsToEachProtocol() {
        let request = Self.signer.presign(Self.unsignedRequest, at: Self.date, expires: 60).request
        let error = failure(request, now: Self.date.addingTimeInterval(61))
        #expect(error?.code == .requestExpired)
        #expect(
            error?.awsError(for: .query)
                == AWSError(code: "RequestExpired", message: "Request has expired.", httpStatus: 400))
        #expect(error?.awsError(for: .restJSON).code == "InvalidSignatureException")
    }

    @Test func temporaryCredentialsCarryTheirToken() throws {
        var credentials = Self.credentials
        credentials.sessionToken = "token/with+chars=="
        let signer = SigV4Signer(credentials: credentials, region: "us-east-1", service: "iot")
        let header = try SigV4Verifier().verify(
            signer.sign(Self.unsignedRequest, at: Self.date).request, now: Self.date, secretAccessKey: Self.secret)
        #expect(header.securityToken == "token/with+chars==")
        let query = try SigV4Verifier().verify(
            signer.presign(Self.unsignedRequest, at: Self.date, expires: 60).request, now: Self.date,
            secretAccessKey: Self.secret)
        #expect(query.securityToken == "token/with+chars==")
        #expect(query.location == .query)
    }

    @Test func theAsyncLookupIsAwaitedAndItsErrorsPropagate() async throws {
        struct StoreDown: Error {}
        let identity = try await SigV4Verifier().verify(Self.signedRequest, now: Self.date) { key async throws in
            await Task.yield()
            return Self.secret(key)
        }
        #expect(identity.accessKeyId == Self.credentials.accessKeyId)
        await #expect(throws: StoreDown.self) {
            try await SigV4Verifier().verify(Self.signedRequest, now: Self.date) { _ async throws -> String? in
                throw StoreDown()
            }
        }
    }

    @Test func acceptingAnyCredentialsSkipsTheKeyButNotTheClock() throws {
        let configuration = SigV4Verifier.Configuration(acceptsAnyCredentials: true)
        let verifier = SigV4Verifier(configuration: configuration)
        var request = Self.signedRequest
        request.payloadHash = SigV4Request.payloadHash(of: Array("tampered".utf8))
        let identity = try verifier.verify(request, now: Self.date) { _ in nil }
        #expect(identity.accessKeyId == Self.credentials.accessKeyId)
        #expect(
            failure(request, now: Self.date.addingTimeInterval(3600), configuration: configuration)?.code
                == .signatureExpired)
    }

    @Test func theLookupIsNotCalledForARequestThatFailsEarlier() throws {
        var calls = 0
        _ = try? SigV4Verifier().verify(Self.signedRequest, now: Self.date.addingTimeInterval(3600)) { _ in
            calls += 1
            return nil
        }
        #expect(calls == 0)
    }
}
