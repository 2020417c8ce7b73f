extension JSONValue {
    /// The nesting of arrays and objects accepted when the caller does not say.
    public static let defaultMaximumDepth = 64

    /// Parses UTF-8 `bytes` that must hold exactly one JSON value (RFC 8259), with
    /// whitespace around it allowed.
    ///
    /// The parser is strict: no comments, trailing commas, single quotes, leading zeros,
    /// `NaN` or byte order mark; text must be valid UTF-8 and `\u` escapes must not leave a
    /// surrogate unpaired.
    ///
    /// - Parameters:
    ///   - bytes: The UTF-8 text.
    ///   - maximumDepth: How deeply arrays and objects may nest; `[[1]]` has depth 2.
    ///   - allowsDuplicateKeys: Whether an object may name the same member twice. When
    ///     allowed, every member is kept in order and the key subscript finds the
    ///     last one.
    /// - Throws: ``JSONParseError`` for the first problem found.
    public static func parse(
        _ bytes: [UInt8],
        maximumDepth: Int = defaultMaximumDepth,
        allowsDuplicateKeys: Bool = true
    ) throws(JSONParseError) -> JSONValue {
        var parser = JSONParser(bytes: bytes, maximumDepth: maximumDepth, allowsDuplicateKeys: allowsDuplicateKeys)
        return try parser.parseDocument()
    }

    /// Parses UTF-8 `bytes` that must hold exactly one JSON value; as the
    /// `[UInt8]` overload does.
    public static func parse(
        _ bytes: some Collection<UInt8>,
        maximumDepth: Int = defaultMaximumDepth,
        allowsDuplicateKeys: Bool = true
    ) throws(JSONParseError) -> JSONValue {
        try parse(Array(bytes), maximumDepth: maximumDepth, allowsDuplicateKeys: allowsDuplicateKeys)
    }

    /// Parses `text` that must hold exactly one JSON value; offsets in errors count UTF-8
    /// bytes. Otherwise as the `[UInt8]` overload.
    public static func parse(
        _ text: String,
        maximumDepth: Int = defaultMaximumDepth,
        allowsDuplicateKeys: Bool = true
    ) throws(JSONParseError) -> JSONValue {
        try parse(Array(text.utf8), maximumDepth: maximumDepth, allowsDuplicateKeys: allowsDuplicateKeys)
    }
}
