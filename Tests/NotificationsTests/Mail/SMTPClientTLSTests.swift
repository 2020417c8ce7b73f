import Testing

@testable import Notifications

@Suite("SMTPClient: STARTTLS and implicit TLS")
struct SMTPClientTLSTests {
    static func startTLSScript() -> TestSMTPServer.Script {
        var script = TestSMTPServer.Script()
        script.startTLS = TestCertificates.shared.serverContext
        return script
    }

    @Test(arguments: ["127.0.0.1", "localhost"])
    func startTLSUpgradesThenGreetsAgain(host: String) async throws {
        try await TestSMTPServer.with(Self.startTLSScript()) { server in
            let client = try SMTPTest.client(server, host: host, security: .startTLS)
            try await client.send(try SMTPTest.message(), from: SMTPTest.sender, to: ["ops@example.com"])
            #expect(server.commands == ["EHLO client.test", "STARTTLS", "EHLO client.test"] + SMTPTest.transaction())
            #expect(server.messages.first?.overTLS == true)
            #expect(server.violations.isEmpty)
        }
    }

    @Test func authenticationHappensOnlyAfterTheUpgrade() async throws {
        var script = Self.startTLSScript()
        script.authMechanisms = ["PLAIN"]
        try await TestSMTPServer.with(script) { server in
            let client = try SMTPTest.client(
                server,
                security: .startTLS,
                credentials: .init(username: "user", password: "secret")
            )
            try await client.send(try SMTPTest.message(), from: SMTPTest.sender, to: ["ops@example.com"])
            let commands = server.commands
            #expect(Array(commands.prefix(3)) == ["EHLO client.test", "STARTTLS", "EHLO client.test"])
            #expect(commands[3].hasPrefix("AUTH PLAIN "))
            #expect(server.messages.first?.authenticatedUser == "user")
            #expect(server.messages.first?.overTLS == true)
        }
    }

    @Test func skippingVerificationAcceptsAnyCertificate() async throws {
        try await TestSMTPServer.with(Self.startTLSScript()) { server in
            let client = try SMTPTest.client(server, security: .startTLS, trust: .noVerification)
            try await client.send(try SMTPTest.message(), from: SMTPTest.sender, to: ["ops@example.com"])
            #expect(server.messages.first?.overTLS == true)
        }
    }

    @Test func untrustedCertificateIsATransientTLSFailure() async throws {
        try await TestSMTPServer.with(Self.startTLSScript()) { server in
            let client = try SMTPTest.client(server, security: .startTLS, trust: .systemDefault)
            let error = try await SMTPTest.failure(sending: try SMTPTest.message(), with: client)
            #expect(error.code == .tlsFailed)
            #expect(error.stage == .startTLS)
            #expect(error.isTransient)
            #expect(server.commands == ["EHLO client.test", "STARTTLS"])
            #expect(server.messages.isEmpty)
        }
    }

    @Test(arguments: ["127.0.0.1", "localhost"])
    func certificateForAnotherNameIsRefused(host: String) async throws {
        let otherServer = try TestCertificates(dnsNames: ["mail.example.test"], ipAddresses: [])
        var script = TestSMTPServer.Script()
        script.startTLS = otherServer.serverContext
        try await TestSMTPServer.with(script) { server in
            // Trusted CA, but the certificate names neither the host name nor the address connected to.
            let client = try SMTPTest.client(
                server,
                host: host,
                security: .startTLS,
                trust: .certificates(pem: otherServer.rootPEM)
            )
            let error = try await SMTPTest.failure(sending: try SMTPTest.message(), with: client)
            #expect(error.code == .tlsFailed)
            #expect(error.isTransient)
            #expect(server.messages.isEmpty)
        }
    }

    @Test func requiredStartTLSThatIsNotOfferedFailsBeforeAnyMail() async throws {
        try await TestSMTPServer.with { server in
            let client = try SMTPTest.client(server, security: .startTLS)
            let error = try await SMTPTest.failure(sending: try SMTPTest.message(), with: client)
            #expect(error.code == .startTLSNotOffered)
            #expect(error.stage == .startTLS)
            #expect(error.isPermanent)
            #expect(server.commands == ["EHLO client.test", "QUIT"])
        }
    }

    @Test func startTLSRefusedByTheServerIsClassifiedByItsCode() async throws {
        var script = Self.startTLSScript()
        script.actions[.startTLS] = .reply(["454 4.7.0 TLS not available due to temporary reason"])
        try await TestSMTPServer.with(script) { server in
            let error = try await SMTPTest.failure(
                sending: try SMTPTest.message(),
                with: try SMTPTest.client(server, security: .startTLS)
            )
            #expect(error.code == .rejected)
            #expect(error.stage == .startTLS)
            #expect(error.replyCode == 454)
            #expect(error.isTransient)
        }
    }

    @Test func plaintextInjectedAfterStartTLSIsRefused() async throws {
        var script = Self.startTLSScript()
        script.injectAfterStartTLS = "250 injected before the handshake"
        try await TestSMTPServer.with(script) { server in
            let error = try await SMTPTest.failure(
                sending: try SMTPTest.message(),
                with: try SMTPTest.client(server, security: .startTLS)
            )
            #expect(error.code == .protocolViolation)
            #expect(error.stage == .startTLS)
            #expect(!server.commands.contains { $0.hasPrefix("MAIL") })
        }
    }

    @Test func implicitTLSEncryptsFromTheFirstByte() async throws {
        var script = TestSMTPServer.Script()
        script.implicitTLS = TestCertificates.shared.serverContext
        try await TestSMTPServer.with(script) { server in
            let client = try SMTPTest.client(server, security: .implicitTLS)
            try await client.send(try SMTPTest.message(), from: SMTPTest.sender, to: ["ops@example.com"])
            #expect(server.commands == ["EHLO client.test"] + SMTPTest.transaction())
            #expect(server.messages.first?.overTLS == true)
        }
    }

    @Test func implicitTLSWithAnUntrustedCertificateFailsToConnect() async throws {
        var script = TestSMTPServer.Script()
        script.implicitTLS = TestCertificates.shared.serverContext
        try await TestSMTPServer.with(script) { server in
            let client = try SMTPTest.client(server, security: .implicitTLS, trust: .systemDefault)
            let error = try await SMTPTest.failure(sending: try SMTPTest.message(), with: client)
            #expect(error.code == .tlsFailed)
            #expect(error.stage == .connect)
            #expect(error.isTransient)
            #expect(server.commands.isEmpty)
        }
    }

    @Test func invalidTrustRootsAreAConfigurationError() {
        #expect {
            _ = try SMTPClient(
                configuration: .init(
                    host: "localhost", port: 25, security: .startTLS, trust: .certificates(pem: "nope"))
            )
        } throws: { error in
            (error as? SMTPError)?.code == .invalidConfiguration && (error as? SMTPError)?.isPermanent == true
        }
    }
}
