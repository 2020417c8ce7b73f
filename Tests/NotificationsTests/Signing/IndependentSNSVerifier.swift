import Crypto
import Foundation
import JSON
import X509
import _CryptoExtras

/// Verifies an SNS JSON message the way receivers verify AWS's (the AWS SDKs' and
/// `sns-message-validator`'s rules), written from AWS's documentation independently of the code
/// under test: parse the JSON, build the string to sign from the fields of the message type in the
/// documented order (`Subject` only when present), and check the base64 signature with the
/// certificate's RSA key, SHA1withRSA for `SignatureVersion` 1 and SHA256withRSA for 2.
enum IndependentSNSVerifier {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// The documented canonical string of a parsed message.
    static func stringToSign(_ document: [String: String]) throws -> String {
        let keys: [String]
        switch document["Type"] {
        case "Notification":
            keys = ["Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"]
        case "SubscriptionConfirmation", "UnsubscribeConfirmation":
            keys = ["Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type"]
        default:
            throw Failure(description: "unknown Type \(document["Type"] ?? "nil")")
        }
        var result = ""
        for key in keys {
            guard let value = document[key] else {
                if key == "Subject" { continue }
                throw Failure(description: "missing \(key)")
            }
            result += "\(key)\n\(value)\n"
        }
        return result
    }

    /// The string members of a JSON message (MessageAttributes skipped).
    static func fields(ofJSON text: String) throws -> [String: String] {
        let value = try JSONValue.parse(text)
        guard let members = value.members else { throw Failure(description: "not an object") }
        var result: [String: String] = [:]
        for member in members {
            if let string = member.value.stringValue { result[member.key] = string }
        }
        return result
    }

    /// Whether the message's signature is valid for the certificate.
    static func isValid(json text: String, certificatePEM: String) throws -> Bool {
        let document = try fields(ofJSON: text)
        guard let signatureText = document["Signature"], let signature = Data(base64Encoded: signatureText) else {
            throw Failure(description: "no base64 Signature")
        }
        let certificate = try Certificate(pemEncoded: certificatePEM)
        guard let publicKey = _RSA.Signing.PublicKey(certificate.publicKey) else {
            throw Failure(description: "not an RSA certificate")
        }
        let data = Data(try stringToSign(document).utf8)
        let rsaSignature = _RSA.Signing.RSASignature(rawRepresentation: signature)
        switch document["SignatureVersion"] {
        case "1":
            return publicKey.isValidSignature(
                rsaSignature, for: Insecure.SHA1.hash(data: data), padding: .insecurePKCS1v1_5)
        case "2":
            return publicKey.isValidSignature(rsaSignature, for: SHA256.hash(data: data), padding: .insecurePKCS1v1_5)
        default:
            throw Failure(description: "unknown SignatureVersion")
        }
    }
}
