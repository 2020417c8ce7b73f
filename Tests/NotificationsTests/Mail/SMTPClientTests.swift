import AWSWire
import Foundation
import Testing

@testable import Notifications

@Suite("SMTPClient: dialogue, pipelining, AUTH, content")
struct SMTPClientTests {
    @Test func plainSendFollowsTheProtocolInOrder() async throws {
        try await TestSMTPServer.with { server in
            let message = try SMTPTest.message(to: ["ops@example.com", "dev@example.com"])
            let transport: any MailTransport = try SMTPTest.client(server)
            try await transport.send(
                message,
                envelopeSender: SMTPTest.sender,
                recipients: ["ops@example.com", "dev@example.com"]
            )
            #expect(
                server.commands == ["EHLO client.test"] + SMTPTest.transaction(["ops@example.com", "dev@example.com"])
            )
            let received = try #require(server.messages.first)
            #expect(server.messages.count == 1)
            #expect(received.sender == SMTPTest.sender)
            #expect(received.recipients == ["ops@example.com", "dev@example.com"])
            #expect(received.content == message.rendered())
            #expect(!received.overTLS)
            #expect(server.violations.isEmpty)
        }
    }

    @Test func pipeliningSendsMailRcptAndDataInOneGroup() async throws {
        var script = TestSMTPServer.Script()
        script.pipelining = true
        // Replies to MAIL and RCPT come only once DATA has arrived: a client that waited would time out.
        script.holdRepliesUntilData = true
        try await TestSMTPServer.with(script) { server in
            let client = try SMTPTest.client(server, commandTimeout: .seconds(2))
            try await client.send(try SMTPTest.message(), from: SMTPTest.sender, to: ["ops@example.com", "b@x.test"])
            #expect(server.commands == ["EHLO client.test"] + SMTPTest.transaction(["ops@example.com", "b@x.test"]))
            #expect(server.messages.count == 1)
            #expect(server.violations.isEmpty)
        }
    }

    @Test func withoutPipeliningEachCommandWaitsForItsReply() async throws {
        var script = TestSMTPServer.Script()
        script.holdRepliesUntilData = true
        try await TestSMTPServer.with(script) { server in
            let client = try SMTPTest.client(server, commandTimeout: .seconds(2))
            let error = try await SMTPTest.failure(sending: try SMTPTest.message(), with: client)
            #expect(error.code == .timeout)
            #expect(error.stage == .mail)
            #expect(server.commands == ["EHLO client.test", "MAIL FROM:<\(SMTPTest.sender)>"])
        }
    }

    @Test func someRecipientsRejectedReportsWhichAndStillDelivers() async throws {
        var script = TestSMTPServer.Script()
        script.pipelining = true
        script.actions[.rcpt("nobody@example.com")] = .reply(["550 5.1.1 no such user"])
        try await TestSMTPServer.with(script) { server in
            let client = try SMTPTest.client(server)
            let error = try await SMTPTest.failure(
                sending: try SMTPTest.message(),
                with: client,
                to: ["ops@example.com", "nobody@example.com"]
            )
            #expect(error.code == .someRecipientsRejected)
            #expect(error.messageAccepted)
            #expect(error.isPermanent)
            #expect(error.acceptedRecipients == ["ops@example.com"])
            #expect(error.rejectedRecipients.map(\.address) == ["nobody@example.com"])
            #expect(error.rejectedRecipients.first?.replyCode == 550)
            #expect(error.rejectedRecipients.first?.replyText == "5.1.1 no such user")
            #expect(server.messages.map(\.recipients) == [["ops@example.com"]])
        }
    }

    @Test(arguments: [false, true])
    func allRecipientsRejectedSendsNoContent(pipelining: Bool) async throws {
        var script = TestSMTPServer.Script()
        script.pipelining = pipelining
        script.actions[.rcpt("ops@example.com")] = .reply(["550 5.1.1 no such user"])
        try await TestSMTPServer.with(script) { server in
            let error = try await SMTPTest.failure(sending: try SMTPTest.message(), with: try SMTPTest.client(server))
            #expect(error.code == .rejected)
            #expect(error.stage == .rcpt)
            #expect(error.isPermanent)
            #expect(error.replyCode == 550)
            #expect(!error.messageAccepted)
            #expect(server.messages.isEmpty)
            let expected =
                pipelining
                ? ["EHLO client.test", "MAIL FROM:<\(SMTPTest.sender)>", "RCPT TO:<ops@example.com>", "DATA", "QUIT"]
                : ["EHLO client.test", "MAIL FROM:<\(SMTPTest.sender)>", "RCPT TO:<ops@example.com>", "QUIT"]
            #expect(server.commands == expected)
        }
    }

    @Test func recipientRejectionsKeepTheirOwnClassification() async throws {
        var script = TestSMTPServer.Script()
        script.actions[.rcpt("full@example.com")] = .reply(["452 4.2.2 mailbox full"])
        script.actions[.rcpt("gone@example.com")] = .reply(["550 5.1.1 no such user"])
        try await TestSMTPServer.with(script) { server in
            let error = try await SMTPTest.failure(
                sending: try SMTPTest.message(),
                with: try SMTPTest.client(server),
                to: ["full@example.com", "gone@example.com"]
            )
            #expect(error.code == .rejected)
            // Worth retrying: one of the recipients may accept later.
            #expect(error.isTransient)
            #expect(error.rejectedRecipients.map(\.isTransient) == [true, false])
        }
    }

    @Test func ehloRefusedFallsBackToHelo() async throws {
        var script = TestSMTPServer.Script()
        script.actions[.ehlo] = .reply(["502 5.5.2 EHLO not implemented"])
        try await TestSMTPServer.with(script) { server in
            try await SMTPTest.client(server).send(
                try SMTPTest.message(), from: SMTPTest.sender, to: ["ops@example.com"])
            #expect(server.commands == ["EHLO client.test", "HELO client.test"] + SMTPTest.transaction())
            #expect(server.messages.count == 1)
        }
    }

    @Test func multiLineRepliesAreReadWhole() async throws {
        var script = TestSMTPServer.Script()
        script.greeting = ["220-test.invalid ESMTP", "220-no UCE", "220 welcome"]
        script.actions[.rcpt("x@example.com")] = .reply(["550-5.1.1 first line", "550 5.1.1 second line"])
        try await TestSMTPServer.with(script) { server in
            let client = try SMTPTest.client(server)
            try await client.send(try SMTPTest.message(), from: SMTPTest.sender, to: ["ops@example.com"])
            let error = try await SMTPTest.failure(sending: try SMTPTest.message(), with: client, to: ["x@example.com"])
            #expect(error.replyCode == 550)
            #expect(error.replyText == "5.1.1 first line 5.1.1 second line")
        }
    }

    @Test func authPlainIsPreferredAndSendsTheCredentials() async throws {
        var script = TestSMTPServer.Script()
        script.authMechanisms = ["LOGIN", "PLAIN"]
        try await TestSMTPServer.with(script) { server in
            let client = try SMTPTest.client(server, credentials: .init(username: "user", password: "secret"))
            try await client.send(try SMTPTest.message(), from: SMTPTest.sender, to: ["ops@example.com"])
            let commands = server.commands
            #expect(commands.count == 6)
            let auth = try #require(commands.dropFirst().first)
            #expect(auth.hasPrefix("AUTH PLAIN "))
            #expect(Base64.decode(auth.dropFirst("AUTH PLAIN ".count)) == Array("\0user\0secret".utf8))
            #expect(Array(commands.dropFirst(2)) == SMTPTest.transaction())
            #expect(server.messages.first?.authenticatedUser == "user")
        }
    }

    @Test func authLoginIsUsedWhenPlainIsNotOffered() async throws {
        var script = TestSMTPServer.Script()
        script.authMechanisms = ["LOGIN"]
        try await TestSMTPServer.with(script) { server in
            let client = try SMTPTest.client(server, credentials: .init(username: "user", password: "secret"))
            try await client.send(try SMTPTest.message(), from: SMTPTest.sender, to: ["ops@example.com"])
            #expect(
                server.commands
                    == [
                        "EHLO client.test", "AUTH LOGIN", Base64.encode(Array("user".utf8)),
                        Base64.encode(Array("secret".utf8)),
                    ] + SMTPTest.transaction()
            )
            #expect(server.messages.first?.authenticatedUser == "user")
        }
    }

    @Test(arguments: ["PLAIN", "LOGIN"])
    func wrongPasswordIsAPermanentAuthFailure(mechanism: String) async throws {
        var script = TestSMTPServer.Script()
        script.authMechanisms = [mechanism]
        try await TestSMTPServer.with(script) { server in
            let client = try SMTPTest.client(server, credentials: .init(username: "user", password: "wrong"))
            let error = try await SMTPTest.failure(sending: try SMTPTest.message(), with: client)
            #expect(error.code == .rejected)
            #expect(error.stage == .auth)
            #expect(error.replyCode == 535)
            #expect(error.isPermanent)
            #expect(!server.commands.contains { $0.hasPrefix("MAIL") })
            #expect(server.messages.isEmpty)
        }
    }

    @Test func credentialsWithoutAnOfferedMechanismFail() async throws {
        try await TestSMTPServer.with { server in
            let client = try SMTPTest.client(server, credentials: .init(username: "user", password: "secret"))
            let error = try await SMTPTest.failure(sending: try SMTPTest.message(), with: client)
            #expect(error.code == .authenticationNotOffered)
            #expect(error.stage == .auth)
            #expect(error.isPermanent)
            #expect(server.commands == ["EHLO client.test", "QUIT"])
        }
    }

    @Test func credentialsNeverAppearInDescriptions() {
        let credentials = SMTPClient.Credentials(username: "user", password: "hunter2")
        #expect(!"\(credentials)".contains("hunter2"))
    }

    @Test func linesStartingWithADotAreDotStuffed() async throws {
        try await TestSMTPServer.with { server in
            let message = try SMTPTest.message(body: "first\n.hidden\n.\n..\nlast")
            try await SMTPTest.client(server).send(message, from: SMTPTest.sender, to: ["ops@example.com"])
            let received = try #require(server.messages.first)
            #expect(received.content == message.rendered())
            let wire = String(decoding: received.wire, as: UTF8.self)
            #expect(wire.hasSuffix("\r\n\r\nfirst\r\n..hidden\r\n..\r\n...\r\nlast\r\n"))
        }
    }

    @Test func bareLineFeedsAreSentAsCRLF() async throws {
        try await TestSMTPServer.with { server in
            let raw = "From: a@b.test\nSubject: raw\n\nline one\nline two\r\nline three\rend"
            try await SMTPTest.client(server).send(
                rawMessage: Array(raw.utf8),
                from: SMTPTest.sender,
                to: ["ops@example.com"]
            )
            #expect(server.violations.isEmpty)
            let received = try #require(server.messages.first)
            #expect(
                String(decoding: received.content, as: UTF8.self)
                    == "From: a@b.test\r\nSubject: raw\r\n\r\nline one\r\nline two\r\nline three\r\nend\r\n"
            )
        }
    }

    @Test func utf8SubjectAndQuotedPrintableBodyArriveIntact() async throws {
        let subject = "Alarm: Temperatur über 40 °C 🔥 — Gerät 7 im Gewächshaus Süd benötigt Aufmerksamkeit"
        let body = "Grüße!\nDer Wert = 41 °C überschreitet den Grenzwert.  \n" + String(repeating: "ä", count: 120)
        try await TestSMTPServer.with { server in
            try await SMTPTest.client(server).send(
                try SMTPTest.message(subject: subject, body: body),
                from: SMTPTest.sender,
                to: ["ops@example.com"]
            )
            let received = try #require(server.messages.first).content
            #expect(received.allSatisfy { $0 < 0x80 })
            #expect(MIMEDecoding.decodeEncodedWords(MIMEDecoding.header("Subject", in: received) ?? "") == subject)
            #expect(MIMEDecoding.header("Content-Transfer-Encoding", in: received) == "quoted-printable")
            let decoded = try #require(MIMEDecoding.decodeQuotedPrintable(MIMEDecoding.split(received).body))
            #expect(
                String(decoding: decoded, as: UTF8.self) == body.replacingOccurrences(of: "\n", with: "\r\n") + "\r\n")
        }
    }

    @Test func sizeIsDeclaredAndEnforced() async throws {
        var script = TestSMTPServer.Script()
        script.extraExtensions = ["SIZE 100000"]
        try await TestSMTPServer.with(script) { server in
            let message = try SMTPTest.message()
            try await SMTPTest.client(server).send(message, from: SMTPTest.sender, to: ["ops@example.com"])
            #expect(
                server.commands.dropFirst().first == "MAIL FROM:<\(SMTPTest.sender)> SIZE=\(message.rendered().count)")
        }
        script.extraExtensions = ["SIZE 100"]
        try await TestSMTPServer.with(script) { server in
            let error = try await SMTPTest.failure(sending: try SMTPTest.message(), with: try SMTPTest.client(server))
            #expect(error.code == .messageTooLarge)
            #expect(error.isPermanent)
            #expect(server.commands == ["EHLO client.test", "QUIT"])
        }
    }

    @Test func internationalisedRecipientNeedsSMTPUTF8() async throws {
        try await TestSMTPServer.with { server in
            let error = try await SMTPTest.failure(
                sending: try SMTPTest.message(),
                with: try SMTPTest.client(server),
                to: ["josé@exämple.test"]
            )
            #expect(error.code == .smtpUTF8NotOffered)
            #expect(error.isPermanent)
        }
        var script = TestSMTPServer.Script()
        script.extraExtensions = ["SMTPUTF8"]
        try await TestSMTPServer.with(script) { server in
            try await SMTPTest.client(server).send(
                try SMTPTest.message(), from: SMTPTest.sender, to: ["josé@exämple.test"])
            #expect(server.commands.dropFirst().first == "MAIL FROM:<\(SMTPTest.sender)> SMTPUTF8")
            #expect(server.messages.first?.recipients == ["josé@exämple.test"])
        }
    }
}
