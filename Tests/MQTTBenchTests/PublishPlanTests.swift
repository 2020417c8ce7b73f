import Testing

@testable import MQTTBench

@Suite struct PublishPlanTests {
    private func plan(rate: Double, limit: UInt32 = .max) -> PublishPlan {
        PublishPlan(
            start: 1_000_000_000,
            end: .max,
            windowStart: 0,
            windowEnd: .max,
            messageLimit: limit,
            ratePerSecond: rate,
            inflightLimit: 100,
            batchSize: 64
        )
    }

    @Test func nothingIsDueBeforeTheStart() {
        #expect(plan(rate: 1000).messagesDue(at: 999_999_999) == 0)
    }

    @Test func firstMessageIsDueAtTheStart() {
        #expect(plan(rate: 1000).messagesDue(at: 1_000_000_000) == 1)
    }

    @Test(arguments: [(UInt64(1_000_000), UInt32(2)), (500_000_000, 501), (2_000_000_000, 2001)])
    func messagesFollowTheRate(elapsed: UInt64, due: UInt32) {
        #expect(plan(rate: 1000).messagesDue(at: 1_000_000_000 + elapsed) == due)
    }

    @Test func dueNeverExceedsTheLimit() {
        #expect(plan(rate: 1000, limit: 10).messagesDue(at: 100_000_000_000) == 10)
    }
}
