extension StringProtocol {
    /// The text without leading and trailing horizontal whitespace (tab and the Unicode space
    /// separators, as Foundation's `CharacterSet.whitespaces`), without Foundation's cost: it
    /// runs on every request (SigV4 headers, numbers in query strings).
    public func trimmingHorizontalWhitespace() -> String {
        let scalars = unicodeScalars
        var start = scalars.startIndex
        var end = scalars.endIndex
        while start < end, Self.isHorizontalWhitespace(scalars[start]) { start = scalars.index(after: start) }
        while end > start {
            let last = scalars.index(before: end)
            guard Self.isHorizontalWhitespace(scalars[last]) else { break }
            end = last
        }
        return String(String.UnicodeScalarView(scalars[start..<end]))
    }

    private static func isHorizontalWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII { return scalar == " " || scalar == "\t" }
        return scalar.properties.generalCategory == .spaceSeparator
    }
}
