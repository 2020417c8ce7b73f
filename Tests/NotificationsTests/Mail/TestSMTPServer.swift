import AWSWire
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import NIOSSL

@testable import Notifications

/// A scriptable SMTP server for tests, on 127.0.0.1 and an ephemeral port. It records every command line
/// it receives, the messages it accepts and any protocol violation of the client (bare LF, pipelining
/// without PIPELINING, bytes after STARTTLS).
final class TestSMTPServer: Sendable {
    /// Where in the dialogue a scripted action applies.
    enum Stage: Hashable, Sendable {
        case greeting, ehlo, helo, startTLS, auth, mail, data, message, quit
        case rcpt(String)
    }

    /// What the server does at a stage instead of its normal reply.
    enum Action: Sendable {
        /// Sends these reply lines (each without CRLF, e.g. `["550-first", "550 last"]`).
        case reply([String])
        /// Closes the connection without replying.
        case drop
        /// Never answers.
        case silence
    }

    struct Script: Sendable {
        var greeting = ["220 test.invalid ESMTP ready"]
        var pipelining = false
        /// Holds the replies to MAIL and RCPT until DATA arrives: only a pipelining client gets through.
        var holdRepliesUntilData = false
        /// Offers STARTTLS with this context.
        var startTLS: NIOSSLContext?
        /// TLS from the first byte with this context.
        var implicitTLS: NIOSSLContext?
        var authMechanisms: [String] = []
        var username = "user"
        var password = "secret"
        var extraExtensions: [String] = []
        var actions: [Stage: Action] = [:]
        /// Sent right after the STARTTLS reply, in the same write (a response-injection attack).
        var injectAfterStartTLS: String?
    }

    struct Message: Sendable {
        var sender: String
        var recipients: [String]
        /// The content as received on the wire, dot-stuffing included, without the final `.` line.
        var wire: [UInt8]
        /// The content with dot-stuffing removed: what the client meant to send.
        var content: [UInt8]
        var overTLS: Bool
        var authenticatedUser: String?
    }

    struct Record: Sendable {
        var commands: [String] = []
        var messages: [Message] = []
        var violations: [String] = []
        var connections = 0
    }

    let port: Int
    private let channel: any Channel
    private let record: NIOLockedValueBox<Record>

    var commands: [String] { self.record.withLockedValue { $0.commands } }
    var messages: [Message] { self.record.withLockedValue { $0.messages } }
    var violations: [String] { self.record.withLockedValue { $0.violations } }
    var connections: Int { self.record.withLockedValue { $0.connections } }

    private init(channel: any Channel, record: NIOLockedValueBox<Record>) {
        self.channel = channel
        self.record = record
        self.port = channel.localAddress!.port!
    }

    static func start(_ script: Script = Script()) async throws -> TestSMTPServer {
        let record = NIOLockedValueBox(Record())
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    record.withLockedValue { $0.connections += 1 }
                    if let implicitTLS = script.implicitTLS {
                        try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: implicitTLS))
                    }
                    try channel.pipeline.syncOperations.addHandler(
                        TestSMTPSessionHandler(script: script, record: record)
                    )
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        return TestSMTPServer(channel: channel, record: record)
    }

    /// Runs `body` with a started server and stops the server afterwards.
    static func with<Result>(
        _ script: Script = Script(),
        _ body: (TestSMTPServer) async throws -> Result
    ) async throws -> Result {
        let server = try await Self.start(script)
        do {
            let result = try await body(server)
            try await server.channel.close()
            return result
        } catch {
            try? await server.channel.close()
            throw error
        }
    }
}

