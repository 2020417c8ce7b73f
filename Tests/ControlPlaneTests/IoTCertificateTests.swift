import AWSWire
import CertificateAuthority
import ControlPlane
import Foundation
import Registry
import Testing
import X509

@Suite("iot: certificates and CA certificates")
struct IoTCertificateTests {
    @Test("CreateKeysAndCertificate: an RSA-2048 key pair once, a root-signed certificate, setAsActive")
    func createKeysAndCertificate() async throws {
        try await IoTFixture.with { iot in
            let created = try await iot.call(.post, "/keys-and-certificate", query: "setAsActive=true").ok()
            let id = try #require(created["certificateId"] as? String)
            let pem = try #require(created["certificatePem"] as? String)
            let keyPair = try #require(created["keyPair"] as? [String: String])
            #expect(created["certificateArn"] as? String == iot.arn(.certificate(id)))
            #expect(keyPair["PrivateKey"]?.hasPrefix("-----BEGIN RSA PRIVATE KEY-----") == true)
            #expect(keyPair["PublicKey"]?.hasPrefix("-----BEGIN PUBLIC KEY-----") == true)

            let certificate = try CertificateCoding.certificate(pem: pem)
            #expect(CertificateID.make(for: certificate) == id)
            #expect(CACertificateRegistration.isIssued(certificate, by: IoTFixture.root.certificate))
            #expect(CertificateCoding.privateKey(pem: keyPair["PrivateKey"]!, matches: certificate))
            let verified = try await DeviceCertificateVerifier(trustedCertificates: [IoTFixture.root.certificate])
                .verify(leaf: certificate)
            #expect(verified.trustAnchorId == IoTFixture.root.certificateId)

            let described = try await iot.call(.get, "/certificates/\(id)").ok()
            let description = try #require(described["certificateDescription"] as? [String: Any])
            #expect(description["status"] as? String == "ACTIVE")
            #expect(description["certificatePem"] as? String == pem)
            #expect(description["ownedBy"] as? String == "123456789012")
            #expect(description["certificateMode"] as? String == "DEFAULT")
            #expect(description["customerVersion"] as? Int == 1)
            #expect(description["caCertificateId"] == nil)
            let validity = try #require(description["validity"] as? [String: Double])
            #expect(validity["notAfter"] == 2_524_607_999)
            // The private key is never stored: nothing the API returns later contains it.
            #expect(!described.description.contains("PRIVATE KEY"))

            let inactive = try await iot.call(.post, "/keys-and-certificate").ok()
            let inactiveId = try #require(inactive["certificateId"] as? String)
            #expect(inactiveId != id)
            let status = try await iot.registry.certificateStatus(certificateId: inactiveId)
            #expect(status == .inactive)
        }
    }

    @Test("CreateCertificateFromCsr keeps the request's subject and key; bad requests are InvalidRequestException")
    func createFromCSR() async throws {
        try await IoTFixture.with { iot in
            let csr = try IoTCertificates.csrPEM(commonName: "sensor-42")
            let created = try await iot.call(
                .post, "/certificates", query: "setAsActive=true", json: ["certificateSigningRequest": csr]
            ).ok()
            let pem = try #require(created["certificatePem"] as? String)
            let certificate = try CertificateCoding.certificate(pem: pem)
            #expect(certificate.subject.description.contains("sensor-42"))
            #expect(created["certificateId"] as? String == CertificateID.make(for: certificate))
            #expect(created["keyPair"] == nil)
            #expect(CACertificateRegistration.isIssued(certificate, by: IoTFixture.root.certificate))

            try await iot.call(.post, "/certificates", json: ["certificateSigningRequest": "not a csr"])
                .expectError("InvalidRequestException", status: 400)
            try await iot.call(.post, "/certificates", json: [:]).expectError("InvalidRequestException", status: 400)
        }
    }

