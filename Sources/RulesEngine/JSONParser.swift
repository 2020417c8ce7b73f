/// Parses a JSON document (RFC 8259) straight into ``SQLValue``, in one pass over the bytes.
///
/// Integral numbers that fit `Int64` become ``SQLValue/int(_:)``; others become
/// ``SQLValue/decimal(_:)``. With `wholeNumbersAsInt` (SQL 2016-03-23), a number written
/// with a fraction or exponent whose value is whole (`10.0`, `1e3`) is an `Int` too, as
/// AWS IoT documents. Anything that is not one well-formed JSON value, including invalid
/// UTF-8 and numbers beyond the range of `Double`, is rejected.
struct JSONParser {
    /// Deeper documents are rejected rather than risk the stack.
    static let maximumDepth = 512

    private let bytes: UnsafeRawBufferPointer
    private let wholeNumbersAsInt: Bool
    private var position = 0
    private var depth = 0

    private init(bytes: UnsafeRawBufferPointer, wholeNumbersAsInt: Bool) {
        self.bytes = bytes
        self.wholeNumbersAsInt = wholeNumbersAsInt
    }

    /// The value of the JSON document in `bytes`, or `nil` when it is not JSON.
    static func parse(_ bytes: UnsafeRawBufferPointer, wholeNumbersAsInt: Bool) -> SQLValue? {
        var parser = JSONParser(bytes: bytes, wholeNumbersAsInt: wholeNumbersAsInt)
        parser.skipWhitespace()
        guard let value = parser.parseValue() else { return nil }
        parser.skipWhitespace()
        // Not `? value : nil`: SQLValue is ExpressibleByNilLiteral, so that nil is JSON null.
        guard parser.position == bytes.count else { return nil }
        return value
    }

