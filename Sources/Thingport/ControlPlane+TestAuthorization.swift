import ControlPlane
import DeviceAuthorization
import Registry

extension ControlPlane {
    /// Serves `TestAuthorization` from `devices`: the evaluator, policies and policy variables
    /// that the mutual-TLS listener applies at CONNECT, so that users can ask why a device is
    /// refused and get the answer the broker acts on.
    mutating func registerTestAuthorization(_ devices: RegistryAuthorizer) {
        register(.iot, "TestAuthorization") { input, _ in
            if input.string("cognitoIdentityPoolId") != nil {
                throw ServiceModel.iot.error(
                    "InvalidRequestException", "Amazon Cognito identities are not supported by Thingport")
            }
            guard let principal = input.string("principal") else {
                throw ServiceModel.iot.error("InvalidRequestException", "principal must be specified")
            }
            let authInfos = try (input["authInfos"]?.listValue ?? []).map(Self.authInfo)
            let results = try await devices.authorize(
                principal: principal,
                clientId: input.string("clientId"),
                policyNamesToAdd: input.strings("policyNamesToAdd") ?? [],
                policyNamesToSkip: input.strings("policyNamesToSkip") ?? [],
                authInfos: authInfos
            )
            return ["authResults": .list(results.map(Self.value(of:)))]
        }
    }

    /// An `AuthInfo` member of the request (the model has validated its shape).
    private static func authInfo(_ value: AWSValue) throws -> AuthInfo {
        guard let text = value["actionType"]?.stringValue, let action = AuthInfo.ActionType(rawValue: text) else {
            throw ServiceModel.iot.error(
                "InvalidRequestException", "actionType must be one of PUBLISH, SUBSCRIBE, RECEIVE, CONNECT")
        }
        return AuthInfo(actionType: action, resources: value["resources"]?.stringListValue ?? [])
    }

    /// An `AuthResult` as botocore's `iot` model shapes it.
    private static func value(of result: AuthResult) -> AWSValue {
        func policies(_ references: [PolicyReference]) -> AWSValue {
            .map([
                "policies": .list(
                    references.map { ["policyName": .string($0.policyName), "policyArn": .string($0.policyArn)] })
            ])
        }
        return [
            "authInfo": [
                "actionType": .string(result.authInfo.actionType.rawValue),
                "resources": .strings(result.authInfo.resources),
            ],
            "allowed": policies(result.allowedPolicies),
            "denied": [
                "implicitDeny": policies(result.implicitDenyPolicies),
                "explicitDeny": policies(result.explicitDenyPolicies),
            ],
            "authDecision": .string(result.authDecision.rawValue),
            "missingContextValues": .strings(result.missingContextValues),
        ]
    }
}
