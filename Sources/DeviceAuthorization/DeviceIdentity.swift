import X509

/// Who a mutual-TLS connection is: its verified certificate and what it said in CONNECT. The
/// policy variables of the connection are computed from it (and from the registry's thing).
struct DeviceIdentity: Sendable {
    /// The certificate id (lowercase hex SHA-256 of the DER).
    let certificateId: String
    /// The certificate's ARN, the principal policies are attached to.
    let certificateArn: String
    /// The device certificate.
    let certificate: Certificate
    /// The id of the trusted CA the chain ended at, when verified over TLS.
    let trustAnchorId: String?
    /// The MQTT client identifier.
    let clientId: String
    /// The client's address, for `aws:SourceIp`.
    let sourceIp: String?
}
