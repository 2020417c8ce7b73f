import MQTTProtocol
import NIOCore

/// A publishing connection: sends stamped messages in batches, one flush per batch, at a
/// fixed rate or as fast as the connection takes them, and keeps a QoS 1 in-flight window.
final class PublisherRole: BenchClientRole {
    private enum Phase {
        case waiting
        case sending
        case stopped
    }

    /// This publisher's index, carried in every payload.
    let index: UInt16
    private let runTag: UInt16
    private let template: PublishTemplate
    private let qos: MQTTQoS
    private var plan: PublishPlan?
    private var phase = Phase.waiting
    private var context: ChannelHandlerContext?
    private var pumpScheduled = false

    /// Messages sent.
    private(set) var sent: UInt32 = 0
    /// Messages sent inside the measurement window.
    private(set) var sentInWindow: UInt64 = 0
    /// PUBACKs received for outstanding messages.
    private(set) var acknowledged: UInt64 = 0
    /// PUBACKs for packet identifiers that were not outstanding.
    private(set) var unexpectedAcknowledgements: UInt64 = 0
    /// QoS 1 messages sent and not acknowledged yet.
    private(set) var inflight = 0
    private var outstanding: [Bool]
    private var nextPacketIdentifier: UInt16 = 1
    /// Whether the connection closed before the run ended.
    private(set) var closedEarly = false

    /// Whether this publisher has stopped sending and has no message awaiting a PUBACK.
    var isFinished: Bool { self.phase == .stopped && (self.inflight == 0 || self.context == nil) }

    init(index: UInt16, runTag: UInt16, topic: String, payloadSize: Int, qos: MQTTQoS) {
        self.index = index
        self.runTag = runTag
        self.qos = qos
        self.template = PublishTemplate(topic: topic, payloadSize: payloadSize, qos: qos)
        self.outstanding = qos == .atMostOnce ? [] : [Bool](repeating: false, count: 65_536)
    }

    func sessionOpened(context: ChannelHandlerContext) {
        self.context = context
    }

    /// Starts sending by `plan`; the first messages leave at once.
    func start(_ plan: PublishPlan) {
        guard self.phase == .waiting else { return }
        self.plan = plan
        self.phase = .sending
        self.pump(now: BenchClock.now())
    }

    /// Stops sending; messages in flight may still be acknowledged.
    func stop() {
        if self.phase != .stopped { self.phase = .stopped }
    }

    /// Sends what is due at `now`: one batch at most, limited by the rate, the in-flight
    /// window and the channel's writability. A full batch schedules the next one on the
    /// event loop, after pending reads.
    func pump(now: UInt64) {
        guard self.phase == .sending, let plan = self.plan, let context = self.context else { return }
        if now >= plan.end || self.sent >= plan.messageLimit {
            self.stop()
            return
        }
        guard context.channel.isWritable else { return }
        var count = plan.batchSize
        var caughtUp = true
        if plan.ratePerSecond > 0 {
            let due = plan.messagesDue(at: now)
            guard due > self.sent else { return }
            if Int(due - self.sent) < count {
                count = Int(due - self.sent)
            } else {
                caughtUp = Int(due - self.sent) == count
            }
        } else {
            count = min(count, Int(plan.messageLimit - self.sent))
            caughtUp = false
        }
        if self.qos != .atMostOnce {
            count = min(count, plan.inflightLimit - self.inflight)
            guard count > 0 else { return }
        }
        self.writeBatch(count: count, now: now, plan: plan, context: context)
        if self.sent >= plan.messageLimit {
            self.stop()
        } else if !caughtUp && count == plan.batchSize {
            self.schedulePump(context: context)
        }
    }

    private func writeBatch(count: Int, now: UInt64, plan: PublishPlan, context: ChannelHandlerContext) {
        var buffer = context.channel.allocator.buffer(capacity: count * self.template.size)
        let usesIdentifiers = self.qos != .atMostOnce
        for _ in 0..<count {
            var identifier: UInt16 = 0
            if usesIdentifiers {
                identifier = self.nextPacketIdentifier
                self.nextPacketIdentifier = identifier == .max ? 1 : identifier + 1
                self.outstanding[Int(identifier)] = true
            }
            let stamp = BenchPayload(
                sendTime: now,
                runTag: self.runTag,
                publisher: self.index,
                sequence: self.sent
            )
            self.template.write(into: &buffer, packetIdentifier: identifier, stamp: stamp)
            self.sent += 1
        }
        if usesIdentifiers { self.inflight += count }
        if now >= plan.windowStart && now < plan.windowEnd { self.sentInWindow += UInt64(count) }
        context.writeAndFlush(NIOAny(buffer), promise: nil)
    }

    private func schedulePump(context: ChannelHandlerContext) {
        guard !self.pumpScheduled else { return }
        self.pumpScheduled = true
        context.eventLoop.assumeIsolated().execute {
            self.pumpScheduled = false
            self.pump(now: BenchClock.now())
        }
    }

    func receive(_ packet: MQTTPacket, at time: UInt64, context: ChannelHandlerContext) throws {
        guard case .puback(let ack) = packet else {
            throw BenchError.unexpectedPacket("\(packet.type) on a publishing connection")
        }
        let identifier = Int(ack.packetIdentifier)
        if self.qos != .atMostOnce && self.outstanding[identifier] {
            self.outstanding[identifier] = false
            self.inflight -= 1
            self.acknowledged += 1
        } else {
            self.unexpectedAcknowledgements += 1
        }
    }

    func readComplete(context: ChannelHandlerContext) {
        if self.qos != .atMostOnce { self.pump(now: BenchClock.now()) }
    }

    func writabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable { self.pump(now: BenchClock.now()) }
    }

    func sessionClosed(error: (any Error)?) {
        if self.phase != .stopped { self.closedEarly = true }
        self.phase = .stopped
        self.context = nil
    }
}
