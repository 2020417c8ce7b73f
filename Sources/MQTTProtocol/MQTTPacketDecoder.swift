import NIOCore

/// Decodes MQTT control packets from a byte stream.
///
/// Decoding has two stages. The fixed header and the Remaining Length come first, and a
/// packet larger than ``maximumPacketSize`` is refused from the header alone, before its
/// body is buffered. The body is then parsed from a slice of exactly the Remaining Length:
/// fields that need more bytes, or leave bytes over, make the packet malformed.
///
/// Byte fields (PUBLISH payloads, passwords, will payloads, binary properties) are slices
/// of the receive buffer and are not copied.
///
/// Use it directly, or in a channel pipeline through `ByteToMessageHandler` or
/// `NIOSingleStepByteToMessageProcessor`.
public struct MQTTPacketDecoder: NIOSingleStepByteToMessageDecoder, Sendable {
    public typealias InboundOut = MQTTPacket

    /// Which side of the connection decodes, and so which packets it accepts.
    public enum Role: Sendable, Hashable {
        /// Decodes what clients send: CONNECT, PUBLISH, PUBACK, PUBREC, PUBREL, PUBCOMP,
        /// SUBSCRIBE, UNSUBSCRIBE, PINGREQ and DISCONNECT.
        case server
        /// Decodes what servers send: CONNACK, PUBLISH, PUBACK, PUBREC, PUBREL, PUBCOMP,
        /// SUBACK, UNSUBACK, PINGRESP and, in MQTT 5, DISCONNECT.
        case client
    }

    /// Which packets this decoder accepts.
    public let role: Role
    /// The largest packet accepted, in bytes, fixed header included.
    public let maximumPacketSize: Int
    /// The protocol version used to decode packets other than CONNECT; `nil` decodes as
    /// MQTT 3.1.1.
    ///
    /// In the server role a CONNECT sets it as soon as its protocol level has been read, so
    /// that it tells the version even when the rest of that CONNECT is malformed.
    public var protocolVersion: MQTTProtocolVersion?

    /// Creates a decoder.
    ///
    /// - Parameters:
    ///   - role: `.server` to decode what clients send, `.client` for what servers send.
    ///   - maximumPacketSize: The largest packet accepted, fixed header included.
    ///   - protocolVersion: The version of the connection, if already known.
    public init(role: Role, maximumPacketSize: Int = 131_072, protocolVersion: MQTTProtocolVersion? = nil) {
        precondition(maximumPacketSize >= 2, "an MQTT packet is at least 2 bytes")
        self.role = role
        self.maximumPacketSize = maximumPacketSize
        self.protocolVersion = protocolVersion
    }

    /// Decodes one packet from the front of `buffer`, or returns `nil` and consumes nothing
    /// if the packet is not complete yet.
    ///
    /// - Throws: ``MQTTProtocolError`` for any violation of the protocol.
    public mutating func decode(buffer: inout ByteBuffer) throws -> MQTTPacket? {
        try self.decodePacket(from: &buffer)
    }

    /// Decodes what is left once the stream has ended; an incomplete packet is dropped.
    public mutating func decodeLast(buffer: inout ByteBuffer, seenEOF: Bool) throws -> MQTTPacket? {
        try self.decodePacket(from: &buffer)
    }

    /// ``decode(buffer:)`` with a typed error.
    public mutating func decodePacket(from buffer: inout ByteBuffer) throws(MQTTProtocolError) -> MQTTPacket? {
        let remainingLength: Int
        let headerLength: Int
        let firstByte: UInt8
        switch Self.readFixedHeader(buffer) {
        case .empty:
            return nil
        case .incomplete(let first):
            _ = try self.checkFixedHeader(first)
            return nil
        case .remainingLengthTooLong(let first):
            _ = try self.checkFixedHeader(first)
            // [MQTT-2.2.3] the Remaining Length is at most four bytes.
            throw MQTTProtocolError(.malformedRemainingLength, "remaining length longer than 4 bytes [MQTT-2.2.3]")
        case .complete(let first, let length, let fieldLength):
            firstByte = first
            remainingLength = length
            headerLength = 1 + fieldLength
        }
        let type = try self.checkFixedHeader(firstByte)
        // Refuse an oversized packet from its header, before its body is buffered.
        guard headerLength + remainingLength <= self.maximumPacketSize else {
            throw MQTTProtocolError(.packetTooLarge, "packet larger than the maximum packet size")
        }
        guard buffer.readableBytes >= headerLength + remainingLength else { return nil }

        buffer.moveReaderIndex(forwardBy: headerLength)
        var body = buffer.readSlice(length: remainingLength)!
        let packet = try self.decodeBody(type: type, flags: firstByte & 0x0F, body: &body)
        guard body.readableBytes == 0 else {
            throw MQTTProtocolError(.malformedPacket, "packet body longer than its fields")
        }
        return packet
    }

    /// What the front of the buffer holds of a fixed header.
    private enum FixedHeader {
        case empty
        case incomplete(firstByte: UInt8)
        case remainingLengthTooLong(firstByte: UInt8)
        case complete(firstByte: UInt8, remainingLength: Int, fieldLength: Int)
    }

