/// The answer to AWS IoT's `CreateKeysAndCertificate`: a new key pair and its certificate.
public struct DeviceKeysAndCertificate: Sendable {
    /// The device certificate, issued by the root.
    public let certificate: IssuedCertificate
    /// The public key as SubjectPublicKeyInfo PEM (`-----BEGIN PUBLIC KEY-----`).
    public let publicKeyPEM: String
    /// The private key as PKCS#1 PEM (`-----BEGIN RSA PRIVATE KEY-----`), as AWS returns it.
    public let privateKeyPEM: String
}
