extension ARN {
    /// The resources of AWS IoT that have ARNs of the form `arn:aws:iot:REGION:ACCOUNT:TYPE/ID`.
    public enum IoTResource: Sendable, Hashable {
        /// `thing/NAME`
        case thing(String)
        /// `cert/ID`: a device certificate, by its 64-hex id.
        case certificate(String)
        /// `cacert/ID`: a CA certificate.
        case caCertificate(String)
        /// `policy/NAME`: an IoT policy.
        case policy(String)
        /// `rule/NAME`: a topic rule.
        case rule(String)
        /// `thinggroup/NAME`
        case thingGroup(String)
        /// `thingtype/NAME`
        case thingType(String)

        /// The resource type as it appears in the ARN.
        public var type: String {
            switch self {
            case .thing: "thing"
            case .certificate: "cert"
            case .caCertificate: "cacert"
            case .policy: "policy"
            case .rule: "rule"
            case .thingGroup: "thinggroup"
            case .thingType: "thingtype"
            }
        }

        /// The name or id.
        public var id: String {
            switch self {
            case .thing(let id), .certificate(let id), .caCertificate(let id), .policy(let id), .rule(let id),
                .thingGroup(let id), .thingType(let id):
                id
            }
        }

        init?(type: Substring, id: Substring) {
            guard !id.isEmpty else { return nil }
            let id = String(id)
            switch type {
            case "thing": self = .thing(id)
            case "cert": self = .certificate(id)
            case "cacert": self = .caCertificate(id)
            case "policy": self = .policy(id)
            case "rule": self = .rule(id)
            case "thinggroup": self = .thingGroup(id)
            case "thingtype": self = .thingType(id)
            default: return nil
            }
        }
    }

    /// The ARN of an AWS IoT resource: `arn:aws:iot:REGION:ACCOUNT:TYPE/ID`.
    public static func iot(
        _ resource: IoTResource, region: String, accountId: String, partition: String = "aws"
    ) -> ARN {
        ARN(
            partition: partition, service: "iot", region: region, accountId: accountId,
            resource: "\(resource.type)/\(resource.id)")
    }

    /// The IoT resource this ARN names, or nil when it is not one of ``IoTResource``.
    public var iotResource: IoTResource? {
        guard service == "iot", let type = resourceType, let id = resourceId else { return nil }
        return IoTResource(type: type, id: id)
    }
}
