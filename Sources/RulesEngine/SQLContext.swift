import Foundation

/// What a rule knows about the message besides its payload: the values behind
/// `topic()`, `clientid()`, `principal()`, `timestamp()`, `accountid()` and `traceid()`.
public struct SQLContext: Sendable {
    /// The topic the message was published to (after any `$aws/rules/<rule>/` prefix).
    public var topic: String
    /// The MQTT client id of the publisher; `clientid()` is `n/a` without one.
    public var clientID: String?
    /// The publisher's principal: a certificate id, or an IAM user or role id;
    /// `principal()` is `Undefined` without one.
    public var principal: String?
    /// The account that owns the rule.
    public var accountID: String
    /// The trace id of the MQTT message; `traceid()` is `Undefined` without one.
    public var traceID: String?
    /// When the rules engine received the message, in milliseconds since 1970.
    public var timestamp: Int64

    /// A context for one message; `timestamp` defaults to now.
    public init(
        topic: String, clientID: String? = nil, principal: String? = nil, accountID: String = "000000000000",
        traceID: String? = nil, timestamp: Int64? = nil
    ) {
        self.topic = topic
        self.clientID = clientID
        self.principal = principal
        self.accountID = accountID
        self.traceID = traceID
        self.timestamp = timestamp ?? Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))
    }
}
