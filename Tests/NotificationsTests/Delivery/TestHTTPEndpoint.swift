import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix

/// An HTTP server on 127.0.0.1 and an ephemeral port that records every request and answers as the
/// test scripts it: with a status, or never (a stuck endpoint).
final class TestHTTPEndpoint: Sendable {
    enum Reply: Sendable {
        case status(Int)
        case hang
    }

    struct Request: Sendable {
        var method: HTTPMethod
        var uri: String
        var headers: HTTPHeaders
        var body: [UInt8]

        var text: String { String(decoding: self.body, as: UTF8.self) }
    }

    struct Record: Sendable {
        var requests: [Request] = []
        var children: [any Channel] = []
    }

    let port: Int
    private let channel: any Channel
    private let record: NIOLockedValueBox<Record>

    var url: String { "http://127.0.0.1:\(self.port)/sns" }
    var requests: [Request] { self.record.withLockedValue { $0.requests } }

    private init(channel: any Channel, record: NIOLockedValueBox<Record>) {
        self.channel = channel
        self.record = record
        self.port = channel.localAddress!.port!
    }

    /// Starts a server; `reply` gets the 0-based number of the request and the request.
    static func start(reply: @escaping @Sendable (Int, Request) -> Reply = { _, _ in .status(200) }) async throws
        -> TestHTTPEndpoint
    {
        let record = NIOLockedValueBox(Record())
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                record.withLockedValue { $0.children.append(channel) }
                return channel.pipeline.configureHTTPServerPipeline().flatMapThrowing {
                    try channel.pipeline.syncOperations.addHandler(Handler(record: record, reply: reply))
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        return TestHTTPEndpoint(channel: channel, record: record)
    }

    func close() async {
        try? await self.channel.close()
        for child in self.record.withLockedValue({ $0.children }) {
            try? await child.close()
        }
    }

    private final class Handler: ChannelInboundHandler {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart

        private let record: NIOLockedValueBox<Record>
        private let reply: @Sendable (Int, Request) -> Reply
        private var head: HTTPRequestHead?
        private var body: [UInt8] = []

        init(record: NIOLockedValueBox<Record>, reply: @escaping @Sendable (Int, Request) -> Reply) {
            self.record = record
            self.reply = reply
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch self.unwrapInboundIn(data) {
            case .head(let head):
                self.head = head
                self.body = []
            case .body(var buffer):
                self.body += buffer.readBytes(length: buffer.readableBytes) ?? []
            case .end:
                guard let head = self.head else { return }
                let request = Request(method: head.method, uri: head.uri, headers: head.headers, body: self.body)
                let index = self.record.withLockedValue { record in
                    record.requests.append(request)
                    return record.requests.count - 1
                }
                switch self.reply(index, request) {
                case .hang:
                    break
                case .status(let code):
                    // 204 and 304 have no body; others answer "ok".
                    let body = code == 204 || code == 304 ? "" : "ok"
                    var headers = HTTPHeaders()
                    if !body.isEmpty {
                        headers.add(name: "Content-Length", value: "\(body.utf8.count)")
                    }
                    let responseHead = HTTPResponseHead(
                        version: head.version, status: HTTPResponseStatus(statusCode: code), headers: headers)
                    context.write(self.wrapOutboundOut(.head(responseHead)), promise: nil)
                    if !body.isEmpty {
                        context.write(self.wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: body)))), promise: nil)
                    }
                    context.writeAndFlush(self.wrapOutboundOut(.end(nil)), promise: nil)
                }
            }
        }
    }
}
