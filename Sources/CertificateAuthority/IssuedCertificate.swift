import X509

/// A certificate Thingport issued, with the forms callers store and return.
public struct IssuedCertificate: Sendable, Hashable {
    /// The certificate.
    public let certificate: Certificate
    /// Its DER encoding.
    public let derBytes: [UInt8]
    /// Its PEM encoding, ending with a newline.
    public let certificatePEM: String
    /// Its id: the lowercase hex SHA-256 of ``derBytes``.
    public let certificateId: String

    init(_ certificate: Certificate) {
        self.certificate = certificate
        self.derBytes = CertificateCoding.derBytes(of: certificate)
        self.certificatePEM = PEM.text(derBytes: self.derBytes, label: "CERTIFICATE")
        self.certificateId = CertificateID.make(derBytes: self.derBytes)
    }
}
