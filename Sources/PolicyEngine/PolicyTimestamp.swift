/// Parses the date values of `Date…` condition operators and request keys such as
/// `aws:CurrentTime` (ISO 8601) and `aws:EpochTime` (seconds since 1970), without
/// Foundation formatters.
package enum PolicyTimestamp {
    /// Seconds since 1970-01-01T00:00:00Z for an ISO 8601 date or date-time
    /// (`2024-05-01`, `2024-05-01T12:30:00Z`, `2024-05-01T12:30:00.250+02:00`), or for a
    /// decimal number of epoch seconds. `nil` when the text is neither.
    package static func parse(_ text: String) -> Double? {
        withUTF8Bytes(text) { parse(bytes: $0) }
    }

    private static func parse(bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        guard !bytes.isEmpty else { return nil }
        if isEpoch(bytes) {
            return Double(String(decoding: bytes, as: UTF8.self))
        }
        var reader = Reader(bytes: bytes)
        guard let year = reader.digits(4), reader.take(UInt8(ascii: "-")),
            let month = reader.digits(2), reader.take(UInt8(ascii: "-")),
            let day = reader.digits(2),
            (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day)
        else { return nil }
        var seconds = Double(daysFromCivil(year: year, month: month, day: day)) * 86_400
        if reader.isAtEnd { return seconds }
        guard reader.take(UInt8(ascii: "T")) || reader.take(UInt8(ascii: "t")),
            let hour = reader.digits(2), hour < 24, reader.take(UInt8(ascii: ":")),
            let minute = reader.digits(2), minute < 60
        else { return nil }
        var second = 0
        var fraction = 0.0
        if reader.take(UInt8(ascii: ":")) {
            guard let value = reader.digits(2), value < 61 else { return nil }
            second = value
            if reader.take(UInt8(ascii: ".")) || reader.take(UInt8(ascii: ",")) {
                var scale = 0.1
                var sawDigit = false
                while let digit = reader.digit() {
                    fraction += Double(digit) * scale
                    scale /= 10
                    sawDigit = true
                }
                guard sawDigit else { return nil }
            }
        }
        seconds += Double(hour * 3600 + minute * 60 + second) + fraction
        if reader.isAtEnd || reader.take(UInt8(ascii: "Z")) || reader.take(UInt8(ascii: "z")) {
            return reader.isAtEnd ? seconds : nil
        }
        let sign: Double
        if reader.take(UInt8(ascii: "+")) {
            sign = 1
        } else if reader.take(UInt8(ascii: "-")) {
            sign = -1
        } else {
            return nil
        }
        guard let offsetHours = reader.digits(2), offsetHours < 24 else { return nil }
        var offsetMinutes = 0
        if !reader.isAtEnd {
            _ = reader.take(UInt8(ascii: ":"))
            guard let value = reader.digits(2), value < 60 else { return nil }
            offsetMinutes = value
        }
        guard reader.isAtEnd else { return nil }
        return seconds - sign * Double(offsetHours * 3600 + offsetMinutes * 60)
    }

    /// `-?digits(.digits)?` — an epoch time.
    private static func isEpoch(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var index = bytes[0] == UInt8(ascii: "-") ? 1 : 0
        var digits = 0
        var sawDot = false
        while index < bytes.count {
            let byte = bytes[index]
            if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                digits += 1
            } else if byte == UInt8(ascii: ".") && !sawDot {
                sawDot = true
            } else {
                return false
            }
            index += 1
        }
        return digits > 0
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    private static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let monthIndex = month > 2 ? month - 3 : month + 9
        let dayOfYear = (153 * monthIndex + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    private struct Reader {
        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0

        var isAtEnd: Bool { index == bytes.count }

        mutating func take(_ byte: UInt8) -> Bool {
            guard index < bytes.count, bytes[index] == byte else { return false }
            index += 1
            return true
        }

        mutating func digit() -> Int? {
            guard index < bytes.count else { return nil }
            let byte = bytes[index]
            guard byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") else { return nil }
            index += 1
            return Int(byte - UInt8(ascii: "0"))
        }

        mutating func digits(_ count: Int) -> Int? {
            var value = 0
            for _ in 0..<count {
                guard let digit = digit() else { return nil }
                value = value * 10 + digit
            }
            return value
        }
    }
}
