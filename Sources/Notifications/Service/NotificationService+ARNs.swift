import AWSWire

extension NotificationService {
    /// The name of the topic `text` names, checked as SNS checks a topic ARN.
    ///
    /// - Parameters:
    ///   - parameter: The member that carried it, for messages (`TopicArn`, `ResourceArn`).
    ///   - action: The IAM action of the operation (`Publish`), for the authorization message.
    /// - Throws: `InvalidParameter` for text that is not an SNS topic ARN of this region;
    ///   `AuthorizationError` for another account's topic.
    func topicName(fromArn text: String, parameter: String = "TopicArn", action: String) throws(NotificationError)
        -> String
    {
        let arn = try parse(text, parameter: parameter, action: action)
        guard !arn.resource.contains(":") else { throw .invalidParameter("Invalid parameter: \(parameter)") }
        return arn.resource
    }

    /// The topic name and id of the subscription `text` names.
    ///
    /// - Throws: As ``topicName(fromArn:parameter:action:)``; `Invalid parameter: SubscriptionId`
    ///   for a topic ARN without a subscription id.
    func subscriptionReference(fromArn text: String, action: String) throws(NotificationError)
        -> (topicName: String, id: String)
    {
        let arn = try parse(text, parameter: "SubscriptionArn", action: action)
        let parts = arn.resource.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
            throw .invalidParameter("Invalid parameter: SubscriptionId")
        }
        return (String(parts[0]), String(parts[1]))
    }

    private func parse(_ text: String, parameter: String, action: String) throws(NotificationError) -> ARN {
        let count = text.split(separator: ":", omittingEmptySubsequences: false).count
        guard count >= 6 else {
            throw .invalidParameter(
                "Invalid parameter: \(parameter) Reason: An ARN must have at least 6 elements, not \(count)")
        }
        guard let arn = ARN(text), arn.service == "sns", arn.partition == partition, arn.region == region
        else {
            throw .invalidParameter("Invalid parameter: \(parameter)")
        }
        guard arn.accountId == accountId else {
            throw NotificationError(
                code: .authorizationError,
                message: "User: arn:\(partition):iam::\(accountId):root is not authorized to perform: SNS:\(action) "
                    + "on resource: \(text) because no resource-based policy allows the SNS:\(action) action")
        }
        return arn
    }
}
