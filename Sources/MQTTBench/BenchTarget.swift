import NIOCore
import NIOSSL

/// The broker a benchmark connects to, and how.
public struct BenchTarget: Sendable {
    /// The broker's address.
    public var host: String
    /// The broker's MQTT port.
    public var port: Int
    /// TLS settings; `nil` for plain TCP.
    public var tls: TLS?
    /// The keep-alive every connection asks for, in seconds; each connection pings at half
    /// of it. 0 turns keep-alive off.
    public var keepAliveSeconds: UInt16
    /// How long a TCP (and TLS) connect may take.
    public var connectTimeout: TimeAmount
    /// The start of every client identifier; a random run id and the role follow.
    public var clientIdentifierPrefix: String

    /// Creates a target.
    public init(
        host: String = "127.0.0.1",
        port: Int = 1883,
        tls: TLS? = nil,
        keepAliveSeconds: UInt16 = 60,
        connectTimeout: TimeAmount = .seconds(10),
        clientIdentifierPrefix: String = "bench"
    ) {
        self.host = host
        self.port = port
        self.tls = tls
        self.keepAliveSeconds = keepAliveSeconds
        self.connectTimeout = connectTimeout
        self.clientIdentifierPrefix = clientIdentifierPrefix
    }

    /// TLS settings of a target: trust roots for the server and, for mutual TLS, the
    /// client's certificate and key (PEM files).
    public struct TLS: Sendable {
        /// PEM file of the certificates that may sign the server's; `nil` for the system's.
        public var caFile: String?
        /// PEM file of the client certificate (chain), for mutual TLS.
        public var certificateFile: String?
        /// PEM file of the client's private key, for mutual TLS.
        public var privateKeyFile: String?
        /// The name checked against the server certificate and sent as SNI; it cannot be
        /// an IP address. `nil` skips the name check.
        public var serverName: String?
        /// Whether the server certificate is verified at all.
        public var verifiesServer: Bool

        /// Creates TLS settings.
        public init(
            caFile: String? = nil,
            certificateFile: String? = nil,
            privateKeyFile: String? = nil,
            serverName: String? = "localhost",
            verifiesServer: Bool = true
        ) {
            self.caFile = caFile
            self.certificateFile = certificateFile
            self.privateKeyFile = privateKeyFile
            self.serverName = serverName
            self.verifiesServer = verifiesServer
        }

        /// Builds the client context shared by every connection of a run (TLS 1.2 or 1.3,
        /// no session resumption).
        ///
        /// - Throws: when a file cannot be read or parsed.
        public func makeContext() throws -> NIOSSLContext {
            var configuration = TLSConfiguration.makeClientConfiguration()
            if let caFile {
                configuration.trustRoots = .file(caFile)
            }
            if let certificateFile {
                configuration.certificateChain = try NIOSSLCertificate.fromPEMFile(certificateFile).map {
                    .certificate($0)
                }
            }
            if let privateKeyFile {
                configuration.privateKey = .privateKey(try NIOSSLPrivateKey(file: privateKeyFile, format: .pem))
            }
            if !self.verifiesServer {
                configuration.certificateVerification = .none
            } else if self.serverName == nil {
                configuration.certificateVerification = .noHostnameVerification
            }
            return try NIOSSLContext(configuration: configuration)
        }
    }
}
