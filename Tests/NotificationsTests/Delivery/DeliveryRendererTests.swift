import Foundation
import JSON
import Testing

@testable import Notifications

@Suite("Delivery rendering")
struct DeliveryRendererTests {
    static let date = Date(timeIntervalSince1970: 1_795_750_800)

    static func email(_ rendered: RenderedDelivery) throws -> (EmailMessage, String, String) {
        guard case .email(let message, let sender, let recipient) = rendered else {
            throw DeliveryRenderError("not an e-mail")
        }
        return (message, sender, recipient)
    }

    static func http(_ rendered: RenderedDelivery) throws -> HTTPDeliveryRequest {
        guard case .http(let request) = rendered else { throw DeliveryRenderError("not HTTP") }
        return request
    }

    @Test("an e-mail notification has AWS's From, Subject and unsubscribe footer")
    func emailNotification() throws {
        let payload = DeliveryFixtures.notification(protocol: "email", endpoint: "ops@example.com")
        let (message, sender, recipient) = try Self.email(
            try DeliveryFixtures.renderer().render(payload, options: DeliveryOptions(), date: Self.date))
        #expect(sender == "no-reply@sns.thingport.local")
        #expect(recipient == "ops@example.com")
        #expect(message.from == (try EmailAddress("no-reply@sns.thingport.local", displayName: "AWS Notifications")))
        #expect(message.to == [try EmailAddress("ops@example.com")])
        #expect(message.subject == "Temperature alert")
        #expect(message.date == Self.date)
        let expected = """
            Sensor 7 reads 41 C.

            --
            If you wish to stop receiving notifications from this topic, please click or visit the link below to unsubscribe:
            http://localhost:8080/?Action=Unsubscribe&SubscriptionArn=arn:aws:sns:us-east-1:000000000000:alerts:0b1c2d3e-0000-4000-8000-000000000001

            Please do not reply directly to this email.

            """
        #expect(message.body == expected)
        let rendered = String(decoding: message.rendered(), as: UTF8.self)
        #expect(rendered.contains("From: AWS Notifications <no-reply@sns.thingport.local>\r\n"))
        #expect(rendered.contains("Subject: Temperature alert\r\n"))
    }

