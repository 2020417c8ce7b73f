import Foundation
import PolicyEngine
import Registry
import SwiftASN1
import X509

/// The AWS IoT Core policy variables of a connection: basic (`iot:ClientId`, `aws:SourceIp`,
/// `iot:DomainName`), thing (`iot:Connection.Thing.*`) and X.509 certificate
/// (`iot:Certificate.*`, `iot:CertificateId`) variables.
///
/// Certificate attributes that hold several values give the first one under the plain name,
/// the others under `.1`, `.2`… (as AWS documents `iot:Certificate.Subject.Country.1` for the
/// second country), and all of them as a multi-valued `.List` key for conditions.
enum DevicePolicyVariables {
    /// The AWS names of the distinguished-name attributes, with their object identifiers.
    static let nameAttributes: [(name: String, oid: ASN1ObjectIdentifier)] = [
        ("DistinguishedNameQualifier", [2, 5, 4, 46]),
        ("Country", [2, 5, 4, 6]),
        ("Organization", [2, 5, 4, 10]),
        ("OrganizationalUnit", [2, 5, 4, 11]),
        ("State", [2, 5, 4, 8]),
        ("CommonName", [2, 5, 4, 3]),
        ("SerialNumber", [2, 5, 4, 5]),
        ("Title", [2, 5, 4, 12]),
        ("Surname", [2, 5, 4, 4]),
        ("GivenName", [2, 5, 4, 42]),
        ("Initials", [2, 5, 4, 43]),
        ("Pseudonym", [2, 5, 4, 65]),
        ("GenerationQualifier", [2, 5, 4, 44]),
    ]

    /// The variables' names in normalized form (`PolicyContext.normalizedKey(_:)`), made once:
    /// a connection's context then shares them instead of holding copies.
    enum Keys {
        /// A certificate attribute's single-value key and its multi-valued `.List` key.
        struct Attribute {
            let single: String
            let list: String

            init(_ name: String) {
                single = PolicyContext.normalizedKey(name)
                list = PolicyContext.normalizedKey(name + ".List")
            }
        }

        static let clientId = PolicyContext.normalizedKey(IoTPolicyVariable.clientId)
        static let sourceIp = PolicyContext.normalizedKey(IoTPolicyVariable.sourceIp)
        static let domainName = PolicyContext.normalizedKey("iot:DomainName")
        static let certificateId = PolicyContext.normalizedKey("iot:CertificateId")
        static let thingIsAttached = PolicyContext.normalizedKey(IoTPolicyVariable.thingIsAttached)
        static let thingName = PolicyContext.normalizedKey(IoTPolicyVariable.thingName)
        static let thingTypeName = PolicyContext.normalizedKey(IoTPolicyVariable.thingTypeName)
        static let serialNumber = PolicyContext.normalizedKey("iot:Certificate.SerialNumber")
        /// `iot:Certificate.Subject.*`, in the order of `nameAttributes`.
        static let subject = nameAttributes.map { Attribute("iot:Certificate.Subject." + $0.name) }
        /// `iot:Certificate.Issuer.*`, in the order of `nameAttributes`.
        static let issuer = nameAttributes.map { Attribute("iot:Certificate.Issuer." + $0.name) }
    }

    /// The context of a device connection.
    ///
    /// - Parameters:
    ///   - identity: The certificate and CONNECT values.
    ///   - thing: The thing named by the client id when the certificate is attached to it.
    ///   - domainName: The endpoint name devices connect to, for `iot:DomainName`, if known.
    static func context(for identity: DeviceIdentity, thing: Thing?, domainName: String?) -> PolicyContext {
        var context = basic(clientId: identity.clientId, sourceIp: identity.sourceIp, domainName: domainName)
        context[Keys.certificateId] = .single(identity.certificateId)
        context[Keys.thingIsAttached] = .single(thing == nil ? "false" : "true")
        if let thing {
            context[Keys.thingName] = .single(thing.thingName)
            if let type = thing.thingTypeName {
                context[Keys.thingTypeName] = .single(type)
            }
            for (name, value) in thing.attributes {
                context[IoTPolicyVariable.thingAttribute(name)] = .single(value)
            }
        }
        context.merge(certificate(identity.certificate))
        return context
    }

    /// `iot:ClientId`, `aws:SourceIp` and `iot:DomainName`: all the plain listener has.
    static func basic(clientId: String, sourceIp: String?, domainName: String?) -> PolicyContext {
        var context = PolicyContext()
        context[Keys.clientId] = .single(clientId)
        if let sourceIp { context[Keys.sourceIp] = .single(sourceIp) }
        if let domainName { context[Keys.domainName] = .single(domainName) }
        return context
    }

    /// The `iot:Certificate.*` variables of `certificate`.
    static func certificate(_ certificate: X509.Certificate) -> PolicyContext {
        var context = PolicyContext()
        add(certificate.subject, keys: Keys.subject, to: &context)
        add(certificate.issuer, keys: Keys.issuer, to: &context)
        context[Keys.serialNumber] = .single(serialNumber(certificate.serialNumber))
        if let names = try? certificate.extensions.subjectAlternativeNames {
            add(Array(names), prefix: "iot:Certificate.Subject.AlternativeName.", to: &context)
        }
        return context
    }

    /// The serial number as lowercase hexadecimal bytes separated by colons, as OpenSSL and
    /// AWS's documentation print it (`92:12:85:cb:b7:a5:e0:86`).
    static func serialNumber(_ serial: X509.Certificate.SerialNumber) -> String {
        serial.bytes.map { byte in
            let hex = String(byte, radix: 16)
            return byte < 0x10 ? "0" + hex : hex
        }.joined(separator: ":")
    }

    private static func add(_ name: DistinguishedName, keys: [Keys.Attribute], to context: inout PolicyContext) {
        for ((_, oid), key) in zip(nameAttributes, keys) {
            let values = name.flatMap { $0 }.filter { $0.type == oid }.compactMap { String($0.value) }
            addValues(values, key: key, to: &context)
        }
    }

    private static func add(_ names: [GeneralName], prefix: String, to context: inout PolicyContext) {
        var byKind: [String: [String]] = [:]
        for name in names {
            switch name {
            case .rfc822Name(let value): byKind["RFC822Name", default: []].append(value)
            case .dnsName(let value): byKind["DNSName", default: []].append(value)
            case .uniformResourceIdentifier(let value):
                byKind["UniformResourceIdentifier", default: []].append(value)
            case .directoryName(let value): byKind["DirectoryName", default: []].append(String(describing: value))
            case .ipAddress(let octets):
                if let text = ipAddressText(Array(octets.bytes)) { byKind["IPAddress", default: []].append(text) }
            default: continue
            }
        }
        for (kind, values) in byKind { addValues(values, key: Keys.Attribute(prefix + kind), to: &context) }
    }

    private static func addValues(_ values: [String], key: Keys.Attribute, to context: inout PolicyContext) {
        guard let first = values.first else { return }
        context[key.single] = .single(first)
        for (index, value) in values.enumerated().dropFirst() {
            context["\(key.single).\(index)"] = .single(value)
        }
        context[key.list] = .multiple(values)
    }

    private static func ipAddressText(_ bytes: [UInt8]) -> String? {
        switch bytes.count {
        case 4:
            return bytes.map(String.init).joined(separator: ".")
        case 16:
            return stride(from: 0, to: 16, by: 2).map {
                String(UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]), radix: 16)
            }
            .joined(separator: ":")
        default:
            return nil
        }
    }
}
