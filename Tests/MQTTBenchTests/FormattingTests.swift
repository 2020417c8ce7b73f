import Histogram
import Testing

@testable import MQTTBench

@Suite struct FormattingTests {
    @Test(arguments: [
        (1.005, 0, "1"), (1234.5678, 2, "1234.57"), (0.05, 1, "0.1"), (-2.25, 1, "-2.3"),
        (3, 3, "3.000"),
        (0.004, 2, "0.00"), (-0.001, 1, "0.0"),
    ])
    func fixedDecimals(value: Double, decimals: Int, expected: String) {
        #expect(formatted(value, decimals: decimals) == expected)
    }

    @Test func latencySummaryIsInMicroseconds() throws {
        var histogram = Histogram<UInt64>(
            highestTrackableValue: 1_000_000_000, numberOfSignificantValueDigits: .three)
        for value in 1...1000 { _ = histogram.record(UInt64(value) * 1000) }  // 1 µs ... 1 ms
        let summary = try #require(LatencySummary(nanoseconds: histogram))
        #expect(summary.count == 1000)
        #expect(abs(summary.p50 - 500) <= 1)
        #expect(abs(summary.p99 - 990) <= 1)
        #expect(abs(summary.max - 1000) <= 1)
    }

    @Test func emptyHistogramHasNoSummary() {
        let histogram = Histogram<UInt64>(
            highestTrackableValue: 1_000_000, numberOfSignificantValueDigits: .three)
        #expect(LatencySummary(nanoseconds: histogram) == nil)
    }
}
