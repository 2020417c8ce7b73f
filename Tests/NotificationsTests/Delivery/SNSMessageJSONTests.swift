import JSON
import Testing

@testable import Notifications

@Suite("SNS JSON message layout")
struct SNSMessageJSONTests {
    @Test("a notification is written as AWS writes it: member order, spacing, attributes last")
    func notificationLayout() {
        let message = SNSMessage(
            type: .notification, messageId: "da41e39f-ea4d-435a-b922-c6aae3915ebe",
            topicArn: "arn:aws:sns:us-west-2:123456789012:MyTopic", subject: "test", message: "test message",
            timestamp: "2012-04-25T21:49:25.719Z", signatureVersion: .v1, signature: "EXAMPLE+/=",
            signingCertURL: "http://localhost:8080/_thingport/sns/signing-cert.pem",
            unsubscribeURL:
                "http://localhost:8080/?Action=Unsubscribe&SubscriptionArn=arn:aws:sns:us-west-2:123456789012:MyTopic:2bcf",
            messageAttributes: [
                "zone": .init(type: "String", value: "north"),
                "level": .init(type: "Number", value: "3"),
            ])
        let expected = """
            {
              "Type" : "Notification",
              "MessageId" : "da41e39f-ea4d-435a-b922-c6aae3915ebe",
              "TopicArn" : "arn:aws:sns:us-west-2:123456789012:MyTopic",
              "Subject" : "test",
              "Message" : "test message",
              "Timestamp" : "2012-04-25T21:49:25.719Z",
              "SignatureVersion" : "1",
              "Signature" : "EXAMPLE+/=",
              "SigningCertURL" : "http://localhost:8080/_thingport/sns/signing-cert.pem",
              "UnsubscribeURL" : "http://localhost:8080/?Action=Unsubscribe&SubscriptionArn=arn:aws:sns:us-west-2:123456789012:MyTopic:2bcf",
              "MessageAttributes" : {
                "level" : {"Type":"Number","Value":"3"},
                "zone" : {"Type":"String","Value":"north"}
              }
            }
            """
        #expect(message.jsonText() == expected)
    }

    @Test("a confirmation is written with Token, SubscribeURL and no UnsubscribeURL")
    func confirmationLayout() {
        let message = SNSMessage(
            type: .subscriptionConfirmation, messageId: "165545c9", token: "2336412f",
            topicArn: "arn:aws:sns:us-west-2:123456789012:MyTopic", message: "You have chosen…\nTo confirm…",
            subscribeURL:
                "http://h/?Action=ConfirmSubscription&TopicArn=arn:aws:sns:us-west-2:123456789012:MyTopic&Token=2336412f",
            timestamp: "2012-04-26T20:45:04.751Z", signatureVersion: .v2, signature: "SIG",
            signingCertURL: "http://h/_thingport/sns/signing-cert.pem",
            unsubscribeURL: "http://h/ignored", messageAttributes: ["a": .init(type: "String", value: "ignored")])
        let expected = """
            {
              "Type" : "SubscriptionConfirmation",
              "MessageId" : "165545c9",
              "Token" : "2336412f",
              "TopicArn" : "arn:aws:sns:us-west-2:123456789012:MyTopic",
              "Message" : "You have chosen…\\nTo confirm…",
              "SubscribeURL" : "http://h/?Action=ConfirmSubscription&TopicArn=arn:aws:sns:us-west-2:123456789012:MyTopic&Token=2336412f",
              "Timestamp" : "2012-04-26T20:45:04.751Z",
              "SignatureVersion" : "2",
              "Signature" : "SIG",
              "SigningCertURL" : "http://h/_thingport/sns/signing-cert.pem"
            }
            """
        #expect(message.jsonText() == expected)
    }

    @Test("without subject or attributes those members are absent; awkward text round-trips")
    func escapingRoundTrips() throws {
        let text = "quote \" backslash \\ tab \t nul \u{0} line\r\nemoji 🛰️ slash / ü"
        let message = SNSMessage(
            type: .notification, messageId: "m", topicArn: "t", subject: "", message: text, timestamp: "ts",
            signingCertURL: "c", unsubscribeURL: "u")
        let json = message.jsonText()
        #expect(!json.contains("\"Subject\""))
        #expect(!json.contains("MessageAttributes"))
        let parsed = try JSONValue.parse(json)
        #expect(parsed["Message"]?.stringValue == text)
        #expect(
            parsed.members?.map(\.key) == [
                "Type", "MessageId", "TopicArn", "Message", "Timestamp", "SignatureVersion", "Signature",
                "SigningCertURL",
                "UnsubscribeURL",
            ])
    }
}
