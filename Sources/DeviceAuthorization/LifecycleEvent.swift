import Foundation
import MQTTBroker

/// An AWS IoT lifecycle event: its topic and its JSON document.
///
/// Connect and disconnect events go to `$aws/events/presence/connected/<clientId>` and
/// `$aws/events/presence/disconnected/<clientId>`, subscription events to
/// `$aws/events/subscriptions/subscribed/<clientId>` and `…/unsubscribed/<clientId>`, with
/// AWS's members: `clientId`, `timestamp` (milliseconds), `eventType`, `sessionIdentifier`,
/// `principalIdentifier`, then `ipAddress` and `versionNumber` (presence) plus
/// `clientInitiatedDisconnect` and `disconnectReason` (disconnect), or `topics`
/// (subscriptions).
public struct LifecycleEvent: Sendable, Hashable {
    /// The kind of event: also its `eventType`.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case connected
        case disconnected
        case subscribed
        case unsubscribed
    }

    /// The kind.
    public var kind: Kind
    /// The topic it is published to.
    public var topic: String
    /// The JSON document.
    public var json: String

    /// The `disconnectReason` AWS IoT reports for a broker's ``DisconnectReason``.
    public static func awsDisconnectReason(_ reason: DisconnectReason) -> String {
        switch reason {
        case .clientDisconnect: "CLIENT_INITIATED_DISCONNECT"
        case .takenOver: "DUPLICATE_CLIENTID"
        case .keepAliveTimeout: "MQTT_KEEP_ALIVE_TIMEOUT"
        case .connectionLost: "CONNECTION_LOST"
        case .protocolError: "CLIENT_ERROR"
        case .notAuthorized: "AUTH_ERROR"
        case .serverInitiated, .serverShutdown: "SERVER_INITIATED_DISCONNECT"
        }
    }

    /// The event of a client connecting.
    public static func connected(_ client: ConnectedClient, at time: Date) -> LifecycleEvent {
        var json = header(client, kind: .connected, at: time)
        json.member("ipAddress", string: client.remoteAddress ?? "")
        json.member("versionNumber", number: client.connectionNumber)
        return LifecycleEvent(kind: .connected, topic: topic(.connected, client), json: json.finished())
    }

    /// The event of a client's connection ending for `reason`.
    public static func disconnected(
        _ client: ConnectedClient, reason: DisconnectReason, at time: Date
    ) -> LifecycleEvent {
        var json = header(client, kind: .disconnected, at: time)
        json.member("clientInitiatedDisconnect", bool: reason == .clientDisconnect)
        json.member("disconnectReason", string: awsDisconnectReason(reason))
        json.member("ipAddress", string: client.remoteAddress ?? "")
        json.member("versionNumber", number: client.connectionNumber)
        return LifecycleEvent(kind: .disconnected, topic: topic(.disconnected, client), json: json.finished())
    }

    /// The event of a client subscribing to (`subscribed`) or unsubscribing from
    /// (`unsubscribed`) topic filters.
    public static func subscriptions(
        _ kind: Kind, _ client: ConnectedClient, topics: [String], at time: Date
    ) -> LifecycleEvent {
        precondition(kind == .subscribed || kind == .unsubscribed, "not a subscription event")
        var json = header(client, kind: kind, at: time)
        json.member("topics", strings: topics)
        return LifecycleEvent(kind: kind, topic: topic(kind, client), json: json.finished())
    }

    /// Whether a client's events are published: AWS publishes none for client ids with `+`
    /// or `#`.
    public static func hasEvents(clientIdentifier: String) -> Bool {
        !clientIdentifier.contains("+") && !clientIdentifier.contains("#")
    }

    private static func topic(_ kind: Kind, _ client: ConnectedClient) -> String {
        switch kind {
        case .connected, .disconnected: "$aws/events/presence/\(kind.rawValue)/\(client.clientIdentifier)"
        case .subscribed, .unsubscribed: "$aws/events/subscriptions/\(kind.rawValue)/\(client.clientIdentifier)"
        }
    }

    private static func header(_ client: ConnectedClient, kind: Kind, at time: Date) -> JSONObjectWriter {
        var json = JSONObjectWriter()
        json.member("clientId", string: client.clientIdentifier)
        json.member("timestamp", number: UInt64(max(0, (time.timeIntervalSince1970 * 1000).rounded())))
        json.member("eventType", string: kind.rawValue)
        json.member("sessionIdentifier", string: client.sessionIdentifier)
        json.member("principalIdentifier", string: client.principal ?? "")
        return json
    }
}

/// Writes one flat JSON object, members in the order given.
struct JSONObjectWriter {
    private var text = "{"
    private var isEmpty = true

    mutating func member(_ name: String, string value: String) {
        key(name)
        Self.append(string: value, to: &text)
    }

    mutating func member(_ name: String, number value: UInt64) {
        key(name)
        text += String(value)
    }

    mutating func member(_ name: String, bool value: Bool) {
        key(name)
        text += value ? "true" : "false"
    }

    mutating func member(_ name: String, strings values: [String]) {
        key(name)
        text += "["
        for (index, value) in values.enumerated() {
            if index > 0 { text += "," }
            Self.append(string: value, to: &text)
        }
        text += "]"
    }

    func finished() -> String { text + "}" }

    private mutating func key(_ name: String) {
        if !isEmpty { text += "," }
        isEmpty = false
        Self.append(string: name, to: &text)
        text += ":"
    }

    /// Appends `value` as a JSON string (RFC 8259 escapes).
    static func append(string value: String, to text: inout String) {
        text += "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: text.unicodeScalars.append(scalar)
            }
        }
        text += "\""
    }
}
