import AWSWire
import Foundation

/// The built-in functions, as the "Functions" page of the AWS IoT SQL reference describes
/// them: arguments go through the standard conversions, and what cannot be converted makes
/// the result `Undefined`.
extension SQLEvaluator {
    func evaluateCall(_ call: SQLFunctionCall, in document: SQLValue) -> SQLValue {
        let arguments = call.arguments
        guard call.function.arity.contains(arguments.count) else { return .undefined }
        func argument(_ index: Int) -> SQLValue { evaluate(arguments[index], in: document) }

        switch call.function {
        // MARK: Numbers
        case .abs:
            switch argument(0) {
            case .int(let value): return value == .min ? semantics.decimal(-Double(value)) : .int(Swift.abs(value))
            case let value: return value.decimalValue.map { semantics.decimal(Swift.abs($0)) } ?? .undefined
            }
        case .acos: return math(argument(0), Foundation.acos)
        case .asin: return math(argument(0), Foundation.asin)
        case .atan: return math(argument(0), Foundation.atan)
        case .atan2:
            guard let y = argument(0).decimalValue, let x = argument(1).decimalValue else { return .undefined }
            return semantics.decimal(Foundation.atan2(y, x))
        case .cos: return math(argument(0), Foundation.cos)
        case .cosh: return math(argument(0), Foundation.cosh)
        case .exp: return math(argument(0), Foundation.exp)
        case .ln: return math(argument(0), Foundation.log)
        case .log: return math(argument(0), Foundation.log10)
        case .sin: return math(argument(0), Foundation.sin)
        case .sinh: return math(argument(0), Foundation.sinh)
        case .sqrt: return math(argument(0), Foundation.sqrt)
        case .tan: return math(argument(0), Foundation.tan)
        case .tanh: return math(argument(0), Foundation.tanh)
        case .power:
            guard let base = argument(0).decimalValue, let exponent = argument(1).decimalValue else {
                return .undefined
            }
            return semantics.decimal(Foundation.pow(base, exponent))
        case .ceil: return rounded(argument(0), .up)
        case .floor: return rounded(argument(0), .down)
        case .round: return rounded(argument(0), .toNearestOrAwayFromZero)
        case .sign:
            switch argument(0).number {
            case .int(let value)?: return .int(value.signum())
            case .decimal(let value)?: return .int(value > 0 ? 1 : value < 0 ? -1 : 0)
            case nil: return .undefined
            }
        case .mod, .remainder:
            return semantics.remainder(argument(0), argument(1))
        case .trunc:
            return truncate(argument(0), places: argument(1))
        case .nanvl:
            let value = argument(0)
            switch value {
            case .undefined, .null: return argument(1)
            case .decimal(let number) where number.isNaN: return argument(1)
            default: return value
            }
        case .bitand: return bitwise(argument(0), argument(1), &)
        case .bitor: return bitwise(argument(0), argument(1), |)
        case .bitxor: return bitwise(argument(0), argument(1), ^)
        case .bitnot:
            guard let value = argument(0).flooredIntValue else { return .undefined }
            return .int(~value)
        case .rand:
            return semantics.decimal(Double.random(in: 0..<1))

        // MARK: Strings
        case .chr:
            guard let code = argument(0).flooredIntValue, (0...127).contains(code) else { return .undefined }
            return .string(String(Character(Unicode.Scalar(UInt8(code)))))
        case .concat:
            return concat(arguments.map { evaluate($0, in: document) })
        case .endswith:
            guard let text = argument(0).stringValue, let suffix = argument(1).stringValue else { return .undefined }
            return .bool(
                text.utf8.count >= suffix.utf8.count && text.utf8.suffix(suffix.utf8.count).elementsEqual(suffix.utf8))
        case .startswith:
            guard let text = argument(0).stringValue, let prefix = argument(1).stringValue else { return .undefined }
            return .bool(text.utf8.starts(with: prefix.utf8))
        case .indexof:
            guard let text = argument(0).stringValue, let part = argument(1).stringValue else { return .undefined }
            return .int(Int64(SQLEvaluator.utf16Index(of: part, in: text)))
        case .length:
            guard let text = argument(0).stringValue else { return .undefined }
            return .int(Int64(text.utf16.count))
        case .numbytes:
            guard let text = argument(0).stringValue else { return .undefined }
            return .int(Int64(text.utf8.count))
        case .lower:
            return argument(0).stringValue.map { .string($0.lowercased()) } ?? .undefined
        case .upper:
            return argument(0).stringValue.map { .string($0.uppercased()) } ?? .undefined
        case .lpad, .rpad:
            guard let text = argument(0).stringValue, let count = argument(1).flooredIntValue else {
                return .undefined
            }
            let padding = String(repeating: " ", count: Int(min(max(count, 0), 1000)))
            return .string(call.function == .lpad ? padding + text : text + padding)
        case .ltrim:
            return argument(0).stringValue.map { .string(SQLEvaluator.trimmed($0, leading: true, trailing: false)) }
                ?? .undefined
        case .rtrim:
            return argument(0).stringValue.map { .string(SQLEvaluator.trimmed($0, leading: false, trailing: true)) }
                ?? .undefined
        case .trim:
            return argument(0).stringValue.map { .string(SQLEvaluator.trimmed($0, leading: true, trailing: true)) }
                ?? .undefined
        case .replace:
            guard let text = argument(0).stringValue, let target = argument(1).stringValue,
                let replacement = argument(2).stringValue
            else { return .undefined }
            return .string(target.isEmpty ? text : text.replacing(target, with: replacement))
        case .substring:
            return substring(arguments.map { evaluate($0, in: document) })
        case .get:
            return get(argument(0), argument(1))
        case .regexp_matches, .regexp_replace, .regexp_substr:
            return regularExpression(call, argument)

        // MARK: Encoding and hashing
        case .encode:
            guard argument(1).stringValue?.lowercased() == "base64" else { return .undefined }
            if call.encodesRawPayload { return .string(Base64.encode(rawPayload)) }
            guard let text = argument(0).stringValue else { return .undefined }
            return .string(Base64.encode(text.utf8))
        case .decode:
            guard argument(1).stringValue?.lowercased() == "base64", let text = argument(0).stringValue else {
                return .undefined
            }
            guard let bytes = Base64.decode(text, requiringPadding: false) else { return .null }
            let decoded = bytes.withUnsafeBytes { SQLValue.parseJSON($0, wholeNumbersAsInt: version.isV2) }
            return decoded ?? .string(String(decoding: bytes, as: UTF8.self))
        case .md5, .sha1, .sha224, .sha256, .sha384, .sha512:
            guard let text = argument(0).stringValue else { return .undefined }
            return .string(Digest.hex(call.function, of: Array(text.utf8)))

        // MARK: Types
        case .isnull:
            if case .null = argument(0) { return .bool(true) }
            return .bool(false)
        case .isundefined:
            return .bool(argument(0).isUndefined)
        case .transform:
            return transform(argument(0), argument(1), argument(2))

        // MARK: Context
        case .accountid: return .string(context.accountID)
        case .clientid: return .string(context.clientID ?? "n/a")
        case .principal: return context.principal.map(SQLValue.string) ?? .undefined
        case .traceid: return context.traceID.map(SQLValue.string) ?? .undefined
        case .timestamp: return .int(context.timestamp)
        case .sql_version: return .string(version.rawValue)
        case .newuuid: return .string(UUID().uuidString.lowercased())
        case .topic:
            guard arguments.count == 1 else { return .string(context.topic) }
            guard let level = argument(0).intValue, level >= 1 else { return .undefined }
            return SQLEvaluator.topicLevel(Int(clamping: level), of: context.topic).map(SQLValue.string) ?? .undefined

        // MARK: Time
        case .parse_time:
            guard let pattern = argument(0).stringValue, let milliseconds = argument(1).flooredIntValue else {
                return .undefined
            }
            var zone = "UTC"
            if arguments.count == 3 {
                guard let name = argument(2).stringValue else { return .undefined }
                zone = name
            }
            return JodaTime.format(milliseconds: milliseconds, pattern: pattern, zone: zone).map(SQLValue.string)
                ?? .undefined
        case .time_to_epoch:
            guard let text = argument(0).stringValue, let pattern = argument(1).stringValue,
                let milliseconds = JodaTime.parse(text, pattern: pattern)
            else { return .undefined }
            return .int(milliseconds)
        }
    }

