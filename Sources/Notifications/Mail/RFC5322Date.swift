import Foundation

/// The `Date` header's format (RFC 5322 §3.3), always in UTC: `Thu, 27 Nov 2025 02:49:09 +0000`.
package enum RFC5322Date {
    private static let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// The calendar fields of a UTC time, whole seconds rounded down.
    package struct Components: Hashable {
        package var year: Int64
        package var month: Int64
        package var day: Int64
        package var hour: Int64
        package var minute: Int64
        package var second: Int64
        /// 0 is Sunday.
        package var weekday: Int
    }

    /// Formats `date` (whole seconds, rounded down) in UTC.
    package static func format(_ date: Date) -> String {
        let c = Self.components(of: date)
        return "\(Self.weekdays[c.weekday]), \(Self.two(c.day)) \(Self.months[Int(c.month) - 1]) \(c.year) "
            + "\(Self.two(c.hour)):\(Self.two(c.minute)):\(Self.two(c.second)) +0000"
    }

    /// `20251127T024909`: ISO 8601 basic format in UTC, for names that sort by time.
    package static func compact(_ date: Date) -> String {
        let c = Self.components(of: date)
        return "\(c.year)\(Self.two(c.month))\(Self.two(c.day))T\(Self.two(c.hour))\(Self.two(c.minute))"
            + Self.two(c.second)
    }

    /// The UTC calendar fields of `date`.
    package static func components(of date: Date) -> Components {
        let seconds = Int64(date.timeIntervalSince1970.rounded(.down))
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        let (year, month, day) = Self.civilDate(daysSinceEpoch: days)
        return Components(
            year: year,
            month: month,
            day: day,
            hour: secondOfDay / 3600,
            minute: secondOfDay / 60 % 60,
            second: secondOfDay % 60,
            // 1970-01-01 was a Thursday.
            weekday: Int(((days % 7) + 7 + 4) % 7)
        )
    }

    private static func two(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }

    /// Proleptic Gregorian year, month and day for a day count from 1970-01-01 (H. Hinnant's algorithm).
    private static func civilDate(daysSinceEpoch: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = daysSinceEpoch + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