    @Test("UpdateCertificate and DeleteCertificate: states, attachments, forceDelete")
    func updateAndDelete() async throws {
        try await IoTFixture.with { iot in
            let created = try await iot.call(.post, "/keys-and-certificate", query: "setAsActive=true").ok()
            let id = try #require(created["certificateId"] as? String)
            let arn = iot.arn(.certificate(id))

            try await iot.call(.delete, "/certificates/\(id)").expectError("CertificateStateException", status: 406)
            try await iot.call(.put, "/certificates/\(id)", query: "newStatus=INACTIVE").ok()
            try await iot.call(.put, "/certificates/\(id)", query: "newStatus=BOGUS")
                .expectError("InvalidRequestException", status: 400)
            try await iot.call(.put, "/certificates/\(id)", query: "newStatus=PENDING_TRANSFER")
                .expectError("CertificateStateException", status: 406)
            try await iot.call(.put, "/certificates/\(String(repeating: "a", count: 64))", query: "newStatus=ACTIVE")
                .expectError("ResourceNotFoundException", status: 404)

            try await iot.call(.post, "/policies/p", json: ["policyDocument": IoTPolicyTests.allowAll]).ok()
            try await iot.call(.put, "/target-policies/p", json: ["target": arn]).ok()
            try await iot.call(.post, "/things/t").ok()
            try await iot.call(.put, "/things/t/principals", headers: [.init("x-amzn-principal", arn)]).ok()
            try await iot.call(.delete, "/certificates/\(id)", query: "forceDelete=true")
                .expectError("DeleteConflictException", status: 409)
            try await iot.call(.delete, "/things/t/principals", headers: [.init("x-amzn-principal", arn)]).ok()
            try await iot.call(.delete, "/certificates/\(id)").expectError("DeleteConflictException", status: 409)
            try await iot.call(.put, "/certificates/\(id)", query: "newStatus=REVOKED").ok()
            try await iot.call(.put, "/certificates/\(id)", query: "newStatus=ACTIVE")
                .expectError("CertificateStateException", status: 406)
            try await iot.call(.delete, "/certificates/\(id)", query: "forceDelete=true").ok()
            try await iot.call(.get, "/certificates/\(id)").expectError("ResourceNotFoundException", status: 404)
            #expect(try await iot.call(.post, "/policy-targets/p").ok()["targets"] as? [String] == [])
            try await iot.call(.get, "/certificates/abc").expectError("InvalidRequestException", status: 400)
        }
    }

    @Test("ListCertificates pages by creation date, newest first unless ascending")
    func listCertificates() async throws {
        try await IoTFixture.with { iot in
            var ids: [String] = []
            for _ in 0..<3 {
                let created = try await iot.call(
                    .post, "/certificates",
                    json: [
                        "certificateSigningRequest": try IoTCertificates.csrPEM(commonName: "d")
                    ]
                ).ok()
                ids.append(try #require(created["certificateId"] as? String))
                iot.clock.advance(seconds: 1)
            }
            var listed: [String] = []
            var marker: String?
            repeat {
                let query = "pageSize=2" + (marker.map { "&marker=\(encoded($0))" } ?? "")
                let page = try await iot.call(.get, "/certificates", query: query).ok()
                let certificates = try #require(page["certificates"] as? [[String: Any]])
                listed += certificates.compactMap { $0["certificateId"] as? String }
                #expect(certificates.allSatisfy { $0["status"] as? String == "INACTIVE" })
                marker = page["nextMarker"] as? String
            } while marker != nil
            #expect(listed == ids.reversed())
            let ascending = try await iot.call(.get, "/certificates", query: "isAscendingOrder=true").ok()
            #expect(
                (ascending["certificates"] as? [[String: Any]])?.compactMap { $0["certificateId"] as? String } == ids)
        }
    }

    @Test("GetRegistrationCode is stable, 64 hex digits, and differs per account")
    func registrationCode() async throws {
        try await IoTFixture.with { iot in
            let first = try await iot.call(.get, "/registrationcode").ok()["registrationCode"] as? String
            let second = try await iot.call(.get, "/registrationcode").ok()["registrationCode"] as? String
            let code = try #require(first)
            #expect(code == second)
            #expect(code.count == 64 && code.allSatisfy(\.isHexDigit))
        }
        try await IoTFixture.withRegistry { registry in
            var api = TestAPI(registersTestHandlers: false)
            api.controlPlane.registerIoTOperations(
                IoTServices(
                    registry: registry, authority: IoTFixture.root,
                    scope: RegistryScope(region: "us-east-1", accountId: "000000000000")))
            let other = try await api.run { client in
                try await client.send(.get, "/registrationcode").json["registrationCode"] as? String
            }
            let again = try await api.run { client in
                try await client.send(.get, "/registrationcode").json["registrationCode"] as? String
            }
            #expect(other != nil && other == again)
            try await IoTFixture.with { iot in
                let code = try await iot.call(.get, "/registrationcode").ok()["registrationCode"] as? String
                #expect(code != other)
            }
        }
    }

