import X509

/// The extensions each kind of certificate Thingport issues carries.
enum CertificateProfile {
    /// A self-signed root: CA:TRUE, keyCertSign + cRLSign.
    case root
    /// A subordinate CA that may only issue end-entity certificates (path length 0).
    case intermediate
    /// A TLS server: serverAuth, with the names it answers to.
    case server(SubjectAlternativeNames, keyEncipherment: Bool)
    /// A device (TLS client), like AWS IoT's: digitalSignature, clientAuth.
    case device

    func extensions(
        subjectKey: Certificate.PublicKey,
        authorityKeyIdentifier: ArraySlice<UInt8>?
    ) throws -> Certificate.Extensions {
        try Certificate.Extensions {
            switch self {
            case .root:
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: nil))
                Critical(KeyUsage(keyCertSign: true, cRLSign: true))
            case .intermediate:
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                Critical(KeyUsage(keyCertSign: true, cRLSign: true))
            case .server(let names, let keyEncipherment):
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true, keyEncipherment: keyEncipherment))
                try ExtendedKeyUsage([.serverAuth])
                names
            case .device:
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true))
                try ExtendedKeyUsage([.clientAuth])
            }
            SubjectKeyIdentifier(hash: subjectKey)
            if let authorityKeyIdentifier {
                AuthorityKeyIdentifier(keyIdentifier: authorityKeyIdentifier)
            }
        }
    }
}
