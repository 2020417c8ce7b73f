/// Why SNS signing credentials could not be loaded, or a message not signed.
public struct SNSSigningError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong, as an opaque, extensible code.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case invalidPrivateKey
            case invalidCertificate
            case keyMismatch
            case signingFailed
        }

        private let base: Base

        private init(_ base: Base) {
            self.base = base
        }

        /// The private key is not a PEM RSA key of at least 2048 bits.
        public static let invalidPrivateKey = Code(.invalidPrivateKey)
        /// The certificate is not a PEM X.509 certificate.
        public static let invalidCertificate = Code(.invalidCertificate)
        /// The certificate does not hold the private key's public key.
        public static let keyMismatch = Code(.keyMismatch)
        /// The RSA signing operation failed.
        public static let signingFailed = Code(.signingFailed)

        public var description: String { self.base.rawValue }
    }

    /// What went wrong.
    public let code: Code
    /// A human-readable explanation.
    public let message: String

    /// Creates an error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "SNSSigningError(\(self.code)): \(self.message)" }
}