    private mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x09, 0x0A, 0x0D: position += 1
            default: return
            }
        }
    }

    private mutating func parseValue() -> SQLValue? {
        guard position < bytes.count else { return nil }
        switch bytes[position] {
        case UInt8(ascii: "{"): return parseObject()
        case UInt8(ascii: "["): return parseArray()
        case UInt8(ascii: "\""): return parseString().map(SQLValue.string)
        case UInt8(ascii: "t"): return parseKeyword("true", .bool(true))
        case UInt8(ascii: "f"): return parseKeyword("false", .bool(false))
        case UInt8(ascii: "n"): return parseKeyword("null", .null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return parseNumber()
        default: return nil
        }
    }

    private mutating func parseKeyword(_ word: StaticString, _ value: SQLValue) -> SQLValue? {
        let count = word.utf8CodeUnitCount
        guard bytes.count - position >= count else { return nil }
        let start = word.utf8Start
        for offset in 0..<count where bytes[position + offset] != start[offset] { return nil }
        position += count
        return value
    }

    private mutating func parseObject() -> SQLValue? {
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maximumDepth else { return nil }
        position += 1  // {
        var object = SQLObject()
        skipWhitespace()
        if position < bytes.count && bytes[position] == UInt8(ascii: "}") {
            position += 1
            return .object(object)
        }
        while true {
            skipWhitespace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: "\""), let key = parseString() else {
                return nil
            }
            skipWhitespace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else { return nil }
            position += 1
            skipWhitespace()
            guard let value = parseValue() else { return nil }
            // A repeated key keeps its first position and takes the last value.
            object[key] = value
            skipWhitespace()
            guard position < bytes.count else { return nil }
            let byte = bytes[position]
            position += 1
            if byte == UInt8(ascii: "}") { return .object(object) }
            guard byte == UInt8(ascii: ",") else { return nil }
        }
    }

    private mutating func parseArray() -> SQLValue? {
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maximumDepth else { return nil }
        position += 1  // [
        var array: [SQLValue] = []
        skipWhitespace()
        if position < bytes.count && bytes[position] == UInt8(ascii: "]") {
            position += 1
            return .array(array)
        }
        while true {
            skipWhitespace()
            guard let value = parseValue() else { return nil }
            array.append(value)
            skipWhitespace()
            guard position < bytes.count else { return nil }
            let byte = bytes[position]
            position += 1
            if byte == UInt8(ascii: "]") { return .array(array) }
            guard byte == UInt8(ascii: ",") else { return nil }
        }
    }

    /// Parses a string at the opening quote.
    private mutating func parseString() -> String? {
        position += 1  // "
        let start = position
        var ascii = true
        // Fast path: no escapes, so the bytes between the quotes are the string.
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                let slice = UnsafeRawBufferPointer(rebasing: bytes[start..<position])
                position += 1
                return ascii ? JSONParser.asciiString(slice) : String(validating: Array(slice), as: UTF8.self)
            }
            if byte == UInt8(ascii: "\\") { break }
            if byte < 0x20 { return nil }
            if byte >= 0x80 { ascii = false }
            position += 1
        }
        guard position < bytes.count else { return nil }
        var buffer = Array(UnsafeRawBufferPointer(rebasing: bytes[start..<position]))
        while position < bytes.count {
            let byte = bytes[position]
            position += 1
            switch byte {
            case UInt8(ascii: "\""):
                return String(validating: buffer, as: UTF8.self)
            case UInt8(ascii: "\\"):
                guard position < bytes.count else { return nil }
                let escape = bytes[position]
                position += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): buffer.append(escape)
                case UInt8(ascii: "b"): buffer.append(0x08)
                case UInt8(ascii: "f"): buffer.append(0x0C)
                case UInt8(ascii: "n"): buffer.append(0x0A)
                case UInt8(ascii: "r"): buffer.append(0x0D)
                case UInt8(ascii: "t"): buffer.append(0x09)
                case UInt8(ascii: "u"):
                    guard let scalar = parseUnicodeEscape() else { return nil }
                    buffer.append(contentsOf: String(Character(scalar)).utf8)
                default: return nil
                }
            case 0..<0x20:
                return nil
            default:
                buffer.append(byte)
            }
        }
        return nil
    }

    /// A string of bytes known to be ASCII, so valid UTF-8: copied without validation.
    private static func asciiString(_ bytes: UnsafeRawBufferPointer) -> String {
        String(unsafeUninitializedCapacity: bytes.count) { buffer in
            _ = buffer.initialize(from: bytes)
            return bytes.count
        }
    }

    /// Parses the `XXXX` of `\uXXXX` (and a following low surrogate escape).
    private mutating func parseUnicodeEscape() -> Unicode.Scalar? {
        guard let high = parseHex4() else { return nil }
        if (0xD800..<0xDC00).contains(high) {
            guard bytes.count - position >= 6, bytes[position] == UInt8(ascii: "\\"),
                bytes[position + 1] == UInt8(ascii: "u")
            else { return nil }
            position += 2
            guard let low = parseHex4(), (0xDC00..<0xE000).contains(low) else { return nil }
            return Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
        }
        return Unicode.Scalar(high)
    }

    private mutating func parseHex4() -> UInt32? {
        guard bytes.count - position >= 4 else { return nil }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[position]
            position += 1
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: return nil
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    private mutating func parseNumber() -> SQLValue? {
        let start = position
        var negative = false
        if bytes[position] == UInt8(ascii: "-") {
            negative = true
            position += 1
        }
        guard position < bytes.count, isDigit(bytes[position]) else { return nil }
        // The integer part, accumulated as a negative number so that Int64.min fits.
        var accumulator: Int64 = 0
        var overflow = false
        if bytes[position] == UInt8(ascii: "0") {
            position += 1
        } else {
            while position < bytes.count, isDigit(bytes[position]) {
                let digit = Int64(bytes[position] - UInt8(ascii: "0"))
                if !overflow {
                    let (times10, o1) = accumulator.multipliedReportingOverflow(by: 10)
                    let (next, o2) = times10.subtractingReportingOverflow(digit)
                    if o1 || o2 { overflow = true } else { accumulator = next }
                }
                position += 1
            }
        }
        var integral = true
        if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
            integral = false
            position += 1
            guard position < bytes.count, isDigit(bytes[position]) else { return nil }
            while position < bytes.count, isDigit(bytes[position]) { position += 1 }
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: "e") || bytes[position] == UInt8(ascii: "E") {
            integral = false
            position += 1
            if position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") {
                position += 1
            }
            guard position < bytes.count, isDigit(bytes[position]) else { return nil }
            while position < bytes.count, isDigit(bytes[position]) { position += 1 }
        }
        if integral && !overflow {
            if negative { return .int(accumulator) }
            if accumulator != Int64.min { return .int(-accumulator) }
        }
        let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
        guard let double = Double(text), double.isFinite else { return nil }
        return wholeNumbersAsInt ? SQLValue.number(double) : .decimal(double)
    }

    @inline(__always)
    private func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }
}
