// The least an MQTT broker on swift-nio-ssl can hold per idle mutual-TLS connection: a NIO
// server whose pipeline is `NIOSSLServerHandler` (client certificate required, verified
// against the given CA) and a handler answering every read with a CONNACK, so that MQTT load
// generators complete their CONNECT.
//
//   TLSFloor PORT SERVER_CERT SERVER_KEY CLIENT_CA [heap|mapped]
//
// `mapped` maps allocations of 16 KiB and more separately, as `thingport serve` does.
// Prints "ready" once listening on 127.0.0.1:PORT.
import NIOCore
import NIOPosix
import NIOSSL

#if canImport(Glibc)
    import Glibc
#endif

/// Answers each read with CONNACK (accepted, no session present).
final class ConnackResponder: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        context.writeAndFlush(wrapOutboundOut(ByteBuffer(bytes: [0x20, 0x02, 0x00, 0x00])), promise: nil)
    }
}

/// glibc's `mallopt(M_MMAP_THRESHOLD, bytes)`; <malloc.h> is not in the Glibc module.
func mapAllocations(from bytes: Int32) {
    #if canImport(Glibc)
        typealias MallOpt = @convention(c) (Int32, Int32) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
        _ = unsafeBitCast(symbol, to: MallOpt.self)(-3, bytes)
    #endif
}

let arguments = CommandLine.arguments
guard arguments.count >= 5, let port = Int(arguments[1]) else {
    print("usage: TLSFloor PORT SERVER_CERT SERVER_KEY CLIENT_CA [heap|mapped]")
    exit(2)
}
if arguments.count > 5, arguments[5] == "mapped" { mapAllocations(from: 16 * 1024) }

var configuration = TLSConfiguration.makeServerConfiguration(
    certificateChain: try NIOSSLCertificate.fromPEMFile(arguments[2]).map { .certificate($0) },
    privateKey: .privateKey(try NIOSSLPrivateKey(file: arguments[3], format: .pem))
)
configuration.trustRoots = .file(arguments[4])
configuration.certificateVerification = .noHostnameVerification
let context = try NIOSSLContext(configuration: configuration)

let group = MultiThreadedEventLoopGroup(numberOfThreads: System.coreCount)
let server = try await ServerBootstrap(group: group)
    .serverChannelOption(.backlog, value: 1024)
    // As Thingport's listeners: reads start small on idle connections.
    .childChannelOption(
        .recvAllocator, value: AdaptiveRecvByteBufferAllocator(minimum: 64, initial: 256, maximum: 65_536)
    )
    .childChannelInitializer { channel in
        channel.eventLoop.makeCompletedFuture {
            try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: context))
            try channel.pipeline.syncOperations.addHandler(ConnackResponder())
        }
    }
    .bind(host: "127.0.0.1", port: port)
    .get()
// Straight to the descriptor: stdout is block-buffered when it is a file.
_ = "ready\n".withCString { write(1, $0, 6) }
try await server.closeFuture.get()
