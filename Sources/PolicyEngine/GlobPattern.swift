/// A compiled wildcard pattern with AWS policy semantics: `*` matches any run of characters
/// (including none, and including `/` and `:`), `?` matches exactly one character.
///
/// Patterns are compiled once and then matched without allocating. Matching works on the
/// UTF-8 bytes of the subject; `?` consumes one whole Unicode scalar. Case-insensitive
/// patterns fold ASCII letters only, which is what action names (`iot:Publish`) need.
///
/// ```swift
/// let pattern = GlobPattern("arn:aws:iot:*:*:topic/sensors/*")
/// pattern.matches("arn:aws:iot:us-east-1:123456789012:topic/sensors/t1")  // true
/// ```
public struct GlobPattern: Sendable, Hashable, CustomStringConvertible {
    /// One piece of a pattern under construction: text whose `*` and `?` are wildcards, or
    /// literal text whose `*` and `?` match only themselves (substituted policy variables
    /// and the `${*}`, `${?}` escapes).
    public enum Token: Sendable, Hashable {
        /// Text in which `*` and `?` are wildcards.
        case pattern(String)
        /// Text matched literally, character for character.
        case literal(String)
    }

    /// The shape of a pattern, chosen at compile time so that common patterns match with a
    /// single comparison.
    enum Shape: Sendable, Hashable {
        /// Only `*`s: matches everything.
        case anything
        /// No wildcard: `literal` must equal the subject.
        case exact
        /// `literal` followed by `*`s: `literal` must be a prefix of the subject.
        case prefix
        /// Anything else: `elements` are matched with backtracking.
        case general
    }

    static let star: UInt16 = 0x100
    static let question: UInt16 = 0x101

    /// The compiled form, in one object so that copying a pattern costs one retain.
    final class Storage: Sendable {
        let shape: Shape
        /// The literal bytes before the first wildcard (all of them for `.exact`),
        /// lowercased when case-insensitive; compared a word at a time.
        let literal: [UInt8]
        /// For `.general`: bytes (0...255) and the `star`/`question` markers after
        /// `literal` and before `suffix`.
        let elements: [UInt16]
        /// For `.general`: the literal bytes after the last `*` when they hold no `?`; they
        /// must end the subject, which rejects most subjects with one comparison.
        let suffix: [UInt8]
        let isCaseInsensitive: Bool
        let description: String

        init(
            shape: Shape,
            literal: [UInt8],
            elements: [UInt16],
            suffix: [UInt8],
            isCaseInsensitive: Bool,
            description: String
        ) {
            self.shape = shape
            self.literal = literal
            self.elements = elements
            self.suffix = suffix
            self.isCaseInsensitive = isCaseInsensitive
            self.description = description
        }
    }

    let storage: Storage

    /// Whether ASCII letters match regardless of case.
    public var isCaseInsensitive: Bool { storage.isCaseInsensitive }
    /// The pattern as it was written.
    public var description: String { storage.description }

    /// Compiles `pattern`, in which `*` and `?` are wildcards.
    ///
    /// - Parameters:
    ///   - pattern: The pattern text.
    ///   - caseInsensitive: Whether ASCII letters match regardless of case (policy actions).
    public init(_ pattern: String, caseInsensitive: Bool = false) {
        self.init(tokens: [.pattern(pattern)], caseInsensitive: caseInsensitive)
    }

