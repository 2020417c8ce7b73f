import AWSWire
import CertificateAuthority
import Registry

/// The handlers of the `iot` operations: each takes the bound, validated input, calls the
/// registry (and the certificate authority, policy engine or SQL parser) and returns the
/// output members named as botocore's model names them.
///
/// One extension per resource family (`IoTHandlers+Things.swift`…) lists its operations.
struct IoTHandlers: Sendable {
    /// An operation name and what it does.
    typealias Operation = (name: String, handle: @Sendable (OperationInput) async throws -> OperationOutput)

    let services: IoTServices
    /// The account's registration code (see ``registrationCode(authority:accountId:)``).
    let registrationCode: String

    init(services: IoTServices) {
        self.services = services
        self.registrationCode = Self.registrationCode(authority: services.authority, accountId: services.accountId)
    }

    var registry: Registry { services.registry }

    /// Every operation served.
    var operations: [Operation] {
        thingOperations + thingTypeOperations + thingGroupOperations + certificateOperations
            + caCertificateOperations + policyOperations + policyAttachmentOperations + thingPrincipalOperations
            + topicRuleOperations + tagOperations
    }
}

extension OperationInput {
    /// A member the model requires (the dispatcher has checked it is present).
    func required(_ name: String) throws(AWSError) -> String {
        guard let value = string(name) else {
            throw ServiceModel.iot.error(
                "InvalidRequestException",
                "1 validation error detected: Value null at '\(name)' failed to satisfy constraint: "
                    + "Member must not be null")
        }
        return value
    }

    /// An `int` or `long` member as `Int64`.
    func int64(_ name: String) -> Int64? { members[name]?.int64Value }

    /// A `TagList` member (`[{"Key", "Value"}]`).
    func tags(_ name: String = "tags") -> [Tag] {
        (members[name]?.listValue ?? []).map {
            Tag(key: $0["Key"]?.stringValue ?? "", value: $0["Value"]?.stringValue ?? "")
        }
    }
}

extension AWSValue {
    /// A `TagList`.
    static func tags(_ tags: [Tag]) -> AWSValue {
        .list(tags.map { ["Key": .string($0.key), "Value": .string($0.value)] })
    }

    /// A `CertificateValidity`.
    static func validity(_ validity: CertificateValidity) -> AWSValue {
        ["notBefore": .timestamp(validity.notBefore), "notAfter": .timestamp(validity.notAfter)]
    }
}

extension Dictionary where Key == String, Value == AWSValue {
    /// Sets `key` when `value` is not nil.
    mutating func set(_ key: String, _ value: AWSValue?) {
        if let value { self[key] = value }
    }
}
