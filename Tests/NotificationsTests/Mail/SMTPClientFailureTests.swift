import NIOCore
import NIOPosix
import Testing

@testable import Notifications

@Suite("SMTPClient: failures and their classification")
struct SMTPClientFailureTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var at: TestSMTPServer.Stage
        var reply: String
        var stage: SMTPError.Stage
        var isTransient: Bool
        var testDescription: String { "\(self.reply) at \(self.at)" }
    }

    @Test(arguments: [
        Case(at: .greeting, reply: "421 4.3.2 service not available", stage: .greeting, isTransient: true),
        Case(at: .greeting, reply: "554 5.7.1 no service for you", stage: .greeting, isTransient: false),
        Case(at: .ehlo, reply: "421 4.7.0 too many connections", stage: .ehlo, isTransient: true),
        Case(at: .mail, reply: "451 4.3.0 try again later", stage: .mail, isTransient: true),
        Case(at: .mail, reply: "550 5.7.1 sender refused", stage: .mail, isTransient: false),
        Case(at: .rcpt("ops@example.com"), reply: "450 4.2.1 mailbox busy", stage: .rcpt, isTransient: true),
        Case(at: .rcpt("ops@example.com"), reply: "550 5.1.1 unknown mailbox", stage: .rcpt, isTransient: false),
        Case(at: .data, reply: "451 4.3.0 not now", stage: .data, isTransient: true),
        Case(at: .data, reply: "554 5.5.1 no", stage: .data, isTransient: false),
        Case(at: .message, reply: "452 4.3.1 insufficient storage", stage: .data, isTransient: true),
        Case(at: .message, reply: "552 5.3.4 message too big", stage: .data, isTransient: false),
    ])
    func repliesAreClassifiedByTheirFirstDigit(_ failure: Case) async throws {
        var script = TestSMTPServer.Script()
        script.actions[failure.at] = .reply([failure.reply])
        try await TestSMTPServer.with(script) { server in
            let error = try await SMTPTest.failure(sending: try SMTPTest.message(), with: try SMTPTest.client(server))
            #expect(error.code == .rejected)
            #expect(error.stage == failure.stage)
            #expect(error.isTransient == failure.isTransient)
            #expect(error.isPermanent == !failure.isTransient)
            #expect(error.replyCode == Int(failure.reply.prefix(3)))
            #expect(error.replyText == String(failure.reply.dropFirst(4)))
            #expect(server.messages.isEmpty)
            #expect("\(error)".contains(failure.reply))
        }
    }

    @Test func refusedConnectionIsTransient() async throws {
        // A port that was just free: bind, note it, close.
        let listener = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0).get()
        let port = listener.localAddress!.port!
        try await listener.close()
        let client = try SMTPClient(configuration: .init(host: "127.0.0.1", port: port, security: .plain))
        let error = try await SMTPTest.failure(sending: try SMTPTest.message(), with: client)
        #expect(error.code == .connectionFailed)
        #expect(error.stage == .connect)
        #expect(error.isTransient)
        #expect(error.underlying != nil)
    }

    @Test(arguments: [
        (TestSMTPServer.Stage.greeting, SMTPError.Stage.greeting),
        (.ehlo, .ehlo),
        (.rcpt("ops@example.com"), .rcpt),
        (.message, .data),
    ])
    func silentServerTimesOut(at silentStage: TestSMTPServer.Stage, stage: SMTPError.Stage) async throws {
        var script = TestSMTPServer.Script()
        script.actions[silentStage] = .silence
        try await TestSMTPServer.with(script) { server in
            // Long enough that the stages before the silent one never time out on a loaded machine.
            let client = try SMTPTest.client(server, commandTimeout: .seconds(2))
            let start = ContinuousClock.now
            let error = try await SMTPTest.failure(sending: try SMTPTest.message(), with: client)
            let elapsed = ContinuousClock.now - start
            #expect(error.code == .timeout)
            #expect(error.stage == stage)
            #expect(error.isTransient)
            #expect(elapsed >= .seconds(2))
            #expect(elapsed < .seconds(30))  // the 2 s timeout, not the 60 s default
        }
    }

    @Test(arguments: [
        (TestSMTPServer.Stage.greeting, SMTPError.Stage.greeting),
        (.mail, .mail),
        (.rcpt("ops@example.com"), .rcpt),
        (.message, .data),
    ])
    func droppedConnectionIsTransient(at dropStage: TestSMTPServer.Stage, stage: SMTPError.Stage) async throws {
        var script = TestSMTPServer.Script()
        script.actions[dropStage] = .drop
        try await TestSMTPServer.with(script) { server in
            let error = try await SMTPTest.failure(sending: try SMTPTest.message(), with: try SMTPTest.client(server))
            #expect(error.code == .connectionClosed)
            #expect(error.stage == stage)
            #expect(error.isTransient)
        }
    }

    @Test func malformedGreetingIsAProtocolViolation() async throws {
        var script = TestSMTPServer.Script()
        script.greeting = ["HTTP/1.1 400 Bad Request"]
        try await TestSMTPServer.with(script) { server in
            let error = try await SMTPTest.failure(sending: try SMTPTest.message(), with: try SMTPTest.client(server))
            #expect(error.code == .protocolViolation)
            #expect(error.stage == .greeting)
        }
    }

    @Test(arguments: [
        ("not an address", ["ops@example.com"], SMTPError.Stage.mail),
        (SMTPTest.sender, ["ops@example.com>\r\nRCPT TO:<victim@example.com"], .rcpt),
        (SMTPTest.sender, [], .rcpt),
    ])
    func invalidEnvelopesFailBeforeConnecting(sender: String, recipients: [String], stage: SMTPError.Stage)
        async throws
    {
        try await TestSMTPServer.with { server in
            let client = try SMTPTest.client(server)
            await #expect {
                try await client.send(try SMTPTest.message(), from: sender, to: recipients)
            } throws: { error in
                let error = error as? SMTPError
                return error?.code == .invalidAddress && error?.stage == stage && error?.isPermanent == true
            }
            #expect(server.connections == 0)
        }
    }

    @Test(arguments: [TestSMTPServer.Action.silence, .drop, .reply(["500 5.5.1 what?"])])
    func quitProblemsDoNotFailADeliveredMessage(action: TestSMTPServer.Action) async throws {
        var script = TestSMTPServer.Script()
        script.actions[.quit] = action
        try await TestSMTPServer.with(script) { server in
            // A command timeout loose enough for a loaded machine; QUIT's own wait is capped.
            let client = try SMTPTest.client(server, commandTimeout: .seconds(10))
            // No error: the message was accepted before QUIT, whatever QUIT then does.
            try await client.send(try SMTPTest.message(), from: SMTPTest.sender, to: ["ops@example.com"])
            #expect(server.messages.count == 1)
            #expect(server.commands.last == "QUIT")
        }
    }

    @Test func nullReversePathIsAllowed() async throws {
        try await TestSMTPServer.with { server in
            try await SMTPTest.client(server).send(try SMTPTest.message(), from: "", to: ["ops@example.com"])
            #expect(server.commands.dropFirst().first == "MAIL FROM:<>")
        }
    }
}
