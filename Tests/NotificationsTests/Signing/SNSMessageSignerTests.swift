import Crypto
import Foundation
import Testing
import X509
import _CryptoExtras

@testable import Notifications

@Suite("SNS message signing")
struct SNSMessageSignerTests {
    static let credentials = SNSSigningCredentials.shared

    static func signer() throws -> SNSMessageSigner {
        try SNSMessageSigner(privateKeyPEM: credentials.privateKeyPEM, certificatePEM: credentials.certificatePEM)
    }

    static func notification(subject: String? = "Temperature alert") -> SNSMessage {
        SNSMessage(
            type: .notification, messageId: "22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324",
            topicArn: "arn:aws:sns:us-west-2:123456789012:MyTopic", subject: subject,
            message: "Sensor 7 reads 41 °C.\nCheck \"cooling\" now.", timestamp: "2012-05-02T00:54:06.655Z",
            signingCertURL: "http://localhost:8080/_thingport/sns/signing-cert.pem",
            unsubscribeURL:
                "http://localhost:8080/?Action=Unsubscribe&SubscriptionArn=arn:aws:sns:us-west-2:123456789012:MyTopic:c9135db0"
        )
    }

    static func confirmation() -> SNSMessage {
        SNSMessage(
            type: .subscriptionConfirmation, messageId: "165545c9-2a5c-472c-8df2-7ff2be2b3b1b",
            token:
                "2336412f37fb687f5d51e6e241d09c805a5a57b30d712f794cc5f6a988666d92768dd60a747ba6f3beb71854e285d6ad02428b09ceece29417f1f02d609c582afbacc99c583a916b9981dd2728f4ae6fdb82efd087cc3b7849e05798d2d2785c03b0879594eeac82c01f235d0e717736",
            topicArn: "arn:aws:sns:us-west-2:123456789012:MyTopic",
            message:
                "You have chosen to subscribe to the topic arn:aws:sns:us-west-2:123456789012:MyTopic.\nTo confirm the subscription, visit the SubscribeURL included in this message.",
            subscribeURL:
                "http://localhost:8080/?Action=ConfirmSubscription&TopicArn=arn:aws:sns:us-west-2:123456789012:MyTopic&Token=2336",
            timestamp: "2012-04-26T20:45:04.751Z",
            signingCertURL: "http://localhost:8080/_thingport/sns/signing-cert.pem")
    }

    @Test("the notification string to sign has AWS's fields in AWS's order")
    func notificationStringToSign() {
        let expected =
            "Message\nSensor 7 reads 41 °C.\nCheck \"cooling\" now.\n"
            + "MessageId\n22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324\n"
            + "Subject\nTemperature alert\n"
            + "Timestamp\n2012-05-02T00:54:06.655Z\n"
            + "TopicArn\narn:aws:sns:us-west-2:123456789012:MyTopic\n"
            + "Type\nNotification\n"
        #expect(Self.notification().stringToSign == expected)
    }

    @Test("Subject is left out of the string to sign when absent or empty", arguments: [nil, ""] as [String?])
    func stringToSignWithoutSubject(subject: String?) {
        let text = Self.notification(subject: subject).stringToSign
        #expect(!text.contains("Subject"))
        #expect(text.hasPrefix("Message\n"))
        #expect(text.contains("MessageId\n22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324\nTimestamp\n"))
    }

