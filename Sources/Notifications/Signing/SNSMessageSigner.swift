import Crypto
import Foundation
import X509
import _CryptoExtras

/// Signs SNS messages as AWS does, with Thingport's SNS signing key.
///
/// The key is an RSA key (2048 bits or more) and the certificate holds its public key; the
/// certificate is what ``certificatePEM`` returns and what is served at `SigningCertURL`, so that
/// receivers verify the signature as they verify AWS's: `SHA1withRSA` (``SNSSignatureVersion/v1``)
/// or `SHA256withRSA` (``SNSSignatureVersion/v2``, PKCS #1 v1.5 padding) over
/// ``SNSMessage/stringToSign``, base64-encoded.
public struct SNSMessageSigner: Sendable {
    /// The signing certificate in PEM, as served at `SigningCertURL`.
    public let certificatePEM: String
    /// The signing certificate.
    public let certificate: Certificate
    private let privateKey: _RSA.Signing.PrivateKey
    private let cache = SNSSignatureCache()

    /// Loads the signing credentials.
    /// - Parameters:
    ///   - privateKeyPEM: the RSA private key, PKCS #1 (`RSA PRIVATE KEY`) or PKCS #8 (`PRIVATE KEY`).
    ///   - certificatePEM: the certificate of that key (the first certificate of the PEM text is used).
    /// - Throws: ``SNSSigningError`` when the key or certificate cannot be read or do not belong together.
    public init(privateKeyPEM: String, certificatePEM: String) throws(SNSSigningError) {
        let key: _RSA.Signing.PrivateKey
        do {
            key = try _RSA.Signing.PrivateKey(pemRepresentation: privateKeyPEM)
        } catch {
            throw SNSSigningError(
                .invalidPrivateKey, "the SNS signing key is not a PEM RSA key of 2048 bits or more: \(error)")
        }
        let certificate: Certificate
        do {
            certificate = try Certificate(pemEncoded: certificatePEM)
        } catch {
            throw SNSSigningError(.invalidCertificate, "the SNS signing certificate is not a PEM certificate: \(error)")
        }
        guard certificate.publicKey == Certificate.PublicKey(key.publicKey) else {
            throw SNSSigningError(
                .keyMismatch, "the SNS signing certificate does not hold the signing key's public key")
        }
        self.privateKey = key
        self.certificate = certificate
        do {
            self.certificatePEM = try certificate.serializeAsPEM().pemString + "\n"
        } catch {
            throw SNSSigningError(.invalidCertificate, "the SNS signing certificate cannot be written as PEM: \(error)")
        }
    }

    /// The base64 signature of `stringToSign` for `version`.
    ///
    /// PKCS #1 v1.5 signatures are deterministic, so recent ones are remembered: the same message
    /// fanned out to many subscribers is signed once.
    /// - Throws: ``SNSSigningError`` with ``SNSSigningError/Code/signingFailed``.
    public func signature(for stringToSign: String, version: SNSSignatureVersion) throws(SNSSigningError) -> String {
        try self.cache.signature(for: stringToSign, version: version) { () throws(SNSSigningError) -> String in
            try self.computeSignature(for: stringToSign, version: version)
        }
    }

    private func computeSignature(for stringToSign: String, version: SNSSignatureVersion) throws(SNSSigningError)
        -> String
    {
        let data = Data(stringToSign.utf8)
        do {
            let signature: _RSA.Signing.RSASignature
            switch version {
            case .v1:
                signature = try self.privateKey.signature(
                    for: Insecure.SHA1.hash(data: data), padding: .insecurePKCS1v1_5)
            case .v2:
                signature = try self.privateKey.signature(for: SHA256.hash(data: data), padding: .insecurePKCS1v1_5)
            }
            return signature.rawRepresentation.base64EncodedString()
        } catch {
            throw SNSSigningError(.signingFailed, "RSA signing failed: \(error)")
        }
    }

    /// `message` with ``SNSMessage/signatureVersion`` set to `version` and ``SNSMessage/signature`` to
    /// the signature of its ``SNSMessage/stringToSign``.
    /// - Throws: ``SNSSigningError`` with ``SNSSigningError/Code/signingFailed``.
    public func sign(_ message: SNSMessage, version: SNSSignatureVersion) throws(SNSSigningError) -> SNSMessage {
        var signed = message
        signed.signatureVersion = version
        signed.signature = try self.signature(for: message.stringToSign, version: version)
        return signed
    }
}