    // MARK: Helpers

    /// A function of a `Decimal` computed in double precision.
    private func math(_ value: SQLValue, _ function: (Double) -> Double) -> SQLValue {
        guard let number = value.decimalValue else { return .undefined }
        return semantics.decimal(function(number))
    }

    /// `ceil`, `floor`, `round`: an `Int` stays; a `Decimal` or numeric string is rounded.
    private func rounded(_ value: SQLValue, _ rule: FloatingPointRoundingRule) -> SQLValue {
        switch value.number {
        case .int(let number)?: return .int(number)
        case .decimal(let number)?: return semantics.integral(number.rounded(rule))
        case nil: return .undefined
        }
    }

    private func bitwise(_ left: SQLValue, _ right: SQLValue, _ operation: (Int64, Int64) -> Int64) -> SQLValue {
        guard let l = left.flooredIntValue, let r = right.flooredIntValue else { return .undefined }
        return .int(operation(l, r))
    }

    /// `trunc(x, n)`: `x` truncated to `n` decimal places (0 to 34), toward zero.
    private func truncate(_ value: SQLValue, places: SQLValue) -> SQLValue {
        guard let count = places.flooredIntValue else { return .undefined }
        switch value.number {
        case .int(let number)?:
            return .int(number)
        case .decimal(let number)?:
            return semantics.decimal(SQLEvaluator.truncate(number, places: Int(min(max(count, 0), 34))))
        case nil:
            return .undefined
        }
    }

