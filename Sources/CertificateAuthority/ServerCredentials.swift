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

/// The key type of a server certificate.
public enum ServerKeyAlgorithm: Sendable, Hashable {
    /// ECDSA on P-256: fast to create and to handshake with, and accepted by OpenSSL, Python's
    /// `ssl`, BoringSSL and mbedTLS clients with their default settings. The default.
    case p256
    /// RSA-2048, for clients restricted to RSA cipher suites.
    case rsa2048
}
