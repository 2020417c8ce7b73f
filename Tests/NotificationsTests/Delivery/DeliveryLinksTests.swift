import Testing

@testable import Notifications

@Suite("Delivery links")
struct DeliveryLinksTests {
    @Test(
        "links are AWS's query links on the public API, ARNs unencoded",
        arguments: ["http://localhost:8080", "http://localhost:8080/", "http://localhost:8080//"])
    func links(base: String) {
        let links = DeliveryLinks(publicAPIBaseURL: base)
        #expect(links.baseURL == "http://localhost:8080")
        #expect(links.signingCertURL == "http://localhost:8080/_thingport/sns/signing-cert.pem")
        #expect(
            links.subscribeURL(topicArn: "arn:aws:sns:us-east-1:000000000000:alerts", token: "ab12")
                == "http://localhost:8080/?Action=ConfirmSubscription&TopicArn=arn:aws:sns:us-east-1:000000000000:alerts&Token=ab12"
        )
        #expect(
            links.unsubscribeURL(subscriptionArn: "arn:aws:sns:us-east-1:000000000000:alerts:0b1c-2d")
                == "http://localhost:8080/?Action=Unsubscribe&SubscriptionArn=arn:aws:sns:us-east-1:000000000000:alerts:0b1c-2d"
        )
    }

    @Test("characters that would break the query are percent-encoded")
    func encoding() {
        let links = DeliveryLinks(publicAPIBaseURL: "https://iot.example.com")
        #expect(
            links.subscribeURL(topicArn: "a&b=c d", token: "t/+é")
                == "https://iot.example.com/?Action=ConfirmSubscription&TopicArn=a%26b%3Dc%20d&Token=t%2F%2B%C3%A9")
    }
}