    @Test("RegisterCACertificate checks the verification certificate against the registration code")
    func registerCACertificate() async throws {
        try await IoTFixture.with { iot in
            let code = try #require(try await iot.call(.get, "/registrationcode").ok()["registrationCode"] as? String)
            let customer = try IoTCertificates.customerCA()
            let caPEM = customer.certificatePEM

            // Wrong common name, wrong signer, missing, not a CA, garbage.
            try await iot.call(
                .post, "/cacertificate",
                json: [
                    "caCertificate": caPEM,
                    "verificationCertificate": try IoTCertificates.issue(by: customer, commonName: "nope"),
                ]
            ).expectError("RegistrationCodeValidationException", status: 400)
            let impostor = try IoTCertificates.customerCA("Impostor")
            try await iot.call(
                .post, "/cacertificate",
                json: [
                    "caCertificate": caPEM,
                    "verificationCertificate": try IoTCertificates.issue(by: impostor, commonName: code),
                ]
            ).expectError("CertificateValidationException", status: 400)
            try await iot.call(.post, "/cacertificate", json: ["caCertificate": caPEM])
                .expectError("InvalidRequestException", status: 400)
            let leaf = try IoTCertificates.issue(by: customer, commonName: code)
            try await iot.call(.post, "/cacertificate", json: ["caCertificate": leaf, "verificationCertificate": leaf])
                .expectError("CertificateValidationException", status: 400)
            try await iot.call(
                .post, "/cacertificate", json: ["caCertificate": "garbage", "verificationCertificate": leaf]
            )
            .expectError("CertificateValidationException", status: 400)
            try await iot.call(
                .post, "/cacertificate",
                json: ["caCertificate": caPEM, "certificateMode": "SNI_ONLY", "verificationCertificate": leaf]
            ).expectError("InvalidRequestException", status: 400)

            let registered = try await iot.call(
                .post, "/cacertificate", query: "setAsActive=true&allowAutoRegistration=true",
                json: [
                    "caCertificate": caPEM, "verificationCertificate": leaf,
                    "registrationConfig": ["templateName": "jitp"], "tags": [["Key": "owner", "Value": "acme"]],
                ]
            ).ok()
            let caId = try #require(registered["certificateId"] as? String)
            #expect(caId == customer.certificateId)
            #expect(registered["certificateArn"] as? String == iot.arn(.caCertificate(caId)))
            try await iot.call(
                .post, "/cacertificate", json: ["caCertificate": caPEM, "verificationCertificate": leaf]
            ).expectError("ResourceAlreadyExistsException", status: 409)

            let described = try await iot.call(.get, "/cacertificate/\(caId)").ok()
            let description = try #require(described["certificateDescription"] as? [String: Any])
            #expect(description["status"] as? String == "ACTIVE")
            #expect(description["autoRegistrationStatus"] as? String == "ENABLE")
            #expect(description["certificatePem"] as? String == caPEM)
            #expect(description["validity"] is [String: Any])
            #expect((described["registrationConfig"] as? [String: String]) == ["templateName": "jitp"])
            let listed = try await iot.call(.get, "/cacertificates").ok()
            #expect((listed["certificates"] as? [[String: Any]])?.first?["certificateId"] as? String == caId)
            let byTemplate = try await iot.call(.get, "/cacertificates", query: "templateName=other").ok()
            #expect((byTemplate["certificates"] as? [[String: Any]])?.isEmpty == true)
            let tags = try await iot.call(.get, "/tags", query: "resourceArn=\(encoded(iot.arn(.caCertificate(caId))))")
                .ok()
            #expect(tags["tags"] as? [[String: String]] == [["Key": "owner", "Value": "acme"]])

            // A CA in SNI_ONLY mode needs no verification certificate.
            let sniCA = try IoTCertificates.customerCA("SNI CA")
            let sni = try await iot.call(
                .post, "/cacertificate", json: ["caCertificate": sniCA.certificatePEM, "certificateMode": "SNI_ONLY"]
            ).ok()
            let sniDescription = try await iot.call(
                .get, "/cacertificate/\(try #require(sni["certificateId"] as? String))"
            ).ok()
            #expect((sniDescription["certificateDescription"] as? [String: Any])?["status"] as? String == "INACTIVE")
            #expect(
                (sniDescription["certificateDescription"] as? [String: Any])?["certificateMode"] as? String
                    == "SNI_ONLY")

            try await iot.call(.delete, "/cacertificate/\(caId)").expectError("CertificateStateException", status: 406)
            try await iot.call(
                .put, "/cacertificate/\(caId)", query: "newStatus=INACTIVE&newAutoRegistrationStatus=DISABLE",
                json: ["removeAutoRegistration": true]
            ).ok()
            let updated = try await iot.call(.get, "/cacertificate/\(caId)").ok()
            #expect(
                (updated["certificateDescription"] as? [String: Any])?["autoRegistrationStatus"] as? String == "DISABLE"
            )
            #expect(updated["registrationConfig"] == nil)
            try await iot.call(.put, "/cacertificate/\(caId)", query: "newStatus=REVOKED")
                .expectError("InvalidRequestException", status: 400)
            try await iot.call(.delete, "/cacertificate/\(caId)").ok()
            try await iot.call(.get, "/cacertificate/\(caId)").expectError("ResourceNotFoundException", status: 404)
        }
    }

    @Test("RegisterCertificate needs a registered, active CA; RegisterCertificateWithoutCA does not")
    func registerCertificate() async throws {
        try await IoTFixture.with { iot in
            let code = try #require(try await iot.call(.get, "/registrationcode").ok()["registrationCode"] as? String)
            let customer = try IoTCertificates.customerCA()
            let device = try IoTCertificates.issue(by: customer, commonName: "device-1")

            try await iot.call(.post, "/certificate/register", json: ["certificatePem": device])
                .expectError("CertificateValidationException", status: 400)
            try await iot.call(
                .post, "/certificate/register",
                json: ["certificatePem": device, "caCertificatePem": customer.certificatePEM]
            ).expectError("CertificateValidationException", status: 400)

            let registeredCA = try await iot.call(
                .post, "/cacertificate",
                json: [
                    "caCertificate": customer.certificatePEM,
                    "verificationCertificate": try IoTCertificates.issue(by: customer, commonName: code),
                ]
            ).ok()
            let caId = try #require(registeredCA["certificateId"] as? String)
            try await iot.call(.post, "/certificate/register", json: ["certificatePem": device])
                .expectError("CertificateStateException", status: 406)
            try await iot.call(.put, "/cacertificate/\(caId)", query: "newStatus=ACTIVE").ok()

            let other = try IoTCertificates.customerCA("Other CA")
            try await iot.call(
                .post, "/certificate/register",
                json: [
                    "certificatePem": try IoTCertificates.issue(by: other, commonName: "x"),
                    "caCertificatePem": customer.certificatePEM,
                ]
            ).expectError("CertificateValidationException", status: 400)
            try await iot.call(
                .post, "/certificate/register", json: ["certificatePem": device, "status": "PENDING_TRANSFER"]
            )
            .expectError("InvalidRequestException", status: 400)

            let registered = try await iot.call(
                .post, "/certificate/register", json: ["certificatePem": device, "status": "ACTIVE"]
            ).ok()
            let id = try #require(registered["certificateId"] as? String)
            #expect(id == CertificateID.make(for: try CertificateCoding.certificate(pem: device)))
            let description =
                try await iot.call(.get, "/certificates/\(id)").ok()["certificateDescription"] as? [String: Any]
            #expect(description?["caCertificateId"] as? String == caId)
            #expect(description?["status"] as? String == "ACTIVE")
            try await iot.call(.post, "/certificate/register", json: ["certificatePem": device])
                .expectError("ResourceAlreadyExistsException", status: 409)

            let second = try IoTCertificates.issue(by: customer, commonName: "device-2")
            let viaCA = try await iot.call(
                .post, "/certificate/register", query: "setAsActive=true",
                json: ["certificatePem": second, "caCertificatePem": customer.certificatePEM]
            ).ok()
            let secondId = try #require(viaCA["certificateId"] as? String)
            #expect(try await iot.registry.certificateStatus(certificateId: secondId) == .active)

            let byCA = try await iot.call(.get, "/certificates-by-ca/\(caId)", query: "isAscendingOrder=true").ok()
            #expect(
                Set((byCA["certificates"] as? [[String: Any]])?.compactMap { $0["certificateId"] as? String } ?? [])
                    == [id, secondId])

            let selfSigned = try IoTCertificates.customerCA("Lonely").certificatePEM
            let withoutCA = try await iot.call(
                .post, "/certificate/register-no-ca", json: ["certificatePem": selfSigned]
            ).ok()
            let lonelyId = try #require(withoutCA["certificateId"] as? String)
            let lonely =
                try await iot.call(.get, "/certificates/\(lonelyId)").ok()["certificateDescription"] as? [String: Any]
            #expect(lonely?["certificateMode"] as? String == "SNI_ONLY")
            #expect(lonely?["status"] as? String == "INACTIVE")
            #expect(lonely?["caCertificateId"] == nil)
            try await iot.call(
                .post, "/certificate/register-no-ca",
                json: ["certificatePem": "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"]
            )
            .expectError("CertificateValidationException", status: 400)
        }
    }
}
