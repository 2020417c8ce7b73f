import NIOCore

/// The first 16 bytes of every benchmark payload: what lets a subscriber measure latency
/// and find lost, duplicated and reordered messages.
///
/// Layout (big-endian): bytes 0–7 the send time in nanoseconds on ``BenchClock``, bytes
/// 8–9 a tag of the run (so that a message of another run is not taken for one of this
/// run), bytes 10–11 the publisher's index, bytes 12–15 the publisher's sequence number
/// (from 0). The rest of the payload is zeros.
struct BenchPayload: Sendable, Hashable {
    /// The smallest payload that carries a stamp.
    static let minimumSize = 16
    /// The most publishers a run can tell apart.
    static let maximumPublishers = Int(UInt16.max) + 1

    var sendTime: UInt64
    var runTag: UInt16
    var publisher: UInt16
    var sequence: UInt32

    init(sendTime: UInt64, runTag: UInt16, publisher: UInt16, sequence: UInt32) {
        self.sendTime = sendTime
        self.runTag = runTag
        self.publisher = publisher
        self.sequence = sequence
    }

    /// Writes the stamp at `offset` of `buffer`, which must already hold 16 bytes there.
    @inline(__always)
    func write(into buffer: inout ByteBuffer, at offset: Int) {
        buffer.setInteger(self.sendTime, at: offset)
        buffer.setInteger(self.runTag, at: offset + 8)
        buffer.setInteger(self.publisher, at: offset + 10)
        buffer.setInteger(self.sequence, at: offset + 12)
    }

    /// Reads the stamp at the front of `payload`; `nil` if the payload is too short.
    @inline(__always)
    init?(reading payload: ByteBuffer) {
        let start = payload.readerIndex
        guard payload.readableBytes >= Self.minimumSize,
            let sendTime: UInt64 = payload.getInteger(at: start),
            let runTag: UInt16 = payload.getInteger(at: start + 8),
            let publisher: UInt16 = payload.getInteger(at: start + 10),
            let sequence: UInt32 = payload.getInteger(at: start + 12)
        else { return nil }
        self.init(sendTime: sendTime, runTag: runTag, publisher: publisher, sequence: sequence)
    }
}
