import Foundation
import MQTTProtocol
import PolicyEngine
import Registry
import SwiftASN1
import Testing
import X509

@testable import DeviceAuthorization

/// The X.509 certificate and thing policy variables of a connection, as AWS names them.
@Suite("Device policy variables")
struct PolicyVariableTests {
    /// A certificate shaped like AWS's documented example, with two organizational units and
    /// subject alternative names.
    static func exampleDevice() throws -> TestDevice {
        try TestPKI.customDevice(
            issuedBy: TestPKI.shared.root,
            subject: try DistinguishedName {
                CountryName("US")
                OrganizationName("IoT Devices")
                OrganizationalUnitName("LightBulb")
                OrganizationalUnitName("Kitchen")
                StateOrProvinceName("NY")
                CommonName("LightBulb Device Cert")
            },
            notValidBefore: Date() - 3600,
            notValidAfter: Date() + 86_400,
            alternativeNames: [
                .dnsName("bulb-1.example.com"), .rfc822Name("bulb@example.com"),
                .ipAddress(ASN1OctetString(contentBytes: [192, 0, 2, 7])),
                .uniformResourceIdentifier("urn:device:bulb-1"),
            ]
        )
    }

    static func identity(_ device: TestDevice, clientId: String = "bulb-1") -> DeviceIdentity {
        DeviceIdentity(
            certificateId: device.certificateId, certificateArn: device.certificateArn, certificate: device.certificate,
            trustAnchorId: nil, clientId: clientId, sourceIp: "192.0.2.1")
    }

    @Test func certificateSubjectIssuerSerialAndAlternativeNames() throws {
        let device = try Self.exampleDevice()
        let context = DevicePolicyVariables.context(
            for: Self.identity(device), thing: nil, domainName: "iot.example.com")
        #expect(context["iot:Certificate.Subject.Country"] == "US")
        #expect(context["iot:Certificate.Subject.Organization"] == "IoT Devices")
        #expect(context["iot:Certificate.Subject.OrganizationalUnit"] == "LightBulb")
        #expect(context["iot:Certificate.Subject.OrganizationalUnit.1"] == "Kitchen")
        #expect(context["iot:Certificate.Subject.OrganizationalUnit.List"] == .multiple(["LightBulb", "Kitchen"]))
        #expect(context["iot:Certificate.Subject.State"] == "NY")
        #expect(context["iot:Certificate.Subject.CommonName"] == "LightBulb Device Cert")
        #expect(context["iot:Certificate.Subject.Title"] == nil)
        #expect(context["iot:Certificate.Issuer.CommonName"] == "Thingport Test Root CA")
        #expect(context["iot:Certificate.Issuer.Organization"] == "Test")
        #expect(context["iot:Certificate.SerialNumber"] == "92:12:85:cb:b7:a5:e0:86")
        #expect(context["iot:Certificate.Subject.AlternativeName.DNSName"] == "bulb-1.example.com")
        #expect(context["iot:Certificate.Subject.AlternativeName.RFC822Name"] == "bulb@example.com")
        #expect(context["iot:Certificate.Subject.AlternativeName.IPAddress"] == "192.0.2.7")
        #expect(context["iot:Certificate.Subject.AlternativeName.UniformResourceIdentifier"] == "urn:device:bulb-1")
        #expect(context["iot:CertificateId"] == .single(device.certificateId))
        #expect(context["iot:ClientId"] == "bulb-1")
        #expect(context["aws:SourceIp"] == "192.0.2.1")
        #expect(context["iot:DomainName"] == "iot.example.com")
        #expect(context["iot:Connection.Thing.IsAttached"] == "false")
        #expect(context["iot:Connection.Thing.ThingName"] == nil)
    }

    @Test func thingVariablesWhenTheClientIdIsAnAttachedThing() async throws {
        try await TestEnvironment.with { environment in
            let device = try Self.exampleDevice()
            try await environment.register(device)
            _ = try await environment.registry.createThingType(thingTypeName: "bulb")
            try await environment.registry.createThing(
                thingName: "bulb-1", thingTypeName: "bulb",
                attributePayload: AttributePayload(attributes: ["room": "kitchen", "watts": "9"]))
            try await environment.registry.attachThingPrincipal(thingName: "bulb-1", principal: device.certificateArn)
            let resolution = try await environment.authorizer.resolver.resolve(Self.identity(device))
            let context = resolution.policies.fixedContext
            #expect(resolution.thing?.thingName == "bulb-1")
            #expect(context["iot:Connection.Thing.ThingName"] == "bulb-1")
            #expect(context["iot:Connection.Thing.ThingTypeName"] == "bulb")
            #expect(context["iot:Connection.Thing.Attributes[room]"] == "kitchen")
            #expect(context["iot:Connection.Thing.Attributes[watts]"] == "9")
            #expect(context["iot:Connection.Thing.IsAttached"] == "true")

            let other = try await environment.authorizer.resolver.resolve(Self.identity(device, clientId: "bulb-2"))
            #expect(other.thing == nil)
            #expect(other.policies.fixedContext["iot:Connection.Thing.IsAttached"] == "false")
        }
    }

    @Test func certificateVariablesDecideOverTLS() async throws {
        try await TestEnvironment.with { environment in
            let device = try Self.exampleDevice()
            try await environment.policy(
                "by-certificate",
                policyJSON([
                    ("Allow", ["iot:Connect"], ["*"]),
                    (
                        "Allow", ["iot:Publish"],
                        [
                            iotARN("topic", "cn/${iot:Certificate.Subject.CommonName}"),
                            iotARN("topic", "id/${iot:CertificateId}"),
                            iotARN("topic", "dns/${iot:Certificate.Subject.AlternativeName.DNSName}"),
                        ]
                    ),
                ]))
            try await environment.register(device, policies: ["by-certificate"])
            let (client, _) = try await environment.connect(device, clientId: "bulb-1")
            #expect(try await client.publish("cn/LightBulb Device Cert", "1"))
            #expect(try await client.publish("id/\(device.certificateId)", "2"))
            #expect(try await client.publish("dns/bulb-1.example.com", "3"))
            #expect(try await client.publish("cn/Another", "4") == false)
        }
    }
}
