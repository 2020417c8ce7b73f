import AWSWire
import Registry
import Testing

@Suite("RegistryError")
struct RegistryErrorTests {
    @Test(
        "Codes carry the model's HTTP status",
        arguments: [
            (RegistryError.Code.invalidRequest, 400), (.resourceNotFound, 404), (.resourceAlreadyExists, 409),
            (.versionConflict, 409), (.deleteConflict, 409), (.certificateState, 406), (.versionsLimitExceeded, 409),
            (.limitExceeded, 410), (.unauthorized, 401), (.malformedPolicy, 400), (.sqlParse, 400),
            (.internalFailure, 500), (RegistryError.Code(rawValue: "ServiceUnavailableException"), 503),
        ])
    func statuses(code: RegistryError.Code, status: Int) {
        #expect(code.httpStatus == status)
        #expect(RegistryError(code: code, message: "m").httpStatus == status)
    }

    @Test("Renders as an AWSError with the resource members")
    func awsError() {
        let error = RegistryError(
            code: .resourceAlreadyExists, message: "exists", resourceId: "id-1",
            resourceArn: "arn:aws:iot:us-east-1:123456789012:thing/t")
        let aws = error.awsError
        #expect(aws.code == "ResourceAlreadyExistsException")
        #expect(aws.message == "exists")
        #expect(aws.httpStatus == 409)
        #expect(aws.fields == ["resourceId": "id-1", "resourceArn": "arn:aws:iot:us-east-1:123456789012:thing/t"])
        #expect(RegistryError(code: .resourceNotFound, message: "gone").awsError.fields.isEmpty)
    }

    @Test("Scope builds and recognizes ARNs of its own account and region")
    func scope() {
        let scope = RegistryScope(region: "eu-west-1", accountId: "000000000000")
        #expect(scope.arn(.thing("x")) == "arn:aws:iot:eu-west-1:000000000000:thing/x")
        #expect(scope.arn(.certificate("ab")) == "arn:aws:iot:eu-west-1:000000000000:cert/ab")
        #expect(scope.resource(ofARN: "arn:aws:iot:eu-west-1:000000000000:policy/p") == .policy("p"))
        #expect(scope.resource(ofARN: "arn:aws:iot:us-east-1:000000000000:policy/p") == nil)
        #expect(scope.resource(ofARN: "arn:aws:iot:eu-west-1:111111111111:policy/p") == nil)
        #expect(scope.resource(ofARN: "policy/p") == nil)
    }
}
