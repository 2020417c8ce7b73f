import AWSWire
import JSON

/// The attributes of a standard topic: which may be set, how each is checked, and what
/// `GetTopicAttributes` shows.
enum TopicAttributes {
    /// Why an attribute is refused; the operations phrase it (`Invalid parameter: …` for
    /// `SetTopicAttributes`, `Invalid parameter: Attributes Reason: …` for `CreateTopic`).
    enum Problem: Error {
        /// Not an attribute a standard topic has.
        case unknownName(String)
        /// `FifoTopic=true`.
        case fifo
        /// The value is not valid; the reason follows `Invalid parameter: `.
        case invalidValue(String)

        func error(creating: Bool) -> NotificationError {
            switch self {
            case .unknownName(let name):
                .invalidParameter(
                    creating
                        ? "Invalid parameter: Attributes Reason: Unknown attribute \(name)"
                        : "Invalid parameter: AttributeName")
            case .fifo: .invalidParameter("Invalid parameter: FIFO topics are not supported by Thingport")
            case .invalidValue(let reason):
                .invalidParameter(
                    creating ? "Invalid parameter: Attributes Reason: \(reason)" : "Invalid parameter: \(reason)")
            }
        }
    }

    /// The delivery-status logging attributes (accepted and kept; Thingport logs no delivery
    /// status to CloudWatch).
    static let feedbackNames: Set<String> = {
        var names: Set<String> = []
        for endpoint in ["HTTP", "Firehose", "Lambda", "Application", "SQS"] {
            names.insert(endpoint + "SuccessFeedbackRoleArn")
            names.insert(endpoint + "SuccessFeedbackSampleRate")
            names.insert(endpoint + "FailureFeedbackRoleArn")
        }
        return names
    }()

    /// The attributes a standard topic may be given.
    static let settableNames = Set([
        "DeliveryPolicy", "DisplayName", "Policy", "TracingConfig", "KmsMasterKeyId", "SignatureVersion",
    ]).union(feedbackNames)

    /// The longest `DisplayName` AWS accepts.
    static let maximumDisplayNameLength = 100
    /// The largest access policy AWS accepts, in bytes.
    static let maximumPolicySize = 30 * 1024

    /// Checks attribute `name` = `value`.
    ///
    /// - Returns: The value to store, or nil to remove the attribute (an empty `Policy` or
    ///   `DeliveryPolicy` goes back to the default; `FifoTopic=false` is not kept, as AWS).
    static func validate(name: String, value: String) throws(Problem) -> String? {
        switch name {
        case "FifoTopic":
            guard value.lowercased() == "false" else { throw .fifo }
            return nil
        case "DisplayName":
            guard value.count <= maximumDisplayNameLength else {
                throw .invalidValue("DisplayName: must be at most \(maximumDisplayNameLength) characters")
            }
            guard !value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
                throw .invalidValue("DisplayName: must not contain control characters")
            }
            return value
        case "Policy":
            if value.isEmpty { return nil }
            try checkPolicy(value)
            return value
        case "DeliveryPolicy":
            if value.isEmpty { return nil }
            do {
                _ = try DeliveryPolicyDocument(topic: value)
            } catch {
                throw .invalidValue(error.reason)
            }
            return value
        case "SignatureVersion":
            guard value == "1" || value == "2" else {
                throw .invalidValue("SignatureVersion: Invalid value [\(value)]. Must be 1 or 2.")
            }
            return value
        case "TracingConfig":
            guard value == "PassThrough" || value == "Active" else {
                throw .invalidValue("TracingConfig: Invalid value [\(value)]. Must be PassThrough or Active.")
            }
            return value
        case "KmsMasterKeyId":
            return value.isEmpty ? nil : value
        case _ where name.hasSuffix("SampleRate") && feedbackNames.contains(name):
            guard let rate = Int(value), (0...100).contains(rate) else {
                throw .invalidValue("\(name): Invalid value [\(value)]. Must be an integer from 0 to 100.")
            }
            return value
        case _ where feedbackNames.contains(name):
            if value.isEmpty { return nil }
            guard let arn = ARN(value), arn.service == "iam" else {
                throw .invalidValue("\(name): Invalid value [\(value)]. Must be the ARN of an IAM role.")
            }
            return value
        default:
            throw .unknownName(name)
        }
    }

    /// An access policy must be a JSON object with statements (SNS evaluates it with IAM's
    /// grammar; Thingport keeps it and shows it back).
    private static func checkPolicy(_ text: String) throws(Problem) {
        guard text.utf8.count <= maximumPolicySize else {
            throw .invalidValue("Policy Error: the policy is larger than \(maximumPolicySize) bytes")
        }
        let document: JSONValue
        do {
            document = try JSONValue.parse(text)
        } catch {
            throw .invalidValue("Policy Error: failed to parse JSON. \(error.description)")
        }
        guard case .object = document else { throw .invalidValue("Policy Error: the policy must be a JSON object") }
        switch document["Statement"] {
        case .object?: break
        case .array(let statements)? where !statements.isEmpty && statements.allSatisfy({ $0.members != nil }): break
        default: throw .invalidValue("Policy Error: the policy must have a Statement")
        }
    }

    /// The access policy of a topic that was given none, as AWS writes it: the owner's account
    /// may do everything.
    static func defaultPolicy(topicArn: String, accountId: String) -> String {
        let actions = [
            "SNS:GetTopicAttributes", "SNS:SetTopicAttributes", "SNS:AddPermission", "SNS:RemovePermission",
            "SNS:DeleteTopic", "SNS:Subscribe", "SNS:ListSubscriptionsByTopic", "SNS:Publish",
        ]
        let statement: JSONValue = .object([
            .init(key: "Sid", value: "__default_statement_ID"),
            .init(key: "Effect", value: "Allow"),
            .init(key: "Principal", value: ["AWS": "*"]),
            .init(key: "Action", value: .array(actions.map { JSONValue($0) })),
            .init(key: "Resource", value: JSONValue(topicArn)),
            .init(key: "Condition", value: ["StringEquals": ["AWS:SourceOwner": JSONValue(accountId)]]),
        ])
        return JSONValue.object([
            .init(key: "Version", value: "2008-10-17"),
            .init(key: "Id", value: "__default_policy_ID"),
            .init(key: "Statement", value: [statement]),
        ]).serializedString()
    }

    /// The value a topic shows for an attribute it was not given, for `CreateTopic`'s "already
    /// exists with different attributes" check.
    static func defaultValue(of name: String, topicArn: String, accountId: String) -> String? {
        switch name {
        case "DisplayName": ""
        case "Policy": defaultPolicy(topicArn: topicArn, accountId: accountId)
        case "SignatureVersion": "1"
        case "TracingConfig": "PassThrough"
        default: nil
        }
    }
}
