/// Follows the sequence numbers one subscriber receives from one publisher, and counts
/// what went missing, what came twice and what came late.
///
/// A number above the next expected one opens a gap: the numbers skipped are remembered
/// as missing (up to ``maximumRememberedGaps``; beyond that they are only counted). A
/// number below the next expected one is late if it was missing, and a duplicate if not.
struct SequenceTracker: Sendable {
    /// The most missing numbers remembered one by one for one stream.
    static let maximumRememberedGaps = 65_536

    /// The next number expected.
    private(set) var next: UInt32 = 0
    /// Messages received, duplicates included.
    private(set) var received: UInt64 = 0
    /// Numbers received a second time.
    private(set) var duplicates: UInt64 = 0
    /// Numbers received after a higher number.
    private(set) var outOfOrder: UInt64 = 0
    /// Numbers skipped and not received since.
    private var missing: Set<UInt32> = []
    /// Numbers skipped in gaps too large to remember one by one.
    private var uncountedMissing: UInt64 = 0

    /// Records one received sequence number.
    @inline(__always)
    mutating func record(_ sequence: UInt32) {
        self.received += 1
        if sequence == self.next {
            self.next &+= 1
        } else if sequence > self.next {
            self.skip(from: self.next, to: sequence)
            self.next = sequence &+ 1
        } else if self.missing.remove(sequence) != nil {
            self.outOfOrder += 1
        } else {
            self.duplicates += 1
        }
    }

    private mutating func skip(from start: UInt32, to end: UInt32) {
        let gap = Int(end - start)
        if self.missing.count + gap > Self.maximumRememberedGaps {
            self.uncountedMissing += UInt64(gap)
        } else {
            for sequence in start..<end { self.missing.insert(sequence) }
        }
    }

    /// The messages lost once the publisher has sent `sent` messages (numbers
    /// `0..<sent`): those skipped and never received, and those after the last received.
    func lost(sent: UInt32) -> UInt64 {
        let trailing = sent > self.next ? UInt64(sent - self.next) : 0
        return UInt64(self.missing.count) + self.uncountedMissing + trailing
    }
}
