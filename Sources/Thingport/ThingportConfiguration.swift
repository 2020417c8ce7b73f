import MQTTBroker

/// Everything `thingport serve` can be told, with the defaults of the command-line contract.
public struct ThingportConfiguration: Sendable {
    /// Where Thingport keeps its state (`./thingport-data` by default).
    public var dataDirectory: String = "thingport-data"
    /// The address every listener binds to.
    public var host: String = "127.0.0.1"
    /// The HTTP API port (AWS control plane).
    public var apiPort: Int = 8080
    /// The mutual-TLS MQTT port.
    public var mqttPort: Int = 8883
    /// The plain MQTT port; nil keeps it closed.
    public var mqttPlainPort: Int?
    /// The longest keep-alive honoured, in seconds.
    public var maximumKeepAlive: UInt16?
    /// The names devices reach this server by; the first is the one `DescribeEndpoint` answers.
    public var publicHosts: [String] = ["localhost"]
    /// The AWS region in ARNs and credentials.
    public var region: String = "us-east-1"
    /// The AWS account id in ARNs.
    public var accountId: String = "000000000000"
    /// The largest MQTT packet accepted, in bytes.
    public var maximumPacketSize: Int = 131_072
    /// Messages queued per MQTT session behind the in-flight window or while away.
    public var maximumQueuedMessages: Int = 1000
    /// Unacknowledged outgoing QoS 1 and 2 messages per MQTT session.
    public var maximumInflight: Int = 100

    /// The IoT policy document governing plain-listener clients (`--plain-policy`); nil
    /// allows everything.
    public var plainPolicyPath: String?
    /// The device-facing limits of the MQTT listeners: AWS IoT Core's by default. The plain
    /// listener always serves QoS 2.
    public var deviceLimits: Broker.Limits = .awsIoT

    /// The SMTP server e-mail notifications go through; nil writes them to `DATA/outbox/`.
    public var smtp: SMTPSettings?

    /// Accept any well-formed SigV4 signature (`--accept-any-credentials`; local development).
    public var acceptAnyCredentials: Bool = false
    /// Serve `POST /_thingport/reset`.
    public var allowReset: Bool = false

    public init() {}

    /// The address of the API as devices and subscribers reach it: the first public host and
    /// the API port (the links in SNS messages point there).
    public var publicAPIBaseURL: String {
        let host = publicHosts.first ?? "localhost"
        let bracketed = host.contains(":") ? "[\(host)]" : host
        return "http://\(bracketed):\(apiPort)"
    }
}

/// Where e-mail notifications are sent (`--smtp-*`).
public struct SMTPSettings: Sendable, Hashable {
    /// The server's host name or address.
    public var host: String
    /// The server's port.
    public var port: Int
    /// The user name, when the server wants AUTH.
    public var username: String?
    /// The password, when the server wants AUTH.
    public var password: String?
    /// Upgrade the connection with STARTTLS (required when set).
    public var startTLS: Bool

    public init(host: String, port: Int = 25, username: String? = nil, password: String? = nil, startTLS: Bool = false)
    {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.startTLS = startTLS
    }
}
