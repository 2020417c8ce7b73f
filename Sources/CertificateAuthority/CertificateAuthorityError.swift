/// An error thrown while parsing, issuing or checking certificates.
///
/// Compare errors by ``code``; the ``reason`` is for people and logs. Two errors are equal
/// when their codes are equal, so tests and callers can match on a code alone.
public struct CertificateAuthorityError: Error, Hashable, CustomStringConvertible {
    /// The kind of failure. New codes may be added.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Backing: String, Hashable, Sendable {
            case malformedPEM
            case malformedCertificate
            case malformedPrivateKey
            case malformedCertificateSigningRequest
            case invalidCertificateSigningRequestSignature
            case unsupportedKey
            case keyMismatch
            case notACertificateAuthority
            case invalidHost
            case notIssuedByCertificateAuthority
            case registrationCodeMismatch
            case certificateExpired
            case certificateNotYetValid
            case issuingFailed
        }

        private let backing: Backing

        private init(_ backing: Backing) {
            self.backing = backing
        }

        /// The text is not PEM, or holds no block of the expected kind.
        public static let malformedPEM = Code(.malformedPEM)
        /// The bytes are not a DER X.509 certificate.
        public static let malformedCertificate = Code(.malformedCertificate)
        /// The private key cannot be read (PKCS#1, SEC1 and PKCS#8 are accepted).
        public static let malformedPrivateKey = Code(.malformedPrivateKey)
        /// The certificate signing request is not a DER PKCS#10 request.
        public static let malformedCertificateSigningRequest = Code(.malformedCertificateSigningRequest)
        /// The certificate signing request is not signed by the key it carries.
        public static let invalidCertificateSigningRequestSignature = Code(.invalidCertificateSigningRequestSignature)
        /// The key type or size is not one Thingport issues for (RSA ≥ 2048 bits, ECDSA P-256/384/521).
        public static let unsupportedKey = Code(.unsupportedKey)
        /// The private key does not belong to the certificate.
        public static let keyMismatch = Code(.keyMismatch)
        /// The certificate is not a CA certificate (basicConstraints CA:TRUE, keyCertSign when key usage is present).
        public static let notACertificateAuthority = Code(.notACertificateAuthority)
        /// A host name or IP address for a server certificate is not valid.
        public static let invalidHost = Code(.invalidHost)
        /// The certificate was not issued (signed) by the given CA certificate.
        public static let notIssuedByCertificateAuthority = Code(.notIssuedByCertificateAuthority)
        /// The verification certificate's common name is not the registration code.
        public static let registrationCodeMismatch = Code(.registrationCodeMismatch)
        /// The certificate's validity period has ended.
        public static let certificateExpired = Code(.certificateExpired)
        /// The certificate's validity period has not started.
        public static let certificateNotYetValid = Code(.certificateNotYetValid)
        /// Building or signing a certificate failed.
        public static let issuingFailed = Code(.issuingFailed)

        public var description: String {
            self.backing.rawValue
        }
    }

    /// The kind of failure.
    public var code: Code
    /// What went wrong, for people.
    public var reason: String
    /// The source file that raised the error.
    public var file: String
    /// The source line that raised the error.
    public var line: UInt

    /// Creates an error.
    public init(_ code: Code, _ reason: String, file: String = #fileID, line: UInt = #line) {
        self.code = code
        self.reason = reason
        self.file = file
        self.line = line
    }

    public var description: String {
        "CertificateAuthorityError.\(self.code): \(self.reason) (\(self.file):\(self.line))"
    }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.code == rhs.code
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(self.code)
    }
}
