import AWSWire
import Foundation
import Testing

@Suite("AWS error rendering")
struct AWSErrorTests {
    static let requestId = "9dd01905-5012-5f99-8663-4b3ecd0dfaef"

    func text(_ response: AWSResponse) -> String {
        String(decoding: response.body, as: UTF8.self)
    }

    @Test func restJSONGolden() {
        let error = AWSError(
            code: "UnrecognizedClientException", message: "The security token included in the request is invalid.",
            httpStatus: 403)
        let response = error.restJSONResponse(requestId: Self.requestId)
        #expect(response.status == 403)
        #expect(text(response) == #"{"message":"The security token included in the request is invalid."}"#)
        #expect(
            response.headers == [
                HeaderField("Content-Type", "application/json"),
                HeaderField("Content-Length", "68"),
                HeaderField(
                    "x-amzn-ErrorType",
                    "UnrecognizedClientException:http://internal.amazon.com/coral/com.amazon.coral.service/"),
                HeaderField("x-amzn-RequestId", Self.requestId),
            ])
        #expect(response.body.count == 68)
    }

    @Test func restJSONModeledErrorWithFieldsAndEscaping() throws {
        let error = AWSError(
            code: "ResourceAlreadyExistsException", message: "Thing \"a\\b\" already exists\n\u{01}caf\u{E9}",
            httpStatus: 409,
            fields: [
                "resourceId": "a\\b", "resourceArn": "arn:aws:iot:us-east-1:000000000000:thing/a\\b", "message": "x",
            ])
        let response = error.restJSONResponse(errorTypeNamespace: "http://internal.amazon.com/coral/com.amazonaws.iot/")
        #expect(
            text(response)
                == #"{"message":"Thing \"a\\b\" already exists\n\u0001café","#
                + #""resourceArn":"arn:aws:iot:us-east-1:000000000000:thing/a\\b","resourceId":"a\\b"}"#)
        #expect(response.headers.firstValue(named: "x-amzn-requestid") == nil)
        #expect(
            response.headers.firstValue(named: "x-amzn-errortype")
                == "ResourceAlreadyExistsException:http://internal.amazon.com/coral/com.amazonaws.iot/")
        let decoded = try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: String])
        #expect(decoded["message"] == error.message)
        #expect(decoded["resourceId"] == "a\\b")
        #expect(decoded.count == 3)
    }

    @Test func queryXMLGolden() {
        let error = AWSError(code: "NotFound", message: "Topic does not exist", httpStatus: 404)
        let response = error.queryXMLResponse(xmlNamespace: AWSError.QueryNamespace.sns, requestId: Self.requestId)
        #expect(response.status == 404)
        #expect(
            text(response) == """
                <ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/">
                  <Error>
                    <Type>Sender</Type>
                    <Code>NotFound</Code>
                    <Message>Topic does not exist</Message>
                  </Error>
                  <RequestId>9dd01905-5012-5f99-8663-4b3ecd0dfaef</RequestId>
                </ErrorResponse>

                """)
        #expect(
            response.headers == [
                HeaderField("Content-Type", "text/xml"), HeaderField("Content-Length", String(response.body.count)),
                HeaderField("x-amzn-RequestId", Self.requestId),
            ])
    }

    @Test func queryXMLEscapesAndMarksServerFaults() {
        let error = AWSError(
            code: "InternalFailure", message: "a < b && \"c\" > 'd'\r", httpStatus: 500, fields: ["Detail": "<x/>"])
        let response = error.queryXMLResponse(xmlNamespace: AWSError.QueryNamespace.iam, requestId: "r&1")
        #expect(
            text(response) == """
                <ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">
                  <Error>
                    <Type>Receiver</Type>
                    <Code>InternalFailure</Code>
                    <Message>a &lt; b &amp;&amp; &quot;c&quot; &gt; &apos;d&apos;&#xD;</Message>
                    <Detail>&lt;x/&gt;</Detail>
                  </Error>
                  <RequestId>r&amp;1</RequestId>
                </ErrorResponse>

                """)
    }

    @Test func theProtocolPicksTheRendering() {
        let error = AWSError(code: "Throttling", message: "Rate exceeded", httpStatus: 400)
        #expect(
            error.response(for: .restJSON, xmlNamespace: AWSError.QueryNamespace.sns, requestId: "r")
                == error.restJSONResponse(requestId: "r"))
        #expect(
            error.response(for: .query, xmlNamespace: AWSError.QueryNamespace.sns, requestId: "r")
                == error.queryXMLResponse(xmlNamespace: AWSError.QueryNamespace.sns, requestId: "r"))
        #expect(AWSProtocol(signingName: "iot") == .restJSON)
        #expect(AWSProtocol(signingName: "iotdata") == .restJSON)
        #expect(AWSProtocol(signingName: "sns") == .query)
        #expect(AWSProtocol(signingName: "iam") == .query)
        #expect(AWSProtocol(signingName: "s3") == nil)
    }

    @Test func everySigV4FailureMapsToAnAWSCodeAndStatus() {
        let expectations: [(SigV4Error.Code, String, Int, String, Int)] = [
            (.missingAuthentication, "MissingAuthenticationTokenException", 403, "MissingAuthenticationToken", 403),
            (.incompleteSignature, "IncompleteSignatureException", 403, "IncompleteSignature", 403),
            (.unknownAccessKey, "UnrecognizedClientException", 403, "InvalidClientTokenId", 403),
            (.signatureDoesNotMatch, "InvalidSignatureException", 403, "SignatureDoesNotMatch", 403),
            (.signatureExpired, "InvalidSignatureException", 403, "SignatureDoesNotMatch", 403),
            (.requestExpired, "InvalidSignatureException", 403, "RequestExpired", 400),
        ]
        for (code, jsonCode, jsonStatus, queryCode, queryStatus) in expectations {
            let error = SigV4Error(code: code, message: "m")
            #expect(error.awsError(for: .restJSON).code == jsonCode)
            #expect(error.awsError(for: .restJSON).httpStatus == jsonStatus)
            #expect(error.awsError(for: .query).code == queryCode)
            #expect(error.awsError(for: .query).httpStatus == queryStatus)
        }
    }

    @Test func jsonStringLiterals() {
        #expect(JSONString.literal("") == #""""#)
        #expect(JSONString.literal("a\"b\\c/d") == #""a\"b\\c/d""#)
        #expect(JSONString.literal("\t\n\r\u{08}\u{0C}\u{00}\u{1F}") == #""\t\n\r\b\f\u0000\u001f""#)
        #expect(JSONString.literal("\u{2603}\u{1F600}") == "\"\u{2603}\u{1F600}\"")
    }
}
