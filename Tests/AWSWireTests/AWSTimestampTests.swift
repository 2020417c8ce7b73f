import AWSWire
import Foundation
import Testing

@Suite("AWS timestamps")
struct AWSTimestampTests {
    static let instant = Date(timeIntervalSince1970: 1_440_938_160)  // 2015-08-30T12:36:00Z

    @Test func sigV4Form() {
        #expect(AWSTimestamp.sigV4(Self.instant) == "20150830T123600Z")
        #expect(AWSTimestamp.sigV4(Self.instant.addingTimeInterval(0.999)) == "20150830T123600Z")
        #expect(AWSTimestamp.sigV4(Date(timeIntervalSince1970: 0)) == "19700101T000000Z")
        #expect(AWSTimestamp.sigV4(Date(timeIntervalSince1970: 1_709_164_800)) == "20240229T000000Z")
        #expect(AWSTimestamp.sigV4(Date(timeIntervalSince1970: 253_402_300_799)) == "99991231T235959Z")
        #expect(AWSTimestamp.parseSigV4("20150830T123600Z") == Self.instant)
        #expect(AWSTimestamp.parseSigV4("20240229T000000Z") == Date(timeIntervalSince1970: 1_709_164_800))
    }

    @Test(arguments: [
        "", "20150830T123600", "20150830T123600z", "2015-08-30T12:36:00Z", "20150830 123600Z", "20151330T123600Z",
        "20230229T000000Z", "20150830T246000Z", "20150830T123660Z", "20150830T123600Z ", "2015083OT123600Z",
    ])
    func invalidSigV4(text: String) {
        #expect(AWSTimestamp.parseSigV4(text) == nil)
    }

    @Test func iso8601WithMilliseconds() {
        #expect(AWSTimestamp.iso8601(Self.instant) == "2015-08-30T12:36:00.000Z")
        #expect(AWSTimestamp.iso8601(Self.instant.addingTimeInterval(0.123)) == "2015-08-30T12:36:00.123Z")
        #expect(AWSTimestamp.iso8601(Self.instant.addingTimeInterval(-0.001)) == "2015-08-30T12:35:59.999Z")
        #expect(AWSTimestamp.iso8601(Date(timeIntervalSince1970: -1)) == "1969-12-31T23:59:59.000Z")
    }

    @Test(arguments: [
        ("2015-08-30T12:36:00Z", 0.0),
        ("2015-08-30T12:36:00.000Z", 0),
        ("2015-08-30T12:36:00.5Z", 0.5),
        ("2015-08-30T12:36:00.123456Z", 0.123456),
        ("2015-08-30T14:36:00+02:00", 0),
        ("2015-08-30T10:06:00-0230", 0),
    ])
    func parseISO8601(text: String, offset: Double) throws {
        let parsed = try #require(AWSTimestamp.parseISO8601(text))
        #expect(abs(parsed.timeIntervalSince(Self.instant) - offset) < 1e-6)
    }

    @Test(arguments: [
        "2015-08-30T12:36:00", "2015-08-30 12:36:00Z", "2015-02-30T12:36:00Z", "2015-08-30T12:36:00.Z", "x",
    ])
    func invalidISO8601(text: String) {
        #expect(AWSTimestamp.parseISO8601(text) == nil)
    }

    @Test func epochSeconds() {
        #expect(AWSTimestamp.epochSeconds(Self.instant) == "1440938160")
        #expect(AWSTimestamp.epochSeconds(Self.instant.addingTimeInterval(0.5)) == "1440938160.5")
        #expect(AWSTimestamp.epochSeconds(Self.instant.addingTimeInterval(0.123)) == "1440938160.123")
        #expect(AWSTimestamp.epochSeconds(Self.instant.addingTimeInterval(0.02)) == "1440938160.02")
        #expect(AWSTimestamp.epochSeconds(Date(timeIntervalSince1970: -1.5)) == "-1.5")
        #expect(AWSTimestamp.epochSeconds(Date(timeIntervalSince1970: 0)) == "0")
        #expect(AWSTimestamp.parseEpochSeconds("1440938160") == Self.instant)
        #expect(AWSTimestamp.parseEpochSeconds("1.44093816E9") == Self.instant)
        let fractional = AWSTimestamp.parseEpochSeconds("1440938160.123")
        #expect(fractional.map { abs($0.timeIntervalSince(Self.instant) - 0.123) < 1e-6 } == true)
        for invalid in ["", "abc", "nan", "inf", " 1", "+1", "1e400"] {
            #expect(AWSTimestamp.parseEpochSeconds(invalid) == nil, "\(invalid)")
        }
    }

