/// Names of the AWS IoT policy variables and condition keys that a connection supplies,
/// for building the fixed context of a ``CompiledPolicySet``.
public enum IoTPolicyVariable {
    /// `iot:ClientId` — the MQTT client id.
    public static let clientId = "iot:ClientId"
    /// `iot:Connection.Thing.ThingName` — the thing the certificate is attached to.
    public static let thingName = "iot:Connection.Thing.ThingName"
    /// `iot:Connection.Thing.ThingTypeName` — that thing's type.
    public static let thingTypeName = "iot:Connection.Thing.ThingTypeName"
    /// `iot:Connection.Thing.IsAttached` — `true` when the certificate is attached to the
    /// thing named by the client id.
    public static let thingIsAttached = "iot:Connection.Thing.IsAttached"
    /// `iot:Certificate.Subject.CommonName` — the certificate subject's common name.
    public static let certificateSubjectCommonName = "iot:Certificate.Subject.CommonName"
    /// `iot:Certificate.Issuer.CommonName` — the certificate issuer's common name.
    public static let certificateIssuerCommonName = "iot:Certificate.Issuer.CommonName"
    /// `aws:SourceIp` — the client's address.
    public static let sourceIp = "aws:SourceIp"

    /// `iot:Connection.Thing.Attributes[name]` — an attribute of the thing.
    public static func thingAttribute(_ name: String) -> String {
        "iot:Connection.Thing.Attributes[\(name)]"
    }
}
