import AWSWire
import Foundation
import Testing

@Suite("botocore SigV4 vectors")
struct BotocoreVectorTests {
    static let vectors = BotocoreVector.all
    static let headerVectors = vectors.filter { !$0.isPresigned }
    static let presignedVectors = vectors.filter(\.isPresigned)
    static let signerVectors = vectors.filter { !$0.signsWithDateHeader }

    @Test func theVectorFileLoads() {
        #expect(Self.vectors.count >= 25)
        #expect(Self.presignedVectors.count >= 3)
        #expect(Set(Self.vectors.map(\.service)) == ["iot", "iotdata", "sns", "iam"])
    }

    @Test("the canonical request of the wire request is botocore's", arguments: vectors)
    func canonicalRequestOfWireRequest(_ vector: BotocoreVector) throws {
        let request = vector.wire.sigV4Request
        let authorization = try SigV4Authorization(parsing: request)
        #expect(request.payloadHash == vector.payloadHash)
        let canonical = request.canonicalRequest(
            signedHeaders: authorization.signedHeaders,
            excludingQueryParameters: vector.isPresigned ? ["X-Amz-Signature"] : [])
        #expect(canonical == vector.canonicalRequest)
    }

    @Test("the signer reproduces botocore byte for byte", arguments: signerVectors)
    func signerReproducesBotocore(_ vector: BotocoreVector) throws {
        let request = vector.unsigned.sigV4Request
        let signed =
            vector.isPresigned
            ? vector.signer.presign(request, at: vector.date, expires: try #require(vector.expires))
            : vector.signer.sign(request, at: vector.date)
        #expect(signed.signature.canonicalRequest == vector.canonicalRequest)
        #expect(signed.signature.stringToSign == vector.stringToSign)
        #expect(signed.signature.signature == vector.signature)
        #expect(signed.request.method == vector.wire.method)
        #expect(signed.request.path == vector.wire.path)
        #expect(signed.request.query == vector.wire.query)
        let expectedHeaders = vector.wire.headerFields.filter { $0.name != "Content-Length" }
        #expect(signed.request.headers == expectedHeaders)
        #expect(signed.authorization == vector.authorization)
    }

    @Test func theDateHeaderVectorIsSignedWithXAmzDateBySwift() throws {
        let vector = try #require(Self.vectors.first { $0.signsWithDateHeader })
        let signed = vector.signer.sign(vector.unsigned.sigV4Request, at: vector.date)
        #expect(signed.request.headers.firstValue(named: "x-amz-date") == vector.timestamp)
        #expect(signed.authorization?.contains("SignedHeaders=content-type;date;host;x-amz-date,") == true)
        let identity = try SigV4Verifier().verify(signed.request, now: vector.date, secretAccessKey: vector.secret)
        #expect(identity.accessKeyId == vector.accessKeyId)
    }

    @Test("the verifier accepts what botocore sent", arguments: vectors)
    func verifierAccepts(_ vector: BotocoreVector) throws {
        let identity = try SigV4Verifier().verify(
            vector.wire.sigV4Request, now: vector.date, secretAccessKey: vector.secret)
        #expect(identity.accessKeyId == vector.accessKeyId)
        #expect(identity.region == vector.region)
        #expect(identity.service == vector.service)
        #expect(identity.signingDate == vector.date)
        #expect(identity.securityToken == vector.sessionToken)
        #expect(identity.location == (vector.isPresigned ? .query : .header))
    }

    @Test("a tampered body is rejected", arguments: vectors.filter(\.signsPayload))
    func tamperedBody(_ vector: BotocoreVector) {
        var request = vector.wire.sigV4Request
        request.payloadHash = SigV4Request.payloadHash(of: vector.wire.bodyBytes + Array("x".utf8))
        expectFailure(.signatureDoesNotMatch, vector, request)
    }

    @Test func anUnsignedPayloadIsNotCoveredByTheSignature() throws {
        let vector = try #require(Self.vectors.first { !$0.signsPayload })
        var request = vector.wire.sigV4Request
        request.payloadHash = SigV4Request.payloadHash(of: Array("anything".utf8))
        #expect(throws: Never.self) {
            try SigV4Verifier().verify(request, now: vector.date, secretAccessKey: vector.secret)
        }
    }

