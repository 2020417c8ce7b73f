import X509

extension DeviceCertificateVerifier {
    /// Why a device certificate was rejected.
    public struct Error: Swift.Error, Hashable, CustomStringConvertible {
        /// The kind of rejection. New reasons may be added.
        public struct Reason: Hashable, Sendable, CustomStringConvertible {
            private enum Backing: String, Hashable, Sendable {
                case expired
                case notYetValid
                case unknownIssuer
                case badSignature
                case issuerNotCertificateAuthority
                case leafIsCertificateAuthority
                case notForClientAuthentication
                case unhandledCriticalExtension
                case malformedCertificate
                case policyViolation
            }

            private let backing: Backing

            private init(_ backing: Backing) {
                self.backing = backing
            }

            /// A certificate of the chain is past its notAfter time.
            public static let expired = Reason(.expired)
            /// A certificate of the chain is before its notBefore time.
            public static let notYetValid = Reason(.notYetValid)
            /// No trusted CA (or intermediate the client sent) has the issuer's name.
            public static let unknownIssuer = Reason(.unknownIssuer)
            /// A certificate with the issuer's name exists, but its key did not sign the certificate.
            public static let badSignature = Reason(.badSignature)
            /// A certificate used as an issuer is not a CA (basicConstraints CA:TRUE, keyCertSign).
            public static let issuerNotCertificateAuthority = Reason(.issuerNotCertificateAuthority)
            /// The client presented a CA certificate as its own.
            public static let leafIsCertificateAuthority = Reason(.leafIsCertificateAuthority)
            /// The leaf's extendedKeyUsage excludes TLS client authentication.
            public static let notForClientAuthentication = Reason(.notForClientAuthentication)
            /// A certificate has a critical extension the verifier does not understand.
            public static let unhandledCriticalExtension = Reason(.unhandledCriticalExtension)
            /// The bytes are not a DER X.509 certificate.
            public static let malformedCertificate = Reason(.malformedCertificate)
            /// Another RFC 5280 rule failed (path length, name constraints, version).
            public static let policyViolation = Reason(.policyViolation)

            public var description: String {
                self.backing.rawValue
            }
        }

        /// The kind of rejection.
        public let reason: Reason
        /// The certificate the rejection concerns, when there is one.
        public let certificate: Certificate?
        /// What went wrong, for people and logs.
        public let detail: String

        /// Creates an error.
        public init(_ reason: Reason, certificate: Certificate?, detail: String) {
            self.reason = reason
            self.certificate = certificate
            self.detail = detail
        }

        public var description: String {
            "DeviceCertificateVerifier.Error.\(self.reason): \(self.detail)"
        }
    }
}