    @Test(
        "the topic's DisplayName names the sender; no subject gives AWS's default; a support contact completes the footer"
    )
    func emailDefaults() throws {
        let payload = DeliveryFixtures.notification(protocol: "email", endpoint: "ops@example.com", subject: nil)
        let renderer = try DeliveryFixtures.renderer(
            senderAddress: "sns@iot.example.com", supportContact: "https://iot.example.com/help")
        let (message, sender, _) = try Self.email(
            try renderer.render(payload, options: DeliveryOptions(displayName: "Plant Alerts"), date: Self.date))
        #expect(sender == "sns@iot.example.com")
        #expect(message.from.displayName == "Plant Alerts")
        #expect(message.subject == "AWS Notification Message")
        #expect(
            message.body.hasSuffix(
                "Please do not reply directly to this email. If you have any questions or comments regarding this email, please contact us at https://iot.example.com/help\n"
            ))
        // An empty DisplayName and an empty subject count as none.
        let (plain, _, _) = try Self.email(
            try renderer.render(
                DeliveryFixtures.notification(protocol: "email", endpoint: "ops@example.com", subject: ""),
                options: DeliveryOptions(displayName: ""), date: Self.date))
        #expect(plain.from.displayName == "AWS Notifications")
        #expect(plain.subject == "AWS Notification Message")
    }

    @Test("a subject that cannot be a header line falls back to AWS's default subject")
    func unsafeSubject() throws {
        let payload = DeliveryFixtures.notification(
            protocol: "email", endpoint: "ops@example.com", subject: "a\r\nBcc: x@evil")
        let (message, _, _) = try Self.email(
            try DeliveryFixtures.renderer().render(payload, options: DeliveryOptions(), date: Self.date))
        #expect(message.subject == "AWS Notification Message")
    }

    @Test("an e-mail confirmation has AWS's subject and wording and the confirmation link")
    func emailConfirmation() throws {
        let payload = DeliveryFixtures.confirmation(protocol: "email", endpoint: "ops@example.com")
        let (message, _, _) = try Self.email(
            try DeliveryFixtures.renderer().render(
                payload, options: DeliveryOptions(displayName: "Plant"), date: Self.date))
        #expect(message.subject == "AWS Notification - Subscription Confirmation")
        #expect(message.from.displayName == "Plant")
        let expected = """
            You have chosen to subscribe to the topic:
            arn:aws:sns:us-east-1:000000000000:alerts

            To confirm this subscription, click or visit the link below (If this was in error no action is necessary):
            http://localhost:8080/?Action=ConfirmSubscription&TopicArn=arn:aws:sns:us-east-1:000000000000:alerts&Token=\(DeliveryFixtures.token)

            Please do not reply directly to this email.

            """
        #expect(message.body == expected)
    }

    @Test("email-json carries the signed JSON document", arguments: [SNSSignatureVersion.v1, .v2])
    func emailJSON(version: SNSSignatureVersion) throws {
        let renderer = try DeliveryFixtures.renderer()
        for payload in [
            DeliveryFixtures.notification(protocol: "email-json", endpoint: "ops@example.com"),
            DeliveryFixtures.confirmation(protocol: "email-json", endpoint: "ops@example.com"),
        ] {
            let (message, _, _) = try Self.email(
                try renderer.render(payload, options: DeliveryOptions(signatureVersion: version), date: Self.date))
            #expect(message.body.hasPrefix("{\n  \"Type\" : "))
            #expect(!message.body.contains("If you wish to stop receiving"))
            let fields = try IndependentSNSVerifier.fields(ofJSON: message.body)
            #expect(fields["MessageId"] == payload.messageId)
            #expect(fields["SignatureVersion"] == version.rawValue)
            #expect(
                try IndependentSNSVerifier.isValid(
                    json: message.body, certificatePEM: SNSSigningCredentials.shared.certificatePEM))
        }
    }

    @Test("an HTTP notification has AWS's headers, in order, and a signed JSON body")
    func httpNotification() throws {
        let payload = DeliveryFixtures.notification(
            protocol: "https", endpoint: "https://hooks.example.com/sns?x=1",
            attributes: ["level": .init(type: "Number", value: "3")])
        let request = try Self.http(
            try DeliveryFixtures.renderer().render(payload, options: DeliveryOptions(), date: Self.date))
        #expect(request.url == "https://hooks.example.com/sns?x=1")
        #expect(
            request.headers.map(\.name) == [
                "x-amz-sns-message-type", "x-amz-sns-message-id", "x-amz-sns-topic-arn", "x-amz-sns-subscription-arn",
                "Content-Type", "User-Agent",
            ])
        #expect(request.header("x-amz-sns-message-type") == "Notification")
        #expect(request.header("x-amz-sns-message-id") == payload.messageId)
        #expect(request.header("x-amz-sns-topic-arn") == DeliveryFixtures.topicArn)
        #expect(request.header("x-amz-sns-subscription-arn") == payload.subscriptionArn)
        #expect(request.header("content-type") == "text/plain; charset=UTF-8")
        #expect(request.header("User-Agent") == "Amazon Simple Notification Service Agent")
        let body = String(decoding: request.body, as: UTF8.self)
        let json = try JSONValue.parse(body)
        #expect(json["Type"]?.stringValue == "Notification")
        #expect(json["Subject"]?.stringValue == "Temperature alert")
        #expect(
            json["UnsubscribeURL"]?.stringValue
                == "http://localhost:8080/?Action=Unsubscribe&SubscriptionArn=\(payload.subscriptionArn)")
        #expect(json["SigningCertURL"]?.stringValue == "http://localhost:8080/_thingport/sns/signing-cert.pem")
        #expect(json["MessageAttributes"]?["level"]?["Value"]?.stringValue == "3")
        #expect(
            try IndependentSNSVerifier.isValid(json: body, certificatePEM: SNSSigningCredentials.shared.certificatePEM))
    }

    @Test("raw message delivery posts the bare message with x-amz-sns-rawdelivery")
    func rawDelivery() throws {
        let payload = DeliveryFixtures.notification(
            protocol: "http", endpoint: "http://127.0.0.1:9/", message: "{\"t\":41}", raw: true)
        let request = try Self.http(
            try DeliveryFixtures.renderer().render(payload, options: DeliveryOptions(), date: Self.date))
        #expect(request.body == Array("{\"t\":41}".utf8))
        #expect(request.header("x-amz-sns-rawdelivery") == "true")
        #expect(request.header("x-amz-sns-message-type") == "Notification")
        // Raw delivery never applies to confirmations.
        var confirmation = DeliveryFixtures.confirmation(protocol: "http", endpoint: "http://127.0.0.1:9/")
        confirmation.rawMessageDelivery = true
        let confirmationRequest = try Self.http(
            try DeliveryFixtures.renderer().render(confirmation, options: DeliveryOptions(), date: Self.date))
        #expect(confirmationRequest.header("x-amz-sns-rawdelivery") == nil)
        #expect(try JSONValue.parse(confirmationRequest.body)["Type"]?.stringValue == "SubscriptionConfirmation")
    }

    @Test("an HTTP confirmation has no subscription header and carries SubscribeURL and Token")
    func httpConfirmation() throws {
        let payload = DeliveryFixtures.confirmation(protocol: "http", endpoint: "http://127.0.0.1:9/")
        let request = try Self.http(
            try DeliveryFixtures.renderer().render(
                payload, options: DeliveryOptions(httpContentType: "application/json"), date: Self.date))
        #expect(request.header("x-amz-sns-message-type") == "SubscriptionConfirmation")
        #expect(request.header("x-amz-sns-subscription-arn") == nil)
        #expect(request.header("Content-Type") == "application/json")
        let body = String(decoding: request.body, as: UTF8.self)
        let fields = try IndependentSNSVerifier.fields(ofJSON: body)
        #expect(fields["Token"] == DeliveryFixtures.token)
        #expect(
            fields["SubscribeURL"]
                == "http://localhost:8080/?Action=ConfirmSubscription&TopicArn=\(DeliveryFixtures.topicArn)&Token=\(DeliveryFixtures.token)"
        )
        #expect(fields["Message"] == payload.message)
        #expect(fields["UnsubscribeURL"] == nil)
        #expect(
            try IndependentSNSVerifier.isValid(json: body, certificatePEM: SNSSigningCredentials.shared.certificatePEM))
    }

    @Test("deliveries that can never succeed are refused")
    func refusals() throws {
        let renderer = try DeliveryFixtures.renderer()
        #expect(throws: EmailValidationError.self) {
            try renderer.render(
                DeliveryFixtures.notification(protocol: "email", endpoint: "not an address"),
                options: DeliveryOptions(), date: Self.date)
        }
        #expect(throws: DeliveryRenderError.self) {
            try renderer.render(
                DeliveryFixtures.notification(protocol: "sqs", endpoint: "arn:aws:sqs:q"), options: DeliveryOptions(),
                date: Self.date)
        }
        for proto in ["email", "email-json", "https"] {
            #expect(throws: DeliveryRenderError.self) {
                try renderer.render(
                    DeliveryFixtures.confirmation(
                        protocol: proto, endpoint: proto == "https" ? "https://h/" : "a@b.c", token: nil),
                    options: DeliveryOptions(), date: Self.date)
            }
        }
        #expect(throws: EmailValidationError.self) {
            try DeliveryFixtures.renderer(senderAddress: "no at sign")
        }
    }

    @Test("options come from the stored topic and subscription attributes")
    func optionsFromAttributes() {
        let options = DeliveryOptions(
            topicAttributes:
                #"{"DisplayName":"Plant","SignatureVersion":"2","DeliveryPolicy":"{\"http\":{\"defaultRequestPolicy\":{\"headerContentType\":\"application/xml\"}}}"}"#,
            subscriptionAttributes: #"{"RawMessageDelivery":"false"}"#)
        #expect(
            options == DeliveryOptions(displayName: "Plant", signatureVersion: .v2, httpContentType: "application/xml"))
        #expect(DeliveryOptions(topicAttributes: "not json", subscriptionAttributes: nil) == DeliveryOptions())
        let overridden = DeliveryOptions(
            topicAttributes:
                #"{"DeliveryPolicy":"{\"http\":{\"defaultRequestPolicy\":{\"headerContentType\":\"application/xml\"}}}"}"#,
            subscriptionAttributes:
                #"{"DeliveryPolicy":"{\"requestPolicy\":{\"headerContentType\":\"application/json\"}}"}"#)
        #expect(overridden.httpContentType == "application/json")
    }
}