    @Test("a tampered signed header is rejected", arguments: vectors)
    func tamperedHeader(_ vector: BotocoreVector) {
        var request = vector.wire.sigV4Request
        let index = request.headers.firstIndex { $0.name.lowercased() == "host" }!
        request.headers[index].value = "evil.example.com"
        expectFailure(.signatureDoesNotMatch, vector, request)
    }

    @Test("a tampered query or path is rejected", arguments: vectors)
    func tamperedQuery(_ vector: BotocoreVector) {
        var request = vector.wire.sigV4Request
        request.query += request.query.isEmpty ? "extra=1" : "&extra=1"
        expectFailure(.signatureDoesNotMatch, vector, request)
        var moved = vector.wire.sigV4Request
        moved.path += "x"
        expectFailure(.signatureDoesNotMatch, vector, moved)
    }

    @Test("a wrong secret is rejected", arguments: vectors)
    func wrongSecret(_ vector: BotocoreVector) {
        #expect {
            try SigV4Verifier().verify(vector.wire.sigV4Request, now: vector.date) { _ in
                "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEz"
            }
        } throws: { error in
            let error = error as? SigV4Error
            return error?.code == .signatureDoesNotMatch && error?.canonicalRequest == vector.canonicalRequest
        }
    }

    @Test("an unknown access key is rejected", arguments: vectors)
    func unknownKey(_ vector: BotocoreVector) {
        #expect {
            try SigV4Verifier().verify(vector.wire.sigV4Request, now: vector.date) { _ in nil }
        } throws: { error in
            (error as? SigV4Error)?.code == .unknownAccessKey
        }
    }

    @Test("16 minutes of skew either way is rejected", arguments: headerVectors)
    func skew(_ vector: BotocoreVector) throws {
        let request = vector.wire.sigV4Request
        let late = vector.date.addingTimeInterval(16 * 60)
        let lateError = try failure(vector, request, now: late)
        #expect(lateError.code == .signatureExpired)
        #expect(lateError.message.hasPrefix("Signature expired: 20150830T123600Z is now earlier than"))
        let early = vector.date.addingTimeInterval(-16 * 60)
        let earlyError = try failure(vector, request, now: early)
        #expect(earlyError.code == .signatureExpired)
        #expect(earlyError.message.hasPrefix("Signature not yet current: 20150830T123600Z is still later than"))
        for edge: TimeInterval in [15 * 60, -15 * 60] {
            #expect(throws: Never.self) {
                try SigV4Verifier().verify(
                    request, now: vector.date.addingTimeInterval(edge), secretAccessKey: vector.secret)
            }
        }
    }

    @Test("a presigned URL expires, and is not valid before its date", arguments: presignedVectors)
    func presignedExpiry(_ vector: BotocoreVector) throws {
        let request = vector.wire.sigV4Request
        let expires = TimeInterval(try #require(vector.expires))
        #expect(throws: Never.self) {
            try SigV4Verifier().verify(
                request, now: vector.date.addingTimeInterval(expires), secretAccessKey: vector.secret)
        }
        let expired = try failure(vector, request, now: vector.date.addingTimeInterval(expires + 1))
        #expect(expired.code == .requestExpired)
        #expect(expired.message == "Request has expired.")
        let early = try failure(vector, request, now: vector.date.addingTimeInterval(-16 * 60))
        #expect(early.code == .signatureExpired)
    }

    private func failure(_ vector: BotocoreVector, _ request: SigV4Request, now: Date) throws -> SigV4Error {
        do {
            _ = try SigV4Verifier().verify(request, now: now, secretAccessKey: vector.secret)
        } catch {
            return error
        }
        Issue.record("\(vector.name) verified at \(now)")
        throw CancellationError()
    }

    private func expectFailure(
        _ code: SigV4Error.Code, _ vector: BotocoreVector, _ request: SigV4Request,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(sourceLocation: sourceLocation) {
            try SigV4Verifier().verify(request, now: vector.date, secretAccessKey: vector.secret)
        } throws: { error in
            (error as? SigV4Error)?.code == code
        }
    }
}