    /// Compiles a pattern from pieces, some of which are literal.
    ///
    /// - Parameters:
    ///   - tokens: The pieces, in order.
    ///   - caseInsensitive: Whether ASCII letters match regardless of case.
    public init(tokens: [Token], caseInsensitive: Bool = false) {
        var elements: [UInt16] = []
        var description = ""
        for token in tokens {
            switch token {
            case .pattern(let text):
                description += text
                for byte in text.utf8 {
                    switch byte {
                    case UInt8(ascii: "*"): elements.append(Self.star)
                    case UInt8(ascii: "?"): elements.append(Self.question)
                    default: elements.append(UInt16(caseInsensitive ? byte.asciiLowercased : byte))
                    }
                }
            case .literal(let text):
                description += text
                for byte in text.utf8 {
                    elements.append(UInt16(caseInsensitive ? byte.asciiLowercased : byte))
                }
            }
        }
        let shape: Shape
        let literal: [UInt8]
        let compiled: [UInt16]
        let suffix: [UInt8]

        let firstWildcard = elements.firstIndex { $0 >= Self.star }
        if let firstWildcard {
            let rest = elements[firstWildcard...]
            if rest.allSatisfy({ $0 == Self.star }) {
                literal = elements[..<firstWildcard].map { UInt8(truncatingIfNeeded: $0) }
                shape = firstWildcard == 0 ? .anything : .prefix
                compiled = []
                suffix = []
            } else {
                // Collapse runs of `*`: they match the same as one and cost backtracking.
                var collapsed: [UInt16] = []
                collapsed.reserveCapacity(rest.count)
                for element in rest where !(element == Self.star && collapsed.last == Self.star) {
                    collapsed.append(element)
                }
                let lastStar = collapsed.lastIndex(of: Self.star)
                let tail = lastStar.map { collapsed[($0 + 1)...] } ?? []
                if lastStar != nil && !tail.isEmpty && !tail.contains(Self.question) {
                    suffix = tail.map { UInt8(truncatingIfNeeded: $0) }
                    collapsed.removeLast(tail.count)
                } else {
                    suffix = []
                }
                literal = elements[..<firstWildcard].map { UInt8(truncatingIfNeeded: $0) }
                shape = .general
                compiled = collapsed
            }
        } else {
            literal = elements.map { UInt8(truncatingIfNeeded: $0) }
            shape = .exact
            compiled = []
            suffix = []
        }
        self.storage = Storage(
            shape: shape,
            literal: literal,
            elements: compiled,
            suffix: suffix,
            isCaseInsensitive: caseInsensitive,
            description: description
        )
    }

    /// Whether the pattern contains a wildcard.
    public var hasWildcards: Bool { storage.shape != .exact }

    /// Whether the pattern matches every subject (it is made only of `*`).
    public var matchesEverything: Bool { storage.shape == .anything }

    /// Whether `subject` matches the pattern.
    public func matches(_ subject: String) -> Bool {
        if storage.shape == .anything { return true }
        return withUTF8Bytes(subject) { bytes in
            matches(Subject(head: bytes, tail: UnsafeBufferPointer(start: nil, count: 0)))
        }
    }

    /// Whether the concatenation of `prefix` and `suffix` matches the pattern, without
    /// building the concatenated string (for example an ARN prefix and a topic name).
    public func matches(prefix: String, suffix: String) -> Bool {
        if storage.shape == .anything { return true }
        return withUTF8Bytes(prefix) { head in
            withUTF8Bytes(suffix) { tail in
                matches(Subject(head: head, tail: tail))
            }
        }
    }

    /// Whether the bytes match the pattern.
    func matches(bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        matches(Subject(head: bytes, tail: UnsafeBufferPointer(start: nil, count: 0)))
    }

    public static func == (lhs: GlobPattern, rhs: GlobPattern) -> Bool {
        let (a, b) = (lhs.storage, rhs.storage)
        return a === b
            || (a.shape == b.shape && a.literal == b.literal && a.elements == b.elements && a.suffix == b.suffix
                && a.isCaseInsensitive == b.isCaseInsensitive)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(storage.shape)
        hasher.combine(storage.literal)
        hasher.combine(storage.elements)
        hasher.combine(storage.suffix)
        hasher.combine(storage.isCaseInsensitive)
    }
}

/// Calls `body` with the UTF-8 bytes of `string`, without copying native strings.
@inline(__always)
func withUTF8Bytes<R>(_ string: String, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
    if let result = string.utf8.withContiguousStorageIfAvailable(body) {
        return result
    }
    var copy = string
    return copy.withUTF8(body)
}

extension UInt8 {
    /// The byte with ASCII `A`...`Z` mapped to `a`...`z`.
    @inline(__always)
    var asciiLowercased: UInt8 {
        (self &- UInt8(ascii: "A")) < 26 ? self | 0x20 : self
    }
}
