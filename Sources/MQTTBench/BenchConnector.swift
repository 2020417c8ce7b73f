import MQTTProtocol
import NIOCore
import NIOPosix
import NIOSSL

/// Opens the TCP (and TLS) connections of a run, each with its ``BenchClientHandler``.
struct BenchConnector: Sendable {
    /// Where connections go.
    let target: BenchTarget
    /// Whether connections read in large buffers (load tests) or small ones (idle
    /// connections, where buffers would only cost memory).
    let largeReads: Bool
    private let address: SocketAddress
    private let sslContext: NIOSSLContext?

    /// Resolves the target's address and builds its TLS context once for the whole run.
    ///
    /// - Throws: when the host does not resolve or the TLS files cannot be loaded.
    init(target: BenchTarget, largeReads: Bool) throws {
        self.target = target
        self.largeReads = largeReads
        self.address = try SocketAddress.makeAddressResolvingHost(target.host, port: target.port)
        self.sslContext = try target.tls?.makeContext()
    }

    /// The CONNECT packet of a clean session for `clientIdentifier`.
    func connectPacket(clientIdentifier: String) -> MQTTPacket.Connect {
        MQTTPacket.Connect(
            cleanSession: true,
            keepAliveSeconds: self.target.keepAliveSeconds,
            clientIdentifier: clientIdentifier
        )
    }

    /// Connects `handler`'s channel on `eventLoop`; call it on that event loop. The future
    /// succeeds when the TCP connection is up (TLS and CONNACK come later: see
    /// ``BenchClientHandler/sessionOpened``).
    ///
    /// - Parameter sendBufferSize: `SO_SNDBUF` in bytes, or `nil` for the kernel's
    ///   self-tuning buffer (which grows to megabytes on loopback).
    func connect(
        _ handler: any ChannelHandler,
        on eventLoop: any EventLoop,
        sendBufferSize: Int? = nil
    ) -> EventLoopFuture<any Channel> {
        let boundHandler = NIOLoopBound(handler, eventLoop: eventLoop)
        let sslContext = self.sslContext
        let serverName = self.target.tls?.serverName
        let allocator =
            self.largeReads
            ? AdaptiveRecvByteBufferAllocator(minimum: 1024, initial: 65_536, maximum: 262_144)
            : AdaptiveRecvByteBufferAllocator(minimum: 64, initial: 512, maximum: 65_536)
        var bootstrap = ClientBootstrap(group: eventLoop)
        if let sendBufferSize {
            bootstrap = bootstrap.channelOption(.socketOption(.so_sndbuf), value: sendBufferSize)
        }
        return
            bootstrap
            .connectTimeout(self.target.connectTimeout)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelOption(.recvAllocator, value: allocator)
            .channelInitializer { channel in
                do {
                    if let sslContext {
                        let tls = try NIOSSLClientHandler(context: sslContext, serverHostname: serverName)
                        try channel.pipeline.syncOperations.addHandler(tls)
                    }
                    try channel.pipeline.syncOperations.addHandler(boundHandler.value)
                    return channel.eventLoop.makeSucceededVoidFuture()
                } catch {
                    return channel.eventLoop.makeFailedFuture(error)
                }
            }
            .connect(to: self.address)
    }
}
