extension ARN {
    /// The ARN of an SNS topic: `arn:aws:sns:REGION:ACCOUNT:NAME`.
    public static func snsTopic(_ name: String, region: String, accountId: String, partition: String = "aws") -> ARN {
        ARN(partition: partition, service: "sns", region: region, accountId: accountId, resource: name)
    }

    /// The ARN of a subscription to an SNS topic: the topic ARN followed by `:ID`.
    public static func snsSubscription(topic: ARN, id: String) -> ARN {
        var arn = topic
        arn.resource = "\(topic.resource):\(id)"
        return arn
    }

    /// For an SNS ARN, the topic name (the resource up to the first `:`).
    public var snsTopicName: String? {
        guard service == "sns" else { return nil }
        return String(resource.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)[0])
    }

    /// For an SNS subscription ARN, the subscription id after the topic name.
    public var snsSubscriptionId: String? {
        guard service == "sns" else { return nil }
        let parts = resource.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[1].isEmpty else { return nil }
        return String(parts[1])
    }

    /// For an SNS subscription ARN, the ARN of its topic.
    public var snsTopic: ARN? {
        guard let name = snsTopicName else { return nil }
        return ARN.snsTopic(name, region: region, accountId: accountId, partition: partition)
    }
}
