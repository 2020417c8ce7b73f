import Testing

@testable import MQTTBench

@Suite struct SequenceTrackerTests {
    @Test func inOrderStreamHasNoLoss() {
        var tracker = SequenceTracker()
        for sequence in UInt32(0)..<100 { tracker.record(sequence) }
        #expect(tracker.lost(sent: 100) == 0)
        #expect(tracker.duplicates == 0)
        #expect(tracker.outOfOrder == 0)
        #expect(tracker.received == 100)
    }

    @Test func trailingMessagesThatNeverCameAreLost() {
        var tracker = SequenceTracker()
        for sequence in UInt32(0)..<10 { tracker.record(sequence) }
        #expect(tracker.lost(sent: 15) == 5)
    }

    @Test func nothingReceivedLosesEverything() {
        #expect(SequenceTracker().lost(sent: 7) == 7)
    }

    @Test func gapIsLostUntilItsMessagesArriveLate() {
        var tracker = SequenceTracker()
        for sequence: UInt32 in [0, 1, 4, 5] { tracker.record(sequence) }
        #expect(tracker.lost(sent: 6) == 2)
        tracker.record(2)
        #expect(tracker.outOfOrder == 1)
        #expect(tracker.lost(sent: 6) == 1)
        tracker.record(3)
        #expect(tracker.outOfOrder == 2)
        #expect(tracker.lost(sent: 6) == 0)
        #expect(tracker.duplicates == 0)
    }

    @Test(arguments: [UInt32(0), 3, 9])
    func repeatedNumberIsDuplicate(repeated: UInt32) {
        var tracker = SequenceTracker()
        for sequence in UInt32(0)..<10 { tracker.record(sequence) }
        tracker.record(repeated)
        #expect(tracker.duplicates == 1)
        #expect(tracker.outOfOrder == 0)
        #expect(tracker.lost(sent: 10) == 0)
        #expect(tracker.received == 11)
    }

    @Test func lateMessageArrivingTwiceIsOnceLateOnceDuplicate() {
        var tracker = SequenceTracker()
        for sequence: UInt32 in [0, 2, 1, 1] { tracker.record(sequence) }
        #expect(tracker.outOfOrder == 1)
        #expect(tracker.duplicates == 1)
        #expect(tracker.lost(sent: 3) == 0)
    }

    @Test func hugeGapIsCountedWithoutRememberingEachNumber() {
        var tracker = SequenceTracker()
        let gap = UInt32(SequenceTracker.maximumRememberedGaps) + 10
        tracker.record(0)
        tracker.record(gap + 1)
        #expect(tracker.lost(sent: gap + 2) == UInt64(gap))
        // A late message of that gap cannot be told from a duplicate.
        tracker.record(5)
        #expect(tracker.duplicates == 1)
    }
}
