/// The key type of a server certificate.
public enum ServerKeyAlgorithm: Sendable, Hashable {
    /// ECDSA on P-256: fast to create and to handshake with, and accepted by OpenSSL, Python's
    /// `ssl`, BoringSSL and mbedTLS clients with their default settings. The default.
    case p256
    /// RSA-2048, for clients restricted to RSA cipher suites.
    case rsa2048
}