    /// Truncates the shortest decimal text of `value`, so that `trunc(0.29, 2)` is `0.29`
    /// and not the `0.28` that scaling the binary value would give.
    static func truncate(_ value: Double, places: Int) -> Double {
        guard value.isFinite, value != 0 else { return value }
        // `value.description` is `[-]I.F` or `[-]I.Fe±X`: digits `IF` with the point after
        // `I.count + X` of them.
        var text = Substring(value.description)
        let negative = text.hasPrefix("-")
        if negative { text = text.dropFirst() }
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            exponent = Int(text[text.index(after: e)...]) ?? 0
            text = text[..<e]
        }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        let digits = parts[0] + (parts.count > 1 ? parts[1] : "")
        let point = parts[0].count + exponent
        let kept = point + places
        if kept >= digits.count { return value }
        if kept <= 0 { return 0 }
        return Double("\(negative ? "-" : "")\(digits.prefix(kept))e\(point - kept)") ?? value
    }

    /// `concat`: arrays are joined, with other arguments as elements; otherwise, if any
    /// argument is a string, the string forms are joined.
    private func concat(_ values: [SQLValue]) -> SQLValue {
        switch values.count {
        case 0:
            return .undefined
        case 1:
            if case .array = values[0] { return values[0] }
            return values[0].stringValue.map(SQLValue.string) ?? .undefined
        default:
            if values.contains(where: { if case .array = $0 { true } else { false } }) {
                var elements: [SQLValue] = []
                for value in values {
                    switch value {
                    case .array(let inner): elements.append(contentsOf: inner)
                    case .undefined: return .undefined
                    default: elements.append(value)
                    }
                }
                return .array(elements)
            }
            guard values.contains(where: { if case .string = $0 { true } else { false } }) else { return .undefined }
            var text = ""
            for value in values {
                guard let part = value.stringValue else { return .undefined }
                text += part
            }
            return .string(text)
        }
    }

    /// `substring(s, start[, end])` over UTF-16 code units, as Java counts them.
    private func substring(_ values: [SQLValue]) -> SQLValue {
        guard let text = values[0].stringValue, let start = values[1].flooredIntValue else { return .undefined }
        let units = Array(text.utf16)
        let length = Int64(units.count)
        let from = Int(min(max(start, 0), length))
        var to = units.count
        if values.count == 3 {
            guard let end = values[2].flooredIntValue else { return .undefined }
            to = Int(min(max(end, 0), length))
            if from >= to { return .string("") }
        }
        return .string(String(decoding: units[from..<to], as: UTF16.self))
    }

    /// `get(collection, key)`: an array element or a character by 0-based index, or an
    /// object member by string key.
    private func get(_ collection: SQLValue, _ key: SQLValue) -> SQLValue {
        switch collection {
        case .array(let elements):
            guard let index = key.intValue, index >= 0, index < elements.count else { return .undefined }
            return elements[Int(index)]
        case .string(let text):
            let units = Array(text.utf16)
            guard let index = key.intValue, index >= 0, index < units.count else { return .undefined }
            return .string(String(decoding: [units[Int(index)]], as: UTF16.self))
        case .object(let object):
            guard case .string(let name) = key else { return .undefined }
            return object[name]
        default:
            return .undefined
        }
    }

    private func regularExpression(_ call: SQLFunctionCall, _ argument: (Int) -> SQLValue) -> SQLValue {
        guard let text = argument(0).stringValue else { return .undefined }
        let regex: SQLRegex
        if let compiled = call.literalPattern {
            guard let literal = compiled.regex else { return .undefined }
            regex = literal
        } else {
            guard let pattern = argument(1).stringValue, let dynamic = SQLRegex(pattern) else { return .undefined }
            regex = dynamic
        }
        switch call.function {
        case .regexp_matches:
            return .bool(regex.matches(text))
        case .regexp_replace:
            guard let template = argument(2).stringValue else { return .undefined }
            return .string(regex.replacingMatches(in: text, with: template))
        default:
            return regex.firstMatch(text).map(SQLValue.string) ?? .undefined
        }
    }

    /// `transform('enrichArray', object, array)`: each object of the array with the
    /// members of `object` added (replacing members of the same key).
    private func transform(_ mode: SQLValue, _ attributes: SQLValue, _ collection: SQLValue) -> SQLValue {
        guard case .string("enrichArray") = mode, case .object(let extra) = attributes,
            case .array(let elements) = collection
        else { return .undefined }
        var results: [SQLValue] = []
        results.reserveCapacity(elements.count)
        for element in elements {
            guard case .object(var object) = element else { continue }
            for member in extra.members { object[member.key] = member.value }
            results.append(.object(object))
        }
        return .array(results)
    }

    static func trimmed(_ text: String, leading: Bool, trailing: Bool) -> String {
        let utf8 = text.utf8
        var start = utf8.startIndex
        var end = utf8.endIndex
        func isSpace(_ byte: UInt8) -> Bool { byte <= 0x20 }
        if leading {
            while start < end, isSpace(utf8[start]) { utf8.formIndex(after: &start) }
        }
        if trailing {
            while end > start, isSpace(utf8[utf8.index(before: end)]) { utf8.formIndex(before: &end) }
        }
        return String(text[start..<end])
    }

    static func utf16Index(of part: String, in text: String) -> Int {
        let haystack = Array(text.utf16)
        let needle = Array(part.utf16)
        if needle.isEmpty { return 0 }
        guard needle.count <= haystack.count else { return -1 }
        outer: for start in 0...(haystack.count - needle.count) {
            for offset in needle.indices where haystack[start + offset] != needle[offset] { continue outer }
            return start
        }
        return -1
    }

    /// The `level`-th (from 1) level of `topic`.
    static func topicLevel(_ level: Int, of topic: String) -> String? {
        let utf8 = topic.utf8
        var current = 1
        var start = utf8.startIndex
        while true {
            let end = utf8[start...].firstIndex(of: UInt8(ascii: "/")) ?? utf8.endIndex
            if current == level { return String(topic[start..<end]) }
            guard end != utf8.endIndex else { return nil }
            start = utf8.index(after: end)
            current += 1
        }
    }
}
