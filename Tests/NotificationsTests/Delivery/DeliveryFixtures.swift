import Foundation

@testable import Notifications

/// Payloads, renderers and names shared by the delivery tests.
enum DeliveryFixtures {
    static let baseURL = "http://localhost:8080"
    static let topicArn = "arn:aws:sns:us-east-1:000000000000:alerts"
    static let token = String(repeating: "ab12", count: 32)

    static func signer() throws -> SNSMessageSigner {
        try SNSMessageSigner(
            privateKeyPEM: SNSSigningCredentials.shared.privateKeyPEM,
            certificatePEM: SNSSigningCredentials.shared.certificatePEM)
    }

    static func renderer(senderAddress: String = DeliveryRenderer.defaultSenderAddress, supportContact: String? = nil)
        throws -> DeliveryRenderer
    {
        try DeliveryRenderer(
            signer: signer(), links: DeliveryLinks(publicAPIBaseURL: baseURL), senderAddress: senderAddress,
            supportContact: supportContact)
    }

    static func subscriptionArn(_ id: String) -> String { "\(topicArn):\(id)" }

    static func notification(
        protocol: String, endpoint: String, subscriptionID: String = "0b1c2d3e-0000-4000-8000-000000000001",
        subject: String? = "Temperature alert", message: String = "Sensor 7 reads 41 C.",
        attributes: [String: DeliveryPayload.MessageAttribute] = [:], raw: Bool = false,
        messageId: String = UUID().uuidString.lowercased()
    ) -> DeliveryPayload {
        DeliveryPayload(
            kind: .notification, messageId: messageId, topicArn: topicArn, subject: subject, message: message,
            messageAttributes: attributes, timestamp: "2026-11-27T03:40:00.123Z",
            subscriptionArn: subscriptionArn(subscriptionID), protocol: `protocol`, endpoint: endpoint,
            rawMessageDelivery: raw)
    }

    static func confirmation(
        protocol: String, endpoint: String, subscriptionID: String = "0b1c2d3e-0000-4000-8000-000000000001",
        token: String? = DeliveryFixtures.token
    ) -> DeliveryPayload {
        DeliveryPayload(
            kind: .confirmation, messageId: UUID().uuidString.lowercased(), topicArn: topicArn,
            message:
                "You have chosen to subscribe to the topic \(topicArn).\nTo confirm the subscription, visit the SubscribeURL included in this message.",
            timestamp: "2026-11-27T03:40:00.123Z", token: token, subscriptionArn: subscriptionArn(subscriptionID),
            protocol: `protocol`, endpoint: endpoint)
    }
}
