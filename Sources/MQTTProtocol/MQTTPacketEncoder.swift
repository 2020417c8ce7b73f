import NIOCore

/// Encodes MQTT packets for a channel pipeline (through `MessageToByteHandler`).
public struct MQTTPacketEncoder: MessageToByteEncoder, Sendable {
    public typealias OutboundIn = MQTTPacket

    /// The protocol version packets are encoded for. A CONNECT always uses its own version.
    public var version: MQTTProtocolVersion

    /// Creates an encoder for `version`.
    public init(version: MQTTProtocolVersion = .v3_1_1) {
        self.version = version
    }

    /// Appends `data` to `out`.
    public func encode(data: MQTTPacket, out: inout ByteBuffer) {
        data.encode(into: &out, version: self.version)
    }
}
