import MQTTProtocol
import NIOCore

/// What a benchmark connection does once its MQTT session is open.
///
/// ``BenchClientHandler`` runs the session (CONNECT, CONNACK, keep-alive, decoding) and
/// calls its role on the channel's event loop.
protocol BenchClientRole: AnyObject {
    /// The broker accepted the connection.
    func sessionOpened(context: ChannelHandlerContext)
    /// A packet other than CONNACK and PINGRESP arrived; `time` is when its read completed.
    func receive(_ packet: MQTTPacket, at time: UInt64, context: ChannelHandlerContext) throws
    /// Every packet of the current read batch has been handed over.
    func readComplete(context: ChannelHandlerContext)
    /// The channel became writable or stopped being writable.
    func writabilityChanged(context: ChannelHandlerContext)
    /// The connection closed; `error` says why if it was not asked to.
    func sessionClosed(error: (any Error)?)
}

extension BenchClientRole {
    func sessionOpened(context: ChannelHandlerContext) {}

    func receive(_ packet: MQTTPacket, at time: UInt64, context: ChannelHandlerContext) throws {
        throw BenchError.unexpectedPacket("\(packet.type)")
    }

    func readComplete(context: ChannelHandlerContext) {}
    func writabilityChanged(context: ChannelHandlerContext) {}
    func sessionClosed(error: (any Error)?) {}
}

/// The role of a connection that only holds its session open (idle connections and
/// handshake tests).
final class IdleRole: BenchClientRole {}
