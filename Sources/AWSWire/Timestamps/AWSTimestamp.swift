import Foundation

/// The timestamp formats of AWS wire protocols, formatted and parsed without `DateFormatter`.
///
/// Every function is pure arithmetic on the UTC calendar, so it is thread-safe and cheap.
/// Formatting rounds to the nearest millisecond; the SigV4 form then drops the milliseconds.
public enum AWSTimestamp {
    private static let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    // MARK: SigV4 (ISO 8601 basic)

    /// `20150830T123600Z`: the ISO 8601 basic form used by `X-Amz-Date` and SigV4.
    public static func sigV4(_ date: Date) -> String {
        let time = CivilTime(date)
        var out = ""
        out.reserveCapacity(16)
        append(time.year, width: 4, to: &out)
        append(time.month, width: 2, to: &out)
        append(time.day, width: 2, to: &out)
        out.append("T")
        append(time.hour, width: 2, to: &out)
        append(time.minute, width: 2, to: &out)
        append(time.second, width: 2, to: &out)
        out.append("Z")
        return out
    }

    /// Parses `YYYYMMDDTHHMMSSZ` exactly; returns `nil` for anything else.
    public static func parseSigV4(_ string: String) -> Date? {
        var scanner = ASCIIScanner(string)
        guard let year = scanner.digits(4), let month = scanner.digits(2), let day = scanner.digits(2),
            scanner.expect("T"), let hour = scanner.digits(2), let minute = scanner.digits(2),
            let second = scanner.digits(2), scanner.expect("Z"), scanner.isAtEnd
        else { return nil }
        let time = CivilTime(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
        return time.isValid ? time.date() : nil
    }

    // MARK: ISO 8601 extended

    /// `2015-08-30T12:36:00.000Z`: ISO 8601 with milliseconds, as query-protocol XML uses.
    public static func iso8601(_ date: Date) -> String {
        let time = CivilTime(date)
        var out = ""
        out.reserveCapacity(24)
        append(time.year, width: 4, to: &out)
        out.append("-")
        append(time.month, width: 2, to: &out)
        out.append("-")
        append(time.day, width: 2, to: &out)
        out.append("T")
        append(time.hour, width: 2, to: &out)
        out.append(":")
        append(time.minute, width: 2, to: &out)
        out.append(":")
        append(time.second, width: 2, to: &out)
        out.append(".")
        append(time.millisecond, width: 3, to: &out)
        out.append("Z")
        return out
    }

    /// Parses `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM|±HHMM)`.
    public static func parseISO8601(_ string: String) -> Date? {
        var scanner = ASCIIScanner(string)
        guard let year = scanner.digits(4), scanner.expect("-"), let month = scanner.digits(2),
            scanner.expect("-"), let day = scanner.digits(2), scanner.expect("T"),
            let hour = scanner.digits(2), scanner.expect(":"), let minute = scanner.digits(2),
            scanner.expect(":"), let second = scanner.digits(2)
        else { return nil }
        var fraction = 0.0
        if scanner.expect(".") {
            guard let run = scanner.digitRun() else { return nil }
            fraction = run.value
        }
        guard let offset = parseZone(&scanner), scanner.isAtEnd else { return nil }
        let time = CivilTime(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
        guard time.isValid else { return nil }
        return time.date(fraction: fraction - Double(offset))
    }

    // MARK: Epoch seconds

    /// Seconds since 1970 as a JSON number, with up to three fraction digits
    /// (`1440938160`, `1440938160.5`, `1440938160.123`), as rest-json services send timestamps.
    public static func epochSeconds(_ date: Date) -> String {
        let millis = Int64((date.timeIntervalSince1970 * 1000).rounded())
        let sign = millis < 0 ? "-" : ""
        let seconds = millis.magnitude / 1000
        let fraction = millis.magnitude % 1000
        guard fraction != 0 else { return sign + String(seconds) }
        var digits = String(fraction)
        digits = String(repeating: "0", count: 3 - digits.count) + digits
        while digits.hasSuffix("0") { digits.removeLast() }
        return "\(sign)\(seconds).\(digits)"
    }

    /// Parses a JSON number of seconds since 1970 (`1440938160`, `1440938160.123`, `1.44e9`).
    public static func parseEpochSeconds(_ string: String) -> Date? {
        guard let first = string.utf8.first, first != UInt8(ascii: "+"), !first.isASCIIWhitespace,
            let value = Double(string), value.isFinite
        else { return nil }
        return Date(timeIntervalSince1970: value)
    }

    // MARK: HTTP date

    /// `Sun, 30 Aug 2015 12:36:00 GMT`: the IMF-fixdate form of HTTP `Date` headers.
    public static func httpDate(_ date: Date) -> String {
        dayAndTime(date) + " GMT"
    }

    /// `Thu, 27 Nov 2025 02:49:09 +0000`: the `Date` header of an e-mail (RFC 5322 §3.3), in UTC.
    public static func rfc5322(_ date: Date) -> String {
        dayAndTime(date) + " +0000"
    }

    /// `Sun, 30 Aug 2015 12:36:00`: the weekday, date and time of both forms above.
    private static func dayAndTime(_ date: Date) -> String {
        let time = CivilTime(date)
        var out = weekdays[time.weekday] + ", "
        append(time.day, width: 2, to: &out)
        out += " " + months[time.month - 1] + " "
        append(time.year, width: 4, to: &out)
        out.append(" ")
        append(time.hour, width: 2, to: &out)
        out.append(":")
        append(time.minute, width: 2, to: &out)
        out.append(":")
        append(time.second, width: 2, to: &out)
        return out
    }

    /// Parses an RFC 1123 / RFC 2822 date: `[Day, ]DD Mon YYYY HH:MM:SS` followed by `GMT`,
    /// `UTC`, `UT`, `Z` or a numeric zone such as `-0000` (the form Python's `formatdate` writes).
    public static func parseHTTPDate(_ string: String) -> Date? {
        var scanner = ASCIIScanner(string)
        scanner.skipSpaces()
        let start = scanner.position
        let dayName = scanner.word()
        if !dayName.isEmpty {
            guard weekdays.contains(dayName), scanner.expect(",") else { return nil }
            scanner.skipSpaces()
        } else {
            scanner.position = start
        }
        let day: Int
        if let twoDigits = scanner.digits(2) {
            day = twoDigits
        } else if let oneDigit = scanner.digits(1) {
            day = oneDigit
        } else {
            return nil
        }
        scanner.skipSpaces()
        guard let monthIndex = months.firstIndex(of: scanner.word()) else { return nil }
        scanner.skipSpaces()
        guard let year = scanner.digits(4) else { return nil }
        scanner.skipSpaces()
        guard let hour = scanner.digits(2), scanner.expect(":"), let minute = scanner.digits(2),
            scanner.expect(":"), let second = scanner.digits(2)
        else { return nil }
        scanner.skipSpaces()
        let zoneStart = scanner.position
        let zoneName = scanner.word()
        var offset = 0
        switch zoneName {
        case "GMT", "UTC", "UT", "Z":
            break
        case "":
            scanner.position = zoneStart
            guard let sign = scanner.peek, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") else {
                return nil
            }
            scanner.position += 1
            guard let hours = scanner.digits(2), let minutes = scanner.digits(2), minutes < 60 else { return nil }
            offset = (hours * 3600 + minutes * 60) * (sign == UInt8(ascii: "-") ? -1 : 1)
        default:
            return nil
        }
        scanner.skipSpaces()
        guard scanner.isAtEnd else { return nil }
        let time = CivilTime(
            year: year, month: monthIndex + 1, day: day, hour: hour, minute: minute, second: second)
        guard time.isValid else { return nil }
        return time.date(fraction: -Double(offset))
    }

    // MARK: Helpers

    private static func append(_ value: Int, width: Int, to out: inout String) {
        let digits = String(value)
        if digits.count < width {
            out.append(String(repeating: "0", count: width - digits.count))
        }
        out.append(digits)
    }

    /// Parses `Z`, `±HH:MM` or `±HHMM`, returning the offset east of UTC in seconds.
    private static func parseZone(_ scanner: inout ASCIIScanner) -> Int? {
        if scanner.expect("Z") { return 0 }
        guard let sign = scanner.peek, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") else {
            return nil
        }
        scanner.position += 1
        guard let hours = scanner.digits(2), hours < 24 else { return nil }
        _ = scanner.expect(":")
        guard let minutes = scanner.digits(2), minutes < 60 else { return nil }
        let offset = hours * 3600 + minutes * 60
        return sign == UInt8(ascii: "-") ? -offset : offset
    }
}

extension UInt8 {
    var isASCIIWhitespace: Bool {
        self == UInt8(ascii: " ") || self == UInt8(ascii: "\t") || self == UInt8(ascii: "\n")
            || self == UInt8(ascii: "\r") || self == 0x0B || self == 0x0C
    }
}
