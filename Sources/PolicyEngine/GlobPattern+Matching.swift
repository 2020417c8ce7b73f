/// The bytes a pattern is matched against: two buffers read as one, so that an ARN prefix
/// and a topic name can be matched without concatenating them.
struct Subject {
    let head: UnsafeBufferPointer<UInt8>
    let tail: UnsafeBufferPointer<UInt8>

    @inline(__always)
    var count: Int { head.count &+ tail.count }

    @inline(__always)
    subscript(index: Int) -> UInt8 {
        index < head.count ? head[index] : tail[index &- head.count]
    }

    /// The length of the UTF-8 sequence that starts at `index`, clamped to the end.
    @inline(__always)
    func scalarLength(at index: Int) -> Int {
        let lead = self[index]
        let length: Int
        switch lead {
        case 0..<0xC0: length = 1  // ASCII, or a stray continuation byte
        case 0xC0..<0xE0: length = 2
        case 0xE0..<0xF0: length = 3
        default: length = 4
        }
        return Swift.min(length, count &- index)
    }

    /// Whether the subject holds `literal` at `offset` (the caller has checked the length).
    @inline(__always)
    func hasBytes(_ literal: UnsafeBufferPointer<UInt8>, at offset: Int, caseInsensitive: Bool) -> Bool {
        if caseInsensitive {
            for index in 0..<literal.count where self[offset &+ index].asciiLowercased != literal[index] {
                return false
            }
            return true
        }
        let inHead = Swift.max(0, Swift.min(literal.count, head.count &- offset))
        return bytesEqual(head, offset, literal, 0, count: inHead)
            && bytesEqual(tail, offset &+ inHead &- head.count, literal, inHead, count: literal.count &- inHead)
    }
}

/// Compares `count` bytes of two buffers from the given offsets, eight bytes at a time.
@inline(__always)
func bytesEqual(
    _ a: UnsafeBufferPointer<UInt8>,
    _ aOffset: Int,
    _ b: UnsafeBufferPointer<UInt8>,
    _ bOffset: Int,
    count: Int
) -> Bool {
    guard count > 0, let aBase = a.baseAddress, let bBase = b.baseAddress else { return count <= 0 }
    let left = UnsafeRawPointer(aBase + aOffset)
    let right = UnsafeRawPointer(bBase + bOffset)
    var index = 0
    while index &+ 8 <= count {
        if left.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            != right.loadUnaligned(fromByteOffset: index, as: UInt64.self)
        {
            return false
        }
        index &+= 8
    }
    while index < count {
        if left.load(fromByteOffset: index, as: UInt8.self) != right.load(fromByteOffset: index, as: UInt8.self) {
            return false
        }
        index &+= 1
    }
    return true
}

extension GlobPattern {
    func matches(_ subject: Subject) -> Bool {
        storage.matches(subject)
    }
}

extension GlobPattern.Storage {
    func matches(_ subject: Subject) -> Bool {
        let literalCount = literal.count
        switch shape {
        case .anything:
            return true
        case .exact:
            guard subject.count == literalCount else { return false }
        case .prefix:
            guard subject.count >= literalCount else { return false }
        case .general:
            guard subject.count >= literalCount &+ suffix.count else { return false }
        }
        let prefixMatches = literal.withUnsafeBufferPointer {
            subject.hasBytes($0, at: 0, caseInsensitive: isCaseInsensitive)
        }
        guard prefixMatches else { return false }
        guard shape == .general else { return true }
        let end = subject.count &- suffix.count
        let suffixMatches = suffix.withUnsafeBufferPointer {
            subject.hasBytes($0, at: end, caseInsensitive: isCaseInsensitive)
        }
        guard suffixMatches else { return false }
        return elements.withUnsafeBufferPointer { matchGeneral($0, subject, from: literalCount, to: end) }
    }

    /// Wildcard matching with a single backtrack point (the most recent `*`), which is
    /// enough because a later `*` can absorb anything an earlier one could. `elements`
    /// are matched against the subject bytes `start..<end` (between the literal prefix and
    /// suffix).
    private func matchGeneral(
        _ pattern: UnsafeBufferPointer<UInt16>,
        _ subject: Subject,
        from start: Int,
        to end: Int
    ) -> Bool {
        let patternCount = pattern.count
        let subjectCount = end
        var p = 0
        var s = start
        var starPattern = -1
        var starSubject = 0
        while s < subjectCount {
            if p < patternCount {
                let element = pattern[p]
                if element == GlobPattern.star {
                    starPattern = p
                    starSubject = s
                    p &+= 1
                    continue
                }
                if element == GlobPattern.question {
                    s &+= subject.scalarLength(at: s)
                    p &+= 1
                    continue
                }
                let byte = isCaseInsensitive ? subject[s].asciiLowercased : subject[s]
                if UInt16(byte) == element {
                    p &+= 1
                    s &+= 1
                    continue
                }
            }
            guard starPattern >= 0 else { return false }
            // Let the last `*` absorb one more character and retry after it.
            starSubject &+= subject.scalarLength(at: starSubject)
            s = starSubject
            p = starPattern &+ 1
        }
        while p < patternCount && pattern[p] == GlobPattern.star {
            p &+= 1
        }
        return p == patternCount
    }
}
