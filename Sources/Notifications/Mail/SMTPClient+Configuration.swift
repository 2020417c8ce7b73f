extension SMTPClient {
    /// Where and how to reach the SMTP server.
    public struct Configuration: Sendable {
        /// The server's host name or IP address. It is also the name checked against the TLS certificate.
        public var host: String
        /// The server's port: usually 25 or 587 with ``Security/startTLS``, 465 with ``Security/implicitTLS``.
        public var port: Int
        /// Whether and how the connection is encrypted.
        public var security: Security
        /// Credentials for AUTH PLAIN or AUTH LOGIN; `nil` to send without authenticating.
        public var credentials: Credentials?
        /// The name the client gives in EHLO/HELO; ideally this host's fully qualified domain name.
        public var heloName: String
        /// How long opening the TCP connection may take.
        public var connectTimeout: Duration
        /// How long to wait for each reply (and for a TLS handshake).
        public var commandTimeout: Duration
        /// Which certificates the server's certificate must chain to.
        public var trust: TLSTrust

        /// Creates a configuration.
        /// - Parameters:
        ///   - host: the server's host name or IP address.
        ///   - port: the server's port.
        ///   - security: ``Security/plain``, ``Security/startTLS`` or ``Security/implicitTLS``.
        ///   - credentials: username and password, if the server needs them.
        ///   - heloName: the client's name in EHLO, by default `localhost`.
        ///   - connectTimeout: default 10 seconds.
        ///   - commandTimeout: default 60 seconds.
        ///   - trust: default the system's trust store.
        public init(
            host: String,
            port: Int,
            security: Security,
            credentials: Credentials? = nil,
            heloName: String = "localhost",
            connectTimeout: Duration = .seconds(10),
            commandTimeout: Duration = .seconds(60),
            trust: TLSTrust = .systemDefault
        ) {
            self.host = host
            self.port = port
            self.security = security
            self.credentials = credentials
            self.heloName = heloName
            self.connectTimeout = connectTimeout
            self.commandTimeout = commandTimeout
            self.trust = trust
        }
    }

    /// Whether and how the connection to the server is encrypted.
    public struct Security: Hashable, Sendable, CustomStringConvertible {
        enum Mode: Hashable, Sendable {
            case plain
            case startTLS
            case implicitTLS
        }

        let mode: Mode

        /// No encryption (local relays and tests). Credentials, if configured, travel in clear text.
        public static let plain = Security(mode: .plain)
        /// Upgrade with STARTTLS (RFC 3207) after the first EHLO. Required: sending fails if the server
        /// does not offer STARTTLS, it never falls back to plain text.
        public static let startTLS = Security(mode: .startTLS)
        /// TLS from the first byte ("SMTPS", RFC 8314), usually on port 465.
        public static let implicitTLS = Security(mode: .implicitTLS)

        public var description: String {
            switch self.mode {
            case .plain: "plain"
            case .startTLS: "starttls"
            case .implicitTLS: "tls"
            }
        }
    }

    /// A username and password for SMTP AUTH. Its description never shows the password.
    public struct Credentials: Hashable, Sendable, CustomStringConvertible {
        /// The username (authentication identity).
        public var username: String
        /// The password.
        public var password: String

        /// Creates credentials.
        public init(username: String, password: String) {
            self.username = username
            self.password = password
        }

        public var description: String { "Credentials(username: \(self.username), password: <redacted>)" }
    }

    /// Which certificates a server certificate must chain to.
    public struct TLSTrust: Sendable {
        enum Roots: Sendable {
            case systemDefault
            case pem(String)
            case noVerification
        }

        let roots: Roots

        /// The operating system's trust store; the certificate must also name ``Configuration/host``.
        public static let systemDefault = TLSTrust(roots: .systemDefault)

        /// Only the given root certificates (PEM, one or more); the certificate must also name the host.
        public static func certificates(pem: String) -> TLSTrust {
            TLSTrust(roots: .pem(pem))
        }

        /// No verification of the server's certificate at all. For local testing only: anyone on the path
        /// can read the mail and the credentials.
        public static let noVerification = TLSTrust(roots: .noVerification)
    }
}