    @Test func httpDates() {
        #expect(AWSTimestamp.httpDate(Self.instant) == "Sun, 30 Aug 2015 12:36:00 GMT")
        #expect(AWSTimestamp.httpDate(Date(timeIntervalSince1970: 0)) == "Thu, 01 Jan 1970 00:00:00 GMT")
        for text in [
            "Sun, 30 Aug 2015 12:36:00 GMT", "Sun, 30 Aug 2015 12:36:00 -0000", "Sun, 30 Aug 2015 12:36:00 +0000",
            "30 Aug 2015 12:36:00 UTC", "Sun, 30 Aug 2015 14:36:00 +0200", "Sun, 30 Aug 2015 12:36:00 Z",
        ] {
            #expect(AWSTimestamp.parseHTTPDate(text) == Self.instant, "\(text)")
        }
        #expect(
            AWSTimestamp.parseHTTPDate("Tue, 1 Sep 2015 00:00:00 GMT") == Date(timeIntervalSince1970: 1_441_065_600))
        for invalid in [
            "", "Sun 30 Aug 2015 12:36:00 GMT", "Xyz, 30 Aug 2015 12:36:00 GMT", "Sun, 30 Foo 2015 12:36:00 GMT",
            "Sun, 31 Sep 2015 12:36:00 GMT", "Sun, 30 Aug 2015 12:36:00 PST", "Sun, 30 Aug 2015 12:36 GMT",
        ] {
            #expect(AWSTimestamp.parseHTTPDate(invalid) == nil, "\(invalid)")
        }
    }

    @Test(
        "the e-mail Date header form (RFC 5322 §3.3) in UTC",
        arguments: [
            (0.0, "Thu, 01 Jan 1970 00:00:00 +0000"),
            (951_782_400, "Tue, 29 Feb 2000 00:00:00 +0000"),
            (1_764_211_749, "Thu, 27 Nov 2025 02:49:09 +0000"),
            (-1, "Wed, 31 Dec 1969 23:59:59 +0000"),
            (4_102_444_800, "Fri, 01 Jan 2100 00:00:00 +0000"),
            (1_709_251_199.75, "Thu, 29 Feb 2024 23:59:59 +0000"),
        ])
    func rfc5322Dates(seconds: Double, expected: String) {
        let date = Date(timeIntervalSince1970: seconds)
        #expect(AWSTimestamp.rfc5322(date) == expected)
        #expect(AWSTimestamp.parseHTTPDate(expected) == Date(timeIntervalSince1970: seconds.rounded(.down)))
    }

    @Test func formattingRoundTripsAcrossTheCalendar() {
        var seconds: TimeInterval = -2_208_988_800  // 1900-01-01
        while seconds < 4_102_444_800 {  // 2100-01-01
            let date = Date(timeIntervalSince1970: seconds)
            #expect(AWSTimestamp.parseSigV4(AWSTimestamp.sigV4(date)) == date)
            #expect(AWSTimestamp.parseISO8601(AWSTimestamp.iso8601(date)) == date)
            #expect(AWSTimestamp.parseHTTPDate(AWSTimestamp.httpDate(date)) == date)
            seconds += 86_400 * 37 + 3_671
        }
    }

    @Test func formattingIsSafeFromManyTasks() async {
        let results = await withTaskGroup(of: Bool.self) { group in
            for offset in 0..<64 {
                group.addTask {
                    let date = Self.instant.addingTimeInterval(TimeInterval(offset * 86_400))
                    return (0..<200).allSatisfy { _ in
                        AWSTimestamp.parseSigV4(AWSTimestamp.sigV4(date)) == date
                            && AWSTimestamp.parseISO8601(AWSTimestamp.iso8601(date)) == date
                    }
                }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(results.count == 64 && results.allSatisfy { $0 })
    }
}
