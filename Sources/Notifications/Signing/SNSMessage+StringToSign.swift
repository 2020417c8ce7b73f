extension SNSMessage {
    /// AWS's canonical "string to sign": for each signed member, in AWS's fixed order, its name, a
    /// newline, its value and a newline.
    ///
    /// - `Notification`: `Message`, `MessageId`, `Subject` (only when present), `Timestamp`,
    ///   `TopicArn`, `Type`.
    /// - `SubscriptionConfirmation` and `UnsubscribeConfirmation`: `Message`, `MessageId`,
    ///   `SubscribeURL`, `Timestamp`, `Token`, `TopicArn`, `Type`.
    ///
    /// Values are the unescaped strings (a `\n` in the JSON is a newline here).
    public var stringToSign: String {
        var fields: [(String, String)] = [("Message", self.message), ("MessageId", self.messageId)]
        switch self.type {
        case .notification:
            if let subject = self.presentSubject {
                fields.append(("Subject", subject))
            }
            fields.append(("Timestamp", self.timestamp))
        case .subscriptionConfirmation, .unsubscribeConfirmation:
            fields.append(("SubscribeURL", self.subscribeURL ?? ""))
            fields.append(("Timestamp", self.timestamp))
            fields.append(("Token", self.token ?? ""))
        }
        fields.append(("TopicArn", self.topicArn))
        fields.append(("Type", self.type.rawValue))
        var text = ""
        for (name, value) in fields {
            text += name + "\n" + value + "\n"
        }
        return text
    }
}
