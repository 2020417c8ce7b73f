import JSON

extension SNSMessage {
    /// The message as AWS sends it to HTTP/HTTPS and `email-json` subscribers: one member per line,
    /// indented by two spaces, `"Name" : value`, members in AWS's order, `MessageAttributes` (when
    /// there are any) last with each attribute on its own line as compact `{"Type":…,"Value":…}`.
    ///
    /// - `Notification`: `Type`, `MessageId`, `TopicArn`, `Subject` (when present), `Message`,
    ///   `Timestamp`, `SignatureVersion`, `Signature`, `SigningCertURL`, `UnsubscribeURL`,
    ///   `MessageAttributes`.
    /// - Confirmations: `Type`, `MessageId`, `Token`, `TopicArn`, `Message`, `SubscribeURL`,
    ///   `Timestamp`, `SignatureVersion`, `Signature`, `SigningCertURL`.
    public func jsonText() -> String {
        var members: [(String, String)] = [("Type", self.type.rawValue), ("MessageId", self.messageId)]
        switch self.type {
        case .notification:
            members.append(("TopicArn", self.topicArn))
            if let subject = self.presentSubject {
                members.append(("Subject", subject))
            }
            members.append(("Message", self.message))
            members.append(("Timestamp", self.timestamp))
        case .subscriptionConfirmation, .unsubscribeConfirmation:
            members.append(("Token", self.token ?? ""))
            members.append(("TopicArn", self.topicArn))
            members.append(("Message", self.message))
            members.append(("SubscribeURL", self.subscribeURL ?? ""))
            members.append(("Timestamp", self.timestamp))
        }
        members.append(("SignatureVersion", self.signatureVersion.rawValue))
        members.append(("Signature", self.signature))
        members.append(("SigningCertURL", self.signingCertURL))
        if self.type == .notification, let unsubscribeURL = self.unsubscribeURL {
            members.append(("UnsubscribeURL", unsubscribeURL))
        }

        var output: [UInt8] = []
        output.append(contentsOf: "{\n".utf8)
        for (index, member) in members.enumerated() {
            if index > 0 {
                output.append(contentsOf: ",\n".utf8)
            }
            output.append(contentsOf: "  ".utf8)
            JSONValue.writeString(member.0, into: &output)
            output.append(contentsOf: " : ".utf8)
            JSONValue.writeString(member.1, into: &output)
        }
        if self.type == .notification, !self.messageAttributes.isEmpty {
            output.append(contentsOf: ",\n  \"MessageAttributes\" : {\n".utf8)
            for (index, name) in self.messageAttributes.keys.sorted().enumerated() {
                let attribute = self.messageAttributes[name]!
                if index > 0 {
                    output.append(contentsOf: ",\n".utf8)
                }
                output.append(contentsOf: "    ".utf8)
                JSONValue.writeString(name, into: &output)
                output.append(contentsOf: " : {\"Type\":".utf8)
                JSONValue.writeString(attribute.type, into: &output)
                output.append(contentsOf: ",\"Value\":".utf8)
                JSONValue.writeString(attribute.value, into: &output)
                output.append(UInt8(ascii: "}"))
            }
            output.append(contentsOf: "\n  }".utf8)
        }
        output.append(contentsOf: "\n}".utf8)
        return String(decoding: output, as: UTF8.self)
    }
}
