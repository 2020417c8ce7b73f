import X509

/// A TLS server certificate with its private key, for the broker and the API.
public struct ServerCredentials: Sendable {
    /// The server certificate, issued by the root.
    public let certificate: IssuedCertificate
    /// The server's private key.
    public let privateKey: Certificate.PrivateKey
    /// The private key as unencrypted PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`).
    public let privateKeyPEM: String
}