    /// Reads the fixed header without consuming anything, in a single access to the buffer.
    private static func readFixedHeader(_ buffer: ByteBuffer) -> FixedHeader {
        buffer.withUnsafeReadableBytes { bytes in
            guard let firstByte = bytes.first else { return .empty }
            var value = 0
            for index in 1..<min(bytes.count, 5) {
                let byte = bytes[index]
                value |= Int(byte & 0x7F) << (7 * (index - 1))
                if byte & 0x80 == 0 {
                    return .complete(firstByte: firstByte, remainingLength: value, fieldLength: index)
                }
                if index == 4 { return .remainingLengthTooLong(firstByte: firstByte) }
            }
            return .incomplete(firstByte: firstByte)
        }
    }

    /// Checks the packet type against the role and the flags against the type.
    private func checkFixedHeader(_ firstByte: UInt8) throws(MQTTProtocolError) -> MQTTPacket.PacketType {
        let flags = firstByte & 0x0F
        guard let type = MQTTPacket.PacketType(rawValue: firstByte >> 4), self.accepts(type) else {
            throw MQTTProtocolError(.invalidPacketType, "packet type reserved or not valid in this direction")
        }
        switch type {
        case .publish:
            // [MQTT-3.3.1-4] QoS 3 is invalid.
            guard flags & 0b0110 != 0b0110 else {
                throw MQTTProtocolError(.invalidQoS, "PUBLISH with QoS 3 [MQTT-3.3.1-4]")
            }
            // [MQTT-3.3.1-2] DUP is 0 for QoS 0.
            guard flags & 0b0110 != 0 || flags & 0b1000 == 0 else {
                throw MQTTProtocolError(.invalidFixedHeaderFlags, "DUP set on a QoS 0 PUBLISH [MQTT-3.3.1-2]")
            }
        case .pubrel, .subscribe, .unsubscribe:
            // [MQTT-2.2.2-1], [MQTT-3.6.1-1], [MQTT-3.8.1-1], [MQTT-3.10.1-1] flags are 0b0010.
            guard flags == 0b0010 else {
                throw MQTTProtocolError(.invalidFixedHeaderFlags, "reserved flags must be 0010 [MQTT-2.2.2-2]")
            }
        default:
            // [MQTT-2.2.2-1], [MQTT-2.2.2-2] reserved flags are 0.
            guard flags == 0 else {
                throw MQTTProtocolError(.invalidFixedHeaderFlags, "reserved flags must be 0 [MQTT-2.2.2-2]")
            }
        }
        return type
    }

    /// Whether this role receives packets of `type`.
    private func accepts(_ type: MQTTPacket.PacketType) -> Bool {
        switch type {
        case .publish, .puback, .pubrec, .pubrel, .pubcomp: true
        case .connect, .subscribe, .unsubscribe, .pingreq: self.role == .server
        case .connack, .suback, .unsuback, .pingresp: self.role == .client
        // A server sends DISCONNECT only in MQTT 5.
        case .disconnect: self.role == .server || self.protocolVersion == .v5
        // AUTH (MQTT 5 enhanced authentication) is not part of the packet model.
        case .auth: false
        }
    }

    private mutating func decodeBody(
        type: MQTTPacket.PacketType,
        flags: UInt8,
        body: inout ByteBuffer
    ) throws(MQTTProtocolError) -> MQTTPacket {
        let version = self.protocolVersion ?? .v3_1_1
        switch type {
        case .connect:
            let connectVersion = try MQTTPacket.Connect.decodeProtocolVersion(from: &body)
            self.protocolVersion = connectVersion
            return .connect(try MQTTPacket.Connect.decode(from: &body, protocolVersion: connectVersion))
        case .connack: return .connack(try MQTTPacket.Connack.decode(from: &body, version: version))
        case .publish: return .publish(try MQTTPacket.Publish.decode(from: &body, flags: flags, version: version))
        case .puback: return .puback(try MQTTPacket.Acknowledgement.decode(from: &body, version: version))
        case .pubrec: return .pubrec(try MQTTPacket.Acknowledgement.decode(from: &body, version: version))
        case .pubrel: return .pubrel(try MQTTPacket.Acknowledgement.decode(from: &body, version: version))
        case .pubcomp: return .pubcomp(try MQTTPacket.Acknowledgement.decode(from: &body, version: version))
        case .subscribe: return .subscribe(try MQTTPacket.Subscribe.decode(from: &body, version: version))
        case .suback: return .suback(try MQTTPacket.Suback.decode(from: &body, version: version))
        case .unsubscribe: return .unsubscribe(try MQTTPacket.Unsubscribe.decode(from: &body, version: version))
        case .unsuback: return .unsuback(try MQTTPacket.Unsuback.decode(from: &body, version: version))
        case .pingreq: return .pingreq
        case .pingresp: return .pingresp
        case .disconnect: return .disconnect(try MQTTPacket.Disconnect.decode(from: &body, version: version))
        case .auth: throw MQTTProtocolError(.invalidPacketType, "AUTH is not supported")
        }
    }
}
