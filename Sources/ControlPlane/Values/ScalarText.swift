import AWSWire
import Foundation

/// Converting scalars to and from the text forms of URIs, query strings, headers and query
/// (form / XML) protocols.
enum ScalarText {
    /// Where a scalar's text came from, which decides the timestamp format.
    enum Source {
        case uri, querystring, header, queryProtocol
    }

    /// Parses `text` as a value of `shape` (a scalar shape).
    ///
    /// - Returns: nil when the text is not a value of that type.
    static func parse(_ text: String, shape: ShapeModel, source: Source, timestampFormat: String? = nil) -> AWSValue? {
        switch shape.kind {
        case .string:
            return .string(text)
        case .integer, .long:
            return Int64(text.trimmingHorizontalWhitespace()).map(AWSValue.integer)
        case .double, .float:
            return Double(text.trimmingHorizontalWhitespace()).map(AWSValue.double)
        case .boolean:
            switch text.lowercased() {
            case "true": return .boolean(true)
            case "false": return .boolean(false)
            default: return nil
            }
        case .timestamp:
            let format = timestampFormat ?? shape.timestampFormat
            let date: Date?
            switch (format, source) {
            case ("unixTimestamp", _): date = AWSTimestamp.parseEpochSeconds(text)
            case ("rfc822", _), (nil, .header):
                date = AWSTimestamp.parseHTTPDate(text) ?? AWSTimestamp.parseISO8601(text)
            default: date = AWSTimestamp.parseISO8601(text) ?? AWSTimestamp.parseEpochSeconds(text)
            }
            return date.map(AWSValue.timestamp)
        case .blob:
            return Data(base64Encoded: text).map { .blob(Array($0)) }
        case .structure, .list, .map:
            return nil
        }
    }

    /// The text form of a scalar value for headers and query XML.
    static func format(_ value: AWSValue, shape: ShapeModel, source: Source, timestampFormat: String? = nil) -> String {
        switch value {
        case .string(let string): return string
        case .integer(let number): return String(number)
        case .double(let number): return formatDouble(number)
        case .boolean(let flag): return flag ? "true" : "false"
        case .timestamp(let date):
            switch (timestampFormat ?? shape.timestampFormat, source) {
            case ("unixTimestamp", _): return AWSTimestamp.epochSeconds(date)
            case ("iso8601", _): return AWSTimestamp.iso8601(date)
            case (_, .header): return AWSTimestamp.httpDate(date)
            default: return AWSTimestamp.iso8601(date)
            }
        case .blob(let bytes): return Data(bytes).base64EncodedString()
        case .list(let elements):
            return elements.map { format($0, shape: shape, source: source, timestampFormat: timestampFormat) }
                .joined(separator: ",")
        case .map: return ""
        }
    }

    /// A double as JSON and XML write it (`1.5`, `100.0`, `1e-05`); non-finite values as AWS
    /// spells them.
    static func formatDouble(_ number: Double) -> String {
        if number.isNaN { return "NaN" }
        if number.isInfinite { return number < 0 ? "-Infinity" : "Infinity" }
        return String(number)
    }
}
