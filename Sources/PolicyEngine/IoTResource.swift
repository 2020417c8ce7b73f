/// The AWS IoT Core MQTT actions that policies govern.
public enum IoTAction: String, Sendable, Hashable, CaseIterable {
    /// Connecting with a client id; resource `client/<clientId>`.
    case connect = "iot:Connect"
    /// Publishing to a topic; resource `topic/<topic>`.
    case publish = "iot:Publish"
    /// Subscribing to a topic filter; resource `topicfilter/<filter>`.
    case subscribe = "iot:Subscribe"
    /// Receiving a message on a topic; resource `topic/<topic>`.
    case receive = "iot:Receive"
    /// Publishing a retained message; resource `topic/<topic>`, asked in addition to
    /// `iot:Publish`.
    case retainPublish = "iot:RetainPublish"

    /// Classifies an action name (`iot:publish`, `IOT:Connect`), ignoring case; `nil` for
    /// other actions.
    public init?(actionName: String) {
        guard let action = Self.allCases.first(where: { equalsIgnoringCase($0.rawValue, actionName) }) else {
            return nil
        }
        self = action
    }

    /// The kind of resource the action is asked on.
    public var resourceType: IoTResourceType {
        switch self {
        case .connect: .client
        case .publish, .receive, .retainPublish: .topic
        case .subscribe: .topicFilter
        }
    }

    /// Position in `allCases`: the action's bit in a statement's action mask.
    var index: Int {
        switch self {
        case .connect: 0
        case .publish: 1
        case .subscribe: 2
        case .receive: 3
        case .retainPublish: 4
        }
    }

    var bit: UInt8 { 1 << UInt8(index) }
}

/// The resource types of the MQTT actions, as they appear in ARNs.
public enum IoTResourceType: String, Sendable, Hashable, CaseIterable {
    /// `arn:aws:iot:REGION:ACCOUNT:client/<clientId>`
    case client
    /// `arn:aws:iot:REGION:ACCOUNT:topic/<topic>`
    case topic
    /// `arn:aws:iot:REGION:ACCOUNT:topicfilter/<filter>`
    case topicFilter = "topicfilter"
}

/// The region and account of AWS IoT resource ARNs, with the ARN prefixes built once.
public struct IoTResourceScope: Sendable, Hashable {
    /// The partition, `aws` by default.
    public let partition: String
    /// The region, such as `us-east-1`.
    public let region: String
    /// The twelve-digit account id.
    public let account: String
    private let clientPrefix: String
    private let topicPrefix: String
    private let topicFilterPrefix: String

    /// Creates a scope.
    public init(region: String, account: String, partition: String = "aws") {
        self.partition = partition
        self.region = region
        self.account = account
        let base = "arn:\(partition):iot:\(region):\(account):"
        self.clientPrefix = base + "client/"
        self.topicPrefix = base + "topic/"
        self.topicFilterPrefix = base + "topicfilter/"
    }

    /// The ARN text before the resource name, such as `arn:aws:iot:us-east-1:123456789012:topic/`.
    public func prefix(for type: IoTResourceType) -> String {
        switch type {
        case .client: clientPrefix
        case .topic: topicPrefix
        case .topicFilter: topicFilterPrefix
        }
    }

    /// The ARN of a resource of `type` named `name`.
    public func arn(_ type: IoTResourceType, _ name: String) -> String {
        prefix(for: type) + name
    }

    /// The resource ARN an MQTT action is asked on.
    public func arn(for action: IoTAction, resourceName: String) -> String {
        arn(action.resourceType, resourceName)
    }
}

/// Builders for AWS IoT MQTT resource ARNs.
public enum IoTResource {
    /// `arn:PARTITION:iot:REGION:ACCOUNT:client/<clientId>`
    public static func client(_ clientId: String, region: String, account: String, partition: String = "aws") -> String
    {
        "arn:\(partition):iot:\(region):\(account):client/\(clientId)"
    }

    /// `arn:PARTITION:iot:REGION:ACCOUNT:topic/<topic>`
    public static func topic(_ topic: String, region: String, account: String, partition: String = "aws") -> String {
        "arn:\(partition):iot:\(region):\(account):topic/\(topic)"
    }

    /// `arn:PARTITION:iot:REGION:ACCOUNT:topicfilter/<filter>`
    public static func topicFilter(
        _ filter: String,
        region: String,
        account: String,
        partition: String = "aws"
    ) -> String {
        "arn:\(partition):iot:\(region):\(account):topicfilter/\(filter)"
    }
}