    @Test("the confirmation string to sign has SubscribeURL and Token in AWS's order")
    func confirmationStringToSign() {
        let message = Self.confirmation()
        let expected =
            "Message\n\(message.message)\n" + "MessageId\n165545c9-2a5c-472c-8df2-7ff2be2b3b1b\n"
            + "SubscribeURL\n\(message.subscribeURL!)\n" + "Timestamp\n2012-04-26T20:45:04.751Z\n"
            + "Token\n\(message.token!)\n" + "TopicArn\narn:aws:sns:us-west-2:123456789012:MyTopic\n"
            + "Type\nSubscriptionConfirmation\n"
        #expect(message.stringToSign == expected)
        var unsubscribe = message
        unsubscribe.type = .unsubscribeConfirmation
        #expect(
            unsubscribe.stringToSign
                == expected.replacingOccurrences(
                    of: "Type\nSubscriptionConfirmation", with: "Type\nUnsubscribeConfirmation"))
    }

    @Test(
        "signed messages verify like AWS's, with an independent verifier",
        arguments: [SNSSignatureVersion.v1, .v2], [0, 1, 2])
    func signaturesVerify(version: SNSSignatureVersion, shape: Int) throws {
        let message = [Self.notification(), Self.notification(subject: nil), Self.confirmation()][shape]
        let signed = try Self.signer().sign(message, version: version)
        #expect(signed.signatureVersion == version)
        #expect(Data(base64Encoded: signed.signature)?.count == 256)
        #expect(
            try IndependentSNSVerifier.isValid(json: signed.jsonText(), certificatePEM: Self.credentials.certificatePEM)
        )
    }

    @Test("a changed field or a wrong version fails verification", arguments: [SNSSignatureVersion.v1, .v2])
    func tamperingIsDetected(version: SNSSignatureVersion) throws {
        let signed = try Self.signer().sign(Self.notification(), version: version)
        var tampered = signed
        tampered.message += "!"
        #expect(
            try !IndependentSNSVerifier.isValid(
                json: tampered.jsonText(), certificatePEM: Self.credentials.certificatePEM))
        var retitled = signed
        retitled.subject = nil
        #expect(
            try !IndependentSNSVerifier.isValid(
                json: retitled.jsonText(), certificatePEM: Self.credentials.certificatePEM))
        var relabelled = signed
        relabelled.signatureVersion = version == .v1 ? .v2 : .v1
        #expect(
            try !IndependentSNSVerifier.isValid(
                json: relabelled.jsonText(), certificatePEM: Self.credentials.certificatePEM))
        // Another certificate does not verify it either.
        let other = try SNSSigningCredentials()
        #expect(try !IndependentSNSVerifier.isValid(json: signed.jsonText(), certificatePEM: other.certificatePEM))
    }

    @Test("v1 and v2 are PKCS #1 v1.5 signatures over SHA-1 and SHA-256 of the string to sign")
    func digestsAreAsDocumented() throws {
        let signer = try Self.signer()
        let message = Self.notification()
        let data = Data(message.stringToSign.utf8)
        let publicKey = try #require(_RSA.Signing.PublicKey(signer.certificate.publicKey))
        let v1 = _RSA.Signing.RSASignature(
            rawRepresentation: Data(base64Encoded: try signer.signature(for: message.stringToSign, version: .v1))!)
        let v2 = _RSA.Signing.RSASignature(
            rawRepresentation: Data(base64Encoded: try signer.signature(for: message.stringToSign, version: .v2))!)
        #expect(publicKey.isValidSignature(v1, for: Insecure.SHA1.hash(data: data), padding: .insecurePKCS1v1_5))
        #expect(!publicKey.isValidSignature(v1, for: SHA256.hash(data: data), padding: .insecurePKCS1v1_5))
        #expect(publicKey.isValidSignature(v2, for: SHA256.hash(data: data), padding: .insecurePKCS1v1_5))
        // PKCS #1 v1.5 is deterministic: the same input gives the same signature.
        #expect(
            try signer.signature(for: message.stringToSign, version: .v2)
                == signer.signature(for: message.stringToSign, version: .v2))
    }

    @Test("PKCS #1 and PKCS #8 keys are both accepted; the certificate is re-served as PEM")
    func loadsKeyForms() throws {
        let pkcs8 = try SNSMessageSigner(
            privateKeyPEM: Self.credentials.privateKeyPKCS8PEM, certificatePEM: Self.credentials.certificatePEM)
        #expect(pkcs8.certificatePEM.hasPrefix("-----BEGIN CERTIFICATE-----\n"))
        #expect(pkcs8.certificatePEM.hasSuffix("-----END CERTIFICATE-----\n"))
        let pkcs1 = try Self.signer()
        #expect(try pkcs1.signature(for: "x", version: .v1) == pkcs8.signature(for: "x", version: .v1))
    }

    @Test("unusable credentials are refused with a reason")
    func refusesBadCredentials() throws {
        let other = try SNSSigningCredentials()
        #expect(throws: SNSSigningError.self) {
            try SNSMessageSigner(privateKeyPEM: other.privateKeyPEM, certificatePEM: Self.credentials.certificatePEM)
        }
        do {
            _ = try SNSMessageSigner(
                privateKeyPEM: other.privateKeyPEM, certificatePEM: Self.credentials.certificatePEM)
        } catch {
            #expect(error.code == .keyMismatch)
        }
        do {
            _ = try SNSMessageSigner(privateKeyPEM: "not a key", certificatePEM: Self.credentials.certificatePEM)
            Issue.record("a garbage key was accepted")
        } catch {
            #expect(error.code == .invalidPrivateKey)
        }
        do {
            _ = try SNSMessageSigner(
                privateKeyPEM: Self.credentials.privateKeyPEM, certificatePEM: Self.credentials.privateKeyPEM)
            Issue.record("a key was accepted as certificate")
        } catch {
            #expect(error.code == .invalidCertificate)
        }
        let small = try _RSA.Signing.PrivateKey(unsafeKeySize: .init(bitCount: 1024))
        do {
            _ = try SNSMessageSigner(
                privateKeyPEM: small.pemRepresentation, certificatePEM: Self.credentials.certificatePEM)
            Issue.record("a 1024-bit key was accepted")
        } catch {
            #expect(error.code == .invalidPrivateKey)
        }
    }

    @Test(
        "the topic's SignatureVersion attribute selects the version",
        arguments: [(nil, SNSSignatureVersion.v1), ("1", .v1), ("2", .v2), ("3", .v1), ("", .v1)]
            as [(String?, SNSSignatureVersion)])
    func versionFromAttribute(value: String?, expected: SNSSignatureVersion) {
        #expect(SNSSignatureVersion(topicAttribute: value) == expected)
    }
}
