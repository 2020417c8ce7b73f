import DeviceAuthorization
import Foundation
import MQTTProtocol
import Registry
import Testing
import X509

/// Who may connect to the mutual-TLS listener: registered ACTIVE certificates that chain to
/// the root or to a registered ACTIVE CA, nothing else — refused before any CONNACK.
@Suite("Certificate authentication over mutual TLS")
struct CertificateAuthenticationTests {
    @Test func anActiveCertificateConnectsAndTheSDKMetricsUsernameIsIgnored() async throws {
        try await TestEnvironment.with { environment in
            // The RSA-2048 shape of AWS's CreateKeysAndCertificate.
            let device = try environment.pki.rsaDevice()
            try await environment.policy("allow-all", allowAllPolicy)
            try await environment.register(device, policies: ["allow-all"])
            let (client, connack) = try await environment.connect(
                device, clientId: "thermostat", username: "?SDK=Python&Version=1.5.4")
            #expect(connack?.returnCode == .accepted)
            #expect(try await client.subscribe([("t/1", .atLeastOnce)]) == [1])
            #expect(try await client.publish("t/1", "hello"))
            #expect(try await client.nextPublish().map { String(buffer: $0.payload) } == "hello")
            #expect(await eventually { environment.authorizer.connectedDeviceCount == 1 })
            await client.disconnect()
        }
    }

    @Test(arguments: [CertificateStatus.inactive, .revoked, .pendingTransfer, .pendingActivation, .registerInactive])
    func aCertificateThatIsNotActiveIsRefusedBeforeConnack(status: CertificateStatus) async throws {
        try await TestEnvironment.with { environment in
            let device = try TestPKI.device(issuedBy: environment.pki.root)
            try await environment.policy("allow-all", allowAllPolicy)
            try await environment.register(device, status: status, policies: ["allow-all"])
            #expect(try await environment.isRefused(device, clientId: "device-\(status.rawValue)"))
        }
    }

    @Test func anUnregisteredCertificateIsRefused() async throws {
        try await TestEnvironment.with { environment in
            let device = try TestPKI.device(issuedBy: environment.pki.root)
            #expect(try await environment.isRefused(device, clientId: "stranger"))
            // The broker is unharmed.
            let known = try await environment.allowedDevice()
            #expect(try await environment.connect(known, clientId: "known").1?.returnCode == .accepted)
        }
    }

    @Test(arguments: [true, false])
    func aCertificateFromAForeignCAIsRefused(validatesInHandshake: Bool) async throws {
        try await TestEnvironment.with(validatesInHandshake: validatesInHandshake) { environment in
            let foreign = try TestPKI.makeCA(name: "Somebody Else's CA")
            let device = try TestPKI.device(issuedBy: foreign)
            // Even registered (as AWS's RegisterCertificateWithoutCA would): its chain is not trusted.
            try await environment.policy("allow-all", allowAllPolicy)
            try await environment.register(device, policies: ["allow-all"])
            #expect(try await environment.isRefused(device, clientId: "foreign"))
        }
    }

    @Test func anExpiredCertificateIsRefused() async throws {
        try await TestEnvironment.with { environment in
            let now = Date()
            let expired = try TestPKI.customDevice(
                issuedBy: environment.pki.root, subject: try .init { CommonName("old") },
                notValidBefore: now - 86_400 * 30, notValidAfter: now - 86_400)
            try await environment.policy("allow-all", allowAllPolicy)
            try await environment.register(expired, policies: ["allow-all"])
            #expect(try await environment.isRefused(expired, clientId: "old"))
        }
    }

    @Test func theAuthorizerAloneRefusesExpiredAndForeignChainsItIsGiven() async throws {
        // Without the handshake validator (BoringSSL checks the root), the CONNECT decision
        // still verifies the chain: an expired certificate from the root is refused there.
        try await TestEnvironment.with(validatesInHandshake: false) { environment in
            let now = Date()
            let expired = try TestPKI.customDevice(
                issuedBy: environment.pki.root, subject: try .init { CommonName("old") },
                notValidBefore: now - 86_400 * 30, notValidAfter: now - 86_400)
            try await environment.policy("allow-all", allowAllPolicy)
            try await environment.register(expired, policies: ["allow-all"])
            #expect(try await environment.isRefused(expired, clientId: "old"))
            let fine = try TestPKI.device(issuedBy: environment.pki.root)
            try await environment.register(fine, policies: ["allow-all"])
            #expect(try await environment.connect(fine, clientId: "fine").1?.returnCode == .accepted)
        }
    }

    @Test func aCertificateOfARegisteredCustomerCAConnectsUntilTheCAIsDeactivated() async throws {
        try await TestEnvironment.with { environment in
            let customer = try TestPKI.makeCA(name: "Acme Devices CA")
            let device = try TestPKI.device(issuedBy: customer)
            try await environment.registry.registerCACertificate(
                CACertificateRegistration(
                    certificateId: customer.certificateId, certificatePem: customer.certificatePEM, status: .active))
            await environment.authorizer.synchronize()
            try await environment.policy("allow-all", allowAllPolicy)
            try await environment.register(device, caCertificateId: customer.certificateId, policies: ["allow-all"])

            let (client, connack) = try await environment.connect(device, clientId: "acme-1")
            #expect(connack?.returnCode == .accepted)

            try await environment.registry.updateCACertificate(
                certificateId: customer.certificateId, newStatus: .inactive)
            await environment.authorizer.synchronize()
            #expect(await client.closes(within: .seconds(5)))
            #expect(try await environment.isRefused(device, clientId: "acme-1"))

            try await environment.registry.updateCACertificate(
                certificateId: customer.certificateId, newStatus: .active)
            await environment.authorizer.synchronize()
            #expect(try await environment.connect(device, clientId: "acme-1").1?.returnCode == .accepted)
        }
    }

    @Test func aCustomerCACertificateThatIsRegisteredInactiveIsNotTrusted() async throws {
        try await TestEnvironment.with { environment in
            let customer = try TestPKI.makeCA(name: "Dormant CA")
            let device = try TestPKI.device(issuedBy: customer)
            try await environment.registry.registerCACertificate(
                CACertificateRegistration(
                    certificateId: customer.certificateId, certificatePem: customer.certificatePEM, status: .inactive))
            try await environment.policy("allow-all", allowAllPolicy)
            try await environment.register(device, caCertificateId: customer.certificateId, policies: ["allow-all"])
            await environment.authorizer.synchronize()
            #expect(try await environment.isRefused(device, clientId: "dormant"))
        }
    }

    @Test func aCertificateWithoutAnyPolicyIsRefusedBecauseConnectIsImplicitlyDenied() async throws {
        try await TestEnvironment.with { environment in
            let device = try TestPKI.device(issuedBy: environment.pki.root)
            try await environment.register(device)
            #expect(try await environment.isRefused(device, clientId: "no-policy"))
        }
    }

    @Test func aPlainConnectionWithoutTLSToTheTLSPortGetsNoConnack() async throws {
        try await TestEnvironment.with { environment in
            let client = try await TestMQTTClient.open(port: environment.tlsPort)
            await client.send(.connect(.init(clientIdentifier: "plain")))
            var sawConnack = false
            while let packet = try? await client.next(timeout: .seconds(3)) {
                if case .connack = packet { sawConnack = true }
            }
            #expect(!sawConnack)
            await client.close()
        }
    }
}