/// One server-side SMTP session.
private final class TestSMTPSessionHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private enum Mode {
        case command
        case data
        case authPlainResponse
        case authLoginUsername
        case authLoginPassword(username: String)
    }

    private let script: TestSMTPServer.Script
    private let record: NIOLockedValueBox<TestSMTPServer.Record>
    private var buffer = ByteBuffer()
    private var mode = Mode.command
    private var overTLS: Bool
    private var sender: String?
    private var recipients: [String] = []
    private var wire: [UInt8] = []
    private var content: [UInt8] = []
    private var authenticatedUser: String?
    private var heldReplies: [String] = []
    private var isClosed = false

    init(script: TestSMTPServer.Script, record: NIOLockedValueBox<TestSMTPServer.Record>) {
        self.script = script
        self.record = record
        self.overTLS = script.implicitTLS != nil
    }

    func channelActive(context: ChannelHandlerContext) {
        self.perform(.greeting, default: self.script.greeting, context: context)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = self.unwrapInboundIn(data)
        self.buffer.writeBuffer(&bytes)
        while !self.isClosed, let line = self.nextLine() {
            if case .data = self.mode {
                self.handleDataLine(line, context: context)
                continue
            }
            if case .command = self.mode, self.buffer.readableBytes > 0, !self.script.pipelining {
                self.violation("pipelined without PIPELINING")
            }
            self.handle(String(decoding: line, as: UTF8.self), context: context)
        }
    }

    /// The next line without its line ending; records a bare LF or CR as a violation.
    private func nextLine() -> [UInt8]? {
        let view = self.buffer.readableBytesView
        guard let lf = view.firstIndex(of: 10) else { return nil }
        let length = lf - view.startIndex
        var line = self.buffer.readBytes(length: length + 1)!
        line.removeLast()
        if line.last == 13 {
            line.removeLast()
        } else {
            self.violation("bare LF")
        }
        if line.contains(13) {
            self.violation("bare CR")
        }
        return line
    }

    private func handleDataLine(_ line: [UInt8], context: ChannelHandlerContext) {
        guard line != [UInt8(ascii: ".")] else {
            self.mode = .command
            let message = TestSMTPServer.Message(
                sender: self.sender ?? "",
                recipients: self.recipients,
                wire: self.wire,
                content: self.content,
                overTLS: self.overTLS,
                authenticatedUser: self.authenticatedUser
            )
            var accepted = true
            if let action = self.script.actions[.message] {
                if case .reply(let lines) = action, lines.last?.hasPrefix("2") == true {} else { accepted = false }
            }
            if accepted {
                self.record.withLockedValue { $0.messages.append(message) }
            }
            self.perform(.message, default: ["250 2.0.0 queued"], context: context)
            return
        }
        self.wire += line + [13, 10]
        self.content += (line.first == UInt8(ascii: ".") ? Array(line.dropFirst()) : line) + [13, 10]
    }

    private func handle(_ line: String, context: ChannelHandlerContext) {
        switch self.mode {
        case .data:
            return
        case .authPlainResponse:
            self.mode = .command
            self.record.withLockedValue { $0.commands.append(line) }
            self.checkPlain(line, context: context)
            return
        case .authLoginUsername:
            self.record.withLockedValue { $0.commands.append(line) }
            let username = Base64.decode(line).map { String(decoding: $0, as: UTF8.self) } ?? ""
            self.mode = .authLoginPassword(username: username)
            self.send(["334 UGFzc3dvcmQ6"], context: context)
            return
        case .authLoginPassword(let username):
            self.record.withLockedValue { $0.commands.append(line) }
            self.mode = .command
            let password = Base64.decode(line).map { String(decoding: $0, as: UTF8.self) } ?? ""
            self.finishAuth(username: username, password: password, context: context)
            return
        case .command:
            break
        }
        self.record.withLockedValue { $0.commands.append(line) }
        let verb = line.prefix { $0 != " " && $0 != ":" }.uppercased()
        let argument = line.drop { $0 != " " && $0 != ":" }.dropFirst()
        switch verb {
        case "EHLO":
            var lines = ["test.invalid greets \(argument)"]
            if self.script.pipelining { lines.append("PIPELINING") }
            if self.script.startTLS != nil && !self.overTLS { lines.append("STARTTLS") }
            if !self.script.authMechanisms.isEmpty {
                lines.append("AUTH " + self.script.authMechanisms.joined(separator: " "))
            }
            lines += self.script.extraExtensions
            let reply = lines.enumerated().map { "250" + ($0.offset == lines.count - 1 ? " " : "-") + $0.element }
            self.perform(.ehlo, default: reply, context: context)
        case "HELO":
            self.perform(.helo, default: ["250 test.invalid"], context: context)
        case "STARTTLS":
            guard let tls = self.script.startTLS else {
                self.send(["502 5.5.1 no STARTTLS"], context: context)
                return
            }
            if self.buffer.readableBytes > 0 {
                self.violation("bytes after STARTTLS")
                self.buffer.clear()
            }
            if let action = self.script.actions[.startTLS] {
                self.run(action, context: context)
                return
            }
            var reply = ["220 2.0.0 ready to start TLS"]
            if let injected = self.script.injectAfterStartTLS { reply.append(injected) }
            self.send(reply, context: context)
            try! context.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls), position: .first)
            self.overTLS = true
            self.sender = nil
            self.authenticatedUser = nil
        case "AUTH":
            if let action = self.script.actions[.auth] {
                self.run(action, context: context)
                return
            }
            let parts = argument.split(separator: " ").map(String.init)
            switch (parts.first?.uppercased(), parts.count) {
            case ("PLAIN", 1) where self.script.authMechanisms.contains("PLAIN"):
                self.mode = .authPlainResponse
                self.send(["334 "], context: context)
            case ("PLAIN", 2) where self.script.authMechanisms.contains("PLAIN"):
                self.checkPlain(parts[1], context: context)
            case ("LOGIN", 1) where self.script.authMechanisms.contains("LOGIN"):
                self.mode = .authLoginUsername
                self.send(["334 VXNlcm5hbWU6"], context: context)
            default:
                self.send(["504 5.5.4 unrecognized authentication type"], context: context)
            }
        case "MAIL":
            self.sender = String(argument.drop { $0 != "<" }.dropFirst().prefix { $0 != ">" })
            self.recipients = []
            self.replyHolding(.mail, default: ["250 2.1.0 sender ok"], context: context)
        case "RCPT":
            let recipient = String(argument.drop { $0 != "<" }.dropFirst().prefix { $0 != ">" })
            let action = self.script.actions[.rcpt(recipient)] ?? .reply(["250 2.1.5 recipient ok"])
            if case .reply(let lines) = action, lines.last?.hasPrefix("2") == true {
                self.recipients.append(recipient)
            }
            self.replyHolding(.rcpt(recipient), default: ["250 2.1.5 recipient ok"], context: context)
        case "DATA":
            self.flushHeld(context: context)
            if self.script.actions[.data] == nil, self.recipients.isEmpty || self.sender == nil {
                self.send(["554 5.5.1 no valid recipients"], context: context)
                return
            }
            self.wire = []
            self.content = []
            self.mode = .data
            self.perform(.data, default: ["354 end data with <CR><LF>.<CR><LF>"], context: context)
            if case .reply(let lines) = self.script.actions[.data], lines.last?.hasPrefix("354") != true {
                self.mode = .command
            }
        case "RSET", "NOOP":
            self.send(["250 2.0.0 ok"], context: context)
        case "QUIT":
            self.perform(.quit, default: ["221 2.0.0 bye"], context: context)
            self.close(context: context)
        default:
            self.send(["502 5.5.2 command not recognized"], context: context)
        }
    }

    private func checkPlain(_ response: String, context: ChannelHandlerContext) {
        let fields = (Base64.decode(response) ?? []).split(separator: 0, omittingEmptySubsequences: false)
        guard fields.count == 3 else {
            self.send(["501 5.5.2 malformed PLAIN response"], context: context)
            return
        }
        self.finishAuth(
            username: String(decoding: fields[1], as: UTF8.self),
            password: String(decoding: fields[2], as: UTF8.self),
            context: context
        )
    }

    private func finishAuth(username: String, password: String, context: ChannelHandlerContext) {
        if username == self.script.username && password == self.script.password {
            self.authenticatedUser = username
            self.send(["235 2.7.0 authentication successful"], context: context)
        } else {
            self.send(["535 5.7.8 authentication credentials invalid"], context: context)
        }
    }

    private func replyHolding(_ stage: TestSMTPServer.Stage, default reply: [String], context: ChannelHandlerContext) {
        if self.script.holdRepliesUntilData, case .reply(let lines) = self.script.actions[stage] ?? .reply(reply) {
            self.heldReplies += lines
            return
        }
        self.perform(stage, default: reply, context: context)
    }

    private func flushHeld(context: ChannelHandlerContext) {
        guard !self.heldReplies.isEmpty else { return }
        self.send(self.heldReplies, context: context)
        self.heldReplies = []
    }

    private func perform(_ stage: TestSMTPServer.Stage, default reply: [String], context: ChannelHandlerContext) {
        self.run(self.script.actions[stage] ?? .reply(reply), context: context)
    }

    private func run(_ action: TestSMTPServer.Action, context: ChannelHandlerContext) {
        switch action {
        case .reply(let lines):
            self.send(lines, context: context)
        case .drop:
            self.close(context: context)
        case .silence:
            break
        }
    }

    private func send(_ lines: [String], context: ChannelHandlerContext) {
        guard !self.isClosed else { return }
        var buffer = context.channel.allocator.buffer(capacity: 64)
        for line in lines {
            buffer.writeString(line + "\r\n")
        }
        context.writeAndFlush(self.wrapOutboundOut(buffer), promise: nil)
    }

    private func close(context: ChannelHandlerContext) {
        guard !self.isClosed else { return }
        self.isClosed = true
        context.close(promise: nil)
    }

    private func violation(_ text: String) {
        self.record.withLockedValue { $0.violations.append(text) }
    }
}
