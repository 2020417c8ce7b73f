import Foundation

/// Date and time patterns for `parse_time` (Joda-Time's `DateTimeFormat` letters) and
/// `time_to_epoch` (Java's `DateTimeFormatter` letters), over the proleptic Gregorian
/// calendar. Time zones come from Foundation's `TimeZone` (IANA names, `UTC`, and
/// offsets such as `+01:00` or `UTC+01:00`).
///
/// Formatting supports `G y Y u M d D E e a h H k K m s S z Z` and `'quoted'` text;
/// parsing supports `y Y u M L d H h k K a m s S E z V Z X x` and `'quoted'` text. A
/// pattern with another letter gives `nil` (`Undefined`).
enum JodaTime {
    private static let monthNames = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
        "November", "December",
    ]
    private static let dayNames = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

    /// One piece of a pattern: a run of one letter, or literal text.
    enum Piece: Equatable {
        case field(Character, Int)
        case literal(String)
    }

    /// Splits a pattern into letter runs and literal text; `nil` for an unterminated quote.
    static func pieces(of pattern: String) -> [Piece]? {
        var pieces: [Piece] = []
        var characters = pattern[...]
        while let character = characters.first {
            if character == "'" {
                characters = characters.dropFirst()
                if characters.first == "'" {
                    pieces.append(.literal("'"))
                    characters = characters.dropFirst()
                    continue
                }
                var text = ""
                while true {
                    guard let next = characters.first else { return nil }
                    characters = characters.dropFirst()
                    if next == "'" {
                        if characters.first == "'" {
                            text.append("'")
                            characters = characters.dropFirst()
                            continue
                        }
                        break
                    }
                    text.append(next)
                }
                pieces.append(.literal(text))
            } else if character.isASCII && character.isLetter {
                let run = characters.prefix { $0 == character }
                pieces.append(.field(character, run.count))
                characters = characters.dropFirst(run.count)
            } else {
                pieces.append(.literal(String(character)))
                characters = characters.dropFirst()
            }
        }
        return pieces
    }

    // MARK: Zones

    /// The zone named `name`: `UTC`, an IANA name, an abbreviation, or an offset
    /// (`+01:00`, `-0500`, `UTC+01:00`, `GMT-5`).
    static func zone(named name: String) -> TimeZone? {
        let upper = name.uppercased()
        if upper == "UTC" || upper == "Z" || upper == "GMT" { return TimeZone(secondsFromGMT: 0) }
        for prefix in ["UTC", "GMT", "UT"] where upper.hasPrefix(prefix) {
            let rest = name.dropFirst(prefix.count)
            if let first = rest.first, first == "+" || first == "-", let seconds = offsetSeconds(String(rest)) {
                return TimeZone(secondsFromGMT: seconds)
            }
        }
        if let first = name.first, first == "+" || first == "-" {
            return offsetSeconds(name).flatMap { TimeZone(secondsFromGMT: $0) }
        }
        if let zone = TimeZone(identifier: name) { return zone }
        return TimeZone(abbreviation: name)
    }

    /// `+01:00`, `+0100`, `+01`, `-5` as seconds east of UTC.
    static func offsetSeconds(_ text: String) -> Int? {
        guard let sign = text.first, sign == "+" || sign == "-" else { return nil }
        let digits = text.dropFirst().filter { $0 != ":" }
        guard !digits.isEmpty, digits.count <= 4, digits.allSatisfy(\.isASCII), let value = Int(digits) else {
            return nil
        }
        let (hours, minutes) = digits.count <= 2 ? (value, 0) : (value / 100, value % 100)
        guard hours <= 18, minutes < 60 else { return nil }
        let seconds = hours * 3600 + minutes * 60
        return sign == "-" ? -seconds : seconds
    }

    // MARK: Calendar

    /// Days since 1970-01-01 of a proleptic Gregorian date.
    static func days(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The proleptic Gregorian date of a count of days since 1970-01-01.
    static func date(days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    private static func floorDivide(_ a: Int64, _ b: Int64) -> (quotient: Int64, remainder: Int64) {
        var quotient = a / b
        var remainder = a % b
        if remainder < 0 {
            quotient -= 1
            remainder += b
        }
        return (quotient, remainder)
    }

    // MARK: Formatting

    /// `parse_time(pattern, milliseconds, zone)`.
    static func format(milliseconds: Int64, pattern: String, zone zoneName: String) -> String? {
        guard let zone = zone(named: zoneName), let pieces = pieces(of: pattern) else { return nil }
        let instant = Date(timeIntervalSince1970: Double(milliseconds) / 1000)
        let offset = zone.secondsFromGMT(for: instant)
        let (dayCount, millisecondOfDay) = floorDivide(milliseconds &+ Int64(offset) * 1000, 86_400_000)
        let (year, month, day) = date(days: dayCount)
        let hour = millisecondOfDay / 3_600_000
        let minute = millisecondOfDay / 60000 % 60
        let second = millisecondOfDay / 1000 % 60
        let millisecond = millisecondOfDay % 1000
        let weekday = Int(floorDivide(dayCount + 3, 7).remainder)  // 0 = Monday; 1970-01-01 was a Thursday
        let dayOfYear = dayCount - days(year: year, month: 1, day: 1) + 1

        func padded(_ value: Int64, _ width: Int) -> String {
            let digits = String(abs(value))
            let zeros = String(repeating: "0", count: max(0, width - digits.count))
            return (value < 0 ? "-" : "") + zeros + digits
        }

        var output = ""
        for piece in pieces {
            switch piece {
            case .literal(let text):
                output += text
            case .field(let letter, let count):
                switch letter {
                case "G": output += year > 0 ? "AD" : "BC"
                case "y", "Y", "u":
                    let shown = letter == "Y" && year <= 0 ? 1 - year : year
                    output += count == 2 ? padded(floorDivide(shown, 100).remainder, 2) : padded(shown, count)
                case "M":
                    if count >= 4 {
                        output += monthNames[Int(month) - 1]
                    } else if count == 3 {
                        output += String(monthNames[Int(month) - 1].prefix(3))
                    } else {
                        output += padded(month, count)
                    }
                case "d": output += padded(day, count)
                case "D": output += padded(dayOfYear, count)
                case "E": output += count >= 4 ? dayNames[weekday] : String(dayNames[weekday].prefix(3))
                case "e": output += padded(Int64(weekday + 1), count)
                case "a": output += hour < 12 ? "AM" : "PM"
                case "H": output += padded(hour, count)
                case "k": output += padded(hour == 0 ? 24 : hour, count)
                case "K": output += padded(hour % 12, count)
                case "h": output += padded(hour % 12 == 0 ? 12 : hour % 12, count)
                case "m": output += padded(minute, count)
                case "s": output += padded(second, count)
                case "S":
                    let digits = padded(millisecond, 3)
                    output +=
                        count <= 3 ? String(digits.prefix(count)) : digits + String(repeating: "0", count: count - 3)
                case "z":
                    output += displayName(of: zone, at: instant, long: count >= 4)
                case "Z":
                    if count >= 3 {
                        output += zone.identifier
                    } else {
                        let sign = offset < 0 ? "-" : "+"
                        let hours = padded(Int64(abs(offset) / 3600), 2)
                        let minutes = padded(Int64(abs(offset) / 60 % 60), 2)
                        output += count == 2 ? "\(sign)\(hours):\(minutes)" : "\(sign)\(hours)\(minutes)"
                    }
                default:
                    return nil
                }
            }
        }
        return output
    }

    private static func displayName(of zone: TimeZone, at instant: Date, long: Bool) -> String {
        if zone.secondsFromGMT() == 0 && (zone.identifier == "GMT" || zone.identifier == "UTC") {
            return long ? "Coordinated Universal Time" : "UTC"
        }
        if long {
            return zone.localizedName(for: .standard, locale: Locale(identifier: "en_US")) ?? zone.identifier
        }
        // ICU's short names for en_US are Java's for the Americas (`CST`, `PDT`); elsewhere
        // they may be `GMT+1` where Java says `CET`.
        let style: TimeZone.NameStyle = zone.isDaylightSavingTime(for: instant) ? .shortDaylightSaving : .shortStandard
        return zone.localizedName(for: style, locale: Locale(identifier: "en_US")) ?? zone.abbreviation(for: instant)
            ?? zone.identifier
    }

    // MARK: Parsing

    /// `time_to_epoch(text, pattern)`: milliseconds since 1970; UTC unless the text names a zone.
    static func parse(_ text: String, pattern: String) -> Int64? {
        guard let pieces = pieces(of: pattern) else { return nil }
        var input = text[...]
        var year: Int64 = 1970
        var month: Int64 = 1
        var day: Int64 = 1
        var hour: Int64 = 0
        var minute: Int64 = 0
        var second: Int64 = 0
        var millisecond: Int64 = 0
        var pm: Bool?
        var twelveHour = false
        var zone: TimeZone?

        func isNumeric(_ piece: Piece?) -> Bool {
            guard case .field(let letter, let count)? = piece else { return false }
            return "yYuMLdHhkKmsS".contains(letter) && !((letter == "M" || letter == "L") && count >= 3)
        }
        func number(maximumDigits: Int) -> Int64? {
            var digits = ""
            var negative = false
            if input.first == "-" {
                negative = true
                input = input.dropFirst()
            }
            while digits.count < maximumDigits, let next = input.first, next.isASCII, next.isNumber {
                digits.append(next)
                input = input.dropFirst()
            }
            guard let value = Int64(digits) else { return nil }
            return negative ? -value : value
        }
        func word() -> Substring {
            let run = input.prefix { !$0.isWhitespace && $0 != "," }
            input = input.dropFirst(run.count)
            return run
        }

        for (index, piece) in pieces.enumerated() {
            switch piece {
            case .literal(let literal):
                guard input.hasPrefix(literal) else { return nil }
                input = input.dropFirst(literal.count)
            case .field(let letter, let count):
                let width = isNumeric(index + 1 < pieces.count ? pieces[index + 1] : nil) ? count : 10
                switch letter {
                case "y", "Y", "u":
                    guard let value = number(maximumDigits: max(width, count == 2 ? 2 : 0)) else { return nil }
                    year = count == 2 && value < 100 ? 2000 + value : value
                case "M", "L":
                    if count >= 3 {
                        let name = input.prefix { $0.isLetter }.lowercased()
                        guard
                            let found = monthNames.firstIndex(where: {
                                $0.lowercased() == name || $0.prefix(3).lowercased() == name
                            })
                        else { return nil }
                        input = input.dropFirst(name.count)
                        month = Int64(found + 1)
                    } else {
                        guard let value = number(maximumDigits: width) else { return nil }
                        month = value
                    }
                case "d":
                    guard let value = number(maximumDigits: width) else { return nil }
                    day = value
                case "H", "k":
                    guard let value = number(maximumDigits: width) else { return nil }
                    hour = letter == "k" && value == 24 ? 0 : value
                case "h", "K":
                    guard let value = number(maximumDigits: width) else { return nil }
                    hour = value % 12
                    twelveHour = true
                case "m":
                    guard let value = number(maximumDigits: width) else { return nil }
                    minute = value
                case "s":
                    guard let value = number(maximumDigits: width) else { return nil }
                    second = value
                case "S":
                    let before = input.count
                    guard let value = number(maximumDigits: count) else { return nil }
                    let digits = before - input.count
                    var scaled = value
                    for _ in digits..<3 where digits < 3 { scaled *= 10 }
                    for _ in 3..<digits where digits > 3 { scaled /= 10 }
                    millisecond = scaled
                case "a":
                    let marker = input.prefix(2).uppercased()
                    guard marker == "AM" || marker == "PM" else { return nil }
                    pm = marker == "PM"
                    input = input.dropFirst(2)
                case "E":
                    let name = input.prefix { $0.isLetter }.lowercased()
                    guard dayNames.contains(where: { $0.lowercased() == name || $0.prefix(3).lowercased() == name })
                    else { return nil }
                    input = input.dropFirst(name.count)
                case "z", "V", "Z", "X", "x":
                    let name = word()
                    guard let found = JodaTime.zone(named: String(name)) else { return nil }
                    zone = found
                default:
                    return nil
                }
            }
        }
        guard input.isEmpty, (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
        else { return nil }
        if let pm, twelveHour || pm { hour = hour % 12 + (pm ? 12 : 0) }
        let local =
            days(year: year, month: month, day: day) * 86_400_000 + hour * 3_600_000 + minute * 60000 + second * 1000
            + millisecond
        guard let zone else { return local }
        // The offset at the local time, read once to find the instant and once more there.
        let guess = local - Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(local) / 1000))) * 1000
        let offset = zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(guess) / 1000))
        return local - Int64(offset) * 1000
    }
}
