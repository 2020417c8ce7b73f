import Foundation

extension DeliveryRenderer {
    func renderEmail(_ payload: DeliveryPayload, options: DeliveryOptions, date: Date, json: Bool) throws
        -> RenderedDelivery
    {
        let displayName = options.displayName.flatMap { $0.isEmpty ? nil : $0 } ?? Self.defaultDisplayName
        // A display name that cannot be a header (control characters) falls back to the default.
        let from =
            try (try? EmailAddress(self.senderAddress, displayName: displayName))
            ?? EmailAddress(self.senderAddress, displayName: Self.defaultDisplayName)
        let recipient = try EmailAddress(payload.endpoint)
        let subject: String
        let body: String
        switch payload.kind {
        case .notification:
            subject = payload.subject.flatMap { $0.isEmpty ? nil : $0 } ?? Self.defaultSubject
            body =
                json
                ? try self.message(for: payload, version: options.signatureVersion).jsonText()
                : self.notificationText(payload)
        case .confirmation:
            subject = Self.confirmationSubject
            body =
                json
                ? try self.message(for: payload, version: options.signatureVersion).jsonText()
                : try self.confirmationText(payload)
        }
        // AWS replaces a subject that cannot be a header line with its default.
        let message =
            try (try? EmailMessage(from: from, to: [recipient], subject: subject, body: body, date: date))
            ?? EmailMessage(from: from, to: [recipient], subject: Self.defaultSubject, body: body, date: date)
        return .email(message, envelopeSender: self.senderAddress, recipient: recipient.address)
    }

    /// The message, then AWS's footer: `--`, the unsubscribe sentence and link, and the do-not-reply
    /// sentence.
    func notificationText(_ payload: DeliveryPayload) -> String {
        var text = payload.message
        text += "\n\n--\n"
        text += "If you wish to stop receiving notifications from this topic, please click or visit the link below"
        text += " to unsubscribe:\n"
        text += self.links.unsubscribeURL(subscriptionArn: payload.subscriptionArn) + "\n\n"
        text += "Please do not reply directly to this email."
        if let supportContact {
            text +=
                " If you have any questions or comments regarding this email, please contact us at \(supportContact)"
        }
        text += "\n"
        return text
    }

    /// AWS's confirmation e-mail as plain text, with the link in place of its "Confirm subscription"
    /// anchor.
    func confirmationText(_ payload: DeliveryPayload) throws -> String {
        guard let token = payload.token, !token.isEmpty else {
            throw DeliveryRenderError("confirmation \(payload.messageId) has no token")
        }
        var text = "You have chosen to subscribe to the topic:\n"
        text += payload.topicArn + "\n\n"
        text +=
            "To confirm this subscription, click or visit the link below (If this was in error no action is necessary):\n"
        text += self.links.subscribeURL(topicArn: payload.topicArn, token: token) + "\n\n"
        text += "Please do not reply directly to this email.\n"
        return text
    }
}
