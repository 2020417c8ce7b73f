import NIOConcurrencyHelpers
import NIOCore
import NIOSSL
import NIOTLS

/// What the client asks of its channel handler.
enum SMTPClientRequest: Sendable {
    /// Writes `bytes` (one or more command lines) and completes each promise, in order, with the next reply.
    case send(ByteBuffer, replies: [EventLoopPromise<SMTPReply>])
    /// Inserts a TLS client handler in front of the SMTP handler (after a 220 reply to STARTTLS) and
    /// completes the promise when the handshake is done.
    case startTLS(NIOSSLContext, serverHostname: String?, handshake: EventLoopPromise<Void>)
}

/// Low-level failures seen by the channel handler; the client maps them to ``SMTPError``.
enum SMTPConnectionFailure: Error, Hashable {
    /// The connection closed while replies were still expected.
    case connectionClosed
    /// No reply arrived within the command timeout.
    case timeout
    /// The server sent bytes when no reply was expected (also what a STARTTLS response injection looks like).
    case unexpectedData
    /// The server's bytes are not a valid reply.
    case malformedReply(SMTPReplyParser.Failure)
}

/// The one place where the SMTP client does I/O: it writes commands, parses replies and hands each reply to
/// the request waiting for it, in order, which makes pipelining a matter of writing several commands at once.
///
/// A timer runs whenever a reply (or a TLS handshake) is awaited; when it fires, or when the connection
/// fails, every waiting request fails and the channel is closed.
final class SMTPClientChannelHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = SMTPClientRequest
    typealias OutboundOut = ByteBuffer

    private var parser = SMTPReplyParser()
    private var waiting: CircularBuffer<EventLoopPromise<SMTPReply>>
    private var handshake: EventLoopPromise<Void>?
    private var failure: (any Error)?
    private let failureRecord: NIOLockedValueBox<(any Error)?>
    private var timer: Scheduled<Void>?
    private let timeout: TimeAmount

    /// - Parameters:
    ///   - greeting: completed with the server's greeting, the first reply.
    ///   - timeout: how long to wait for each reply.
    ///   - failureRecord: receives the first failure, the reason the connection ended, for requests that
    ///     reach a channel already closed and only see `ChannelError.ioOnClosedChannel`.
    init(greeting: EventLoopPromise<SMTPReply>, timeout: TimeAmount, failureRecord: NIOLockedValueBox<(any Error)?>) {
        self.waiting = [greeting]
        self.timeout = timeout
        self.failureRecord = failureRecord
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive {
            self.armTimer(context: context)
        }
    }

    func channelActive(context: ChannelHandlerContext) {
        self.armTimer(context: context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.fail(SMTPConnectionFailure.connectionClosed, context: context)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        self.fail(error, context: context)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let tlsEvent = event as? TLSUserEvent, case .handshakeCompleted = tlsEvent, let handshake = self.handshake {
            self.handshake = nil
            self.timer?.cancel()
            self.timer = nil
            handshake.succeed()
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard self.failure == nil else { return }
        self.parser.append(self.unwrapInboundIn(data))
        do {
            while let reply = try self.parser.next() {
                guard let promise = self.waiting.popFirst() else {
                    self.fail(SMTPConnectionFailure.unexpectedData, context: context)
                    return
                }
                self.armTimer(context: context)
                promise.succeed(reply)
            }
        } catch {
            self.fail(SMTPConnectionFailure.malformedReply(error), context: context)
            return
        }
        // Bytes beyond the last awaited reply were sent unasked. After STARTTLS's 220 this is the
        // plaintext injection of CVE-2011-0411: refuse rather than read them as replies after the upgrade.
        if self.waiting.isEmpty && self.parser.hasBufferedData {
            self.fail(SMTPConnectionFailure.unexpectedData, context: context)
        }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch self.unwrapOutboundIn(data) {
        case .send(let bytes, let replies):
            if let failure = self.failure {
                replies.forEach { $0.fail(failure) }
                promise?.fail(failure)
                return
            }
            self.waiting.append(contentsOf: replies)
            self.armTimer(context: context)
            context.write(self.wrapOutboundOut(bytes), promise: promise)

        case .startTLS(let sslContext, let serverHostname, let handshake):
            if let failure = self.failure {
                handshake.fail(failure)
                promise?.fail(failure)
                return
            }
            guard self.waiting.isEmpty, !self.parser.hasBufferedData else {
                handshake.fail(SMTPConnectionFailure.unexpectedData)
                promise?.fail(SMTPConnectionFailure.unexpectedData)
                return
            }
            do {
                let tlsHandler = try NIOSSLClientHandler(context: sslContext, serverHostname: serverHostname)
                self.handshake = handshake
                self.armTimer(context: context)
                try context.pipeline.syncOperations.addHandler(tlsHandler, position: .before(self))
                promise?.succeed()
            } catch {
                self.handshake = nil
                handshake.fail(error)
                promise?.fail(error)
            }
        }
    }

    private func armTimer(context: ChannelHandlerContext) {
        self.timer?.cancel()
        self.timer = nil
        guard !self.waiting.isEmpty || self.handshake != nil else { return }
        let loopBoundContext = NIOLoopBound(context, eventLoop: context.eventLoop)
        let loopBoundSelf = NIOLoopBound(self, eventLoop: context.eventLoop)
        self.timer = context.eventLoop.scheduleTask(in: self.timeout) {
            loopBoundSelf.value.fail(SMTPConnectionFailure.timeout, context: loopBoundContext.value)
        }
    }

    private func fail(_ error: any Error, context: ChannelHandlerContext) {
        self.timer?.cancel()
        self.timer = nil
        let isFirstFailure = self.failure == nil
        if isFirstFailure {
            self.failure = error
            self.failureRecord.withLockedValue { $0 = error }
        }
        let failure = self.failure!
        while let promise = self.waiting.popFirst() {
            promise.fail(failure)
        }
        if let handshake = self.handshake {
            self.handshake = nil
            handshake.fail(failure)
        }
        if isFirstFailure {
            context.close(promise: nil)
        }
    }
}
