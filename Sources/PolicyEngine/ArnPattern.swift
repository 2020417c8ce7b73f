/// A value of the `Arn…` condition operators: the six colon-separated components
/// (`arn:partition:service:region:account:resource`) are matched separately, each with
/// `*`/`?` wildcards; the resource component may itself contain colons.
struct ArnPattern: Sendable, Hashable {
    /// Six component patterns; one whole-value pattern when the policy value has no colon
    /// (such as `*`); none when it has between two and five components, which no ARN matches.
    private let components: [GlobPattern]

    init(tokens: [GlobPattern.Token]) {
        var groups: [[GlobPattern.Token]] = [[]]
        for token in tokens {
            let (text, isLiteral): (String, Bool) =
                switch token {
                case .pattern(let text): (text, false)
                case .literal(let text): (text, true)
                }
            var piece = ""
            for character in text {
                if character == ":" && groups.count < 6 {
                    groups[groups.count - 1].append(isLiteral ? .literal(piece) : .pattern(piece))
                    groups.append([])
                    piece = ""
                } else {
                    piece.append(character)
                }
            }
            groups[groups.count - 1].append(isLiteral ? .literal(piece) : .pattern(piece))
        }
        switch groups.count {
        case 6: components = groups.map { GlobPattern(tokens: $0) }
        case 1: components = [GlobPattern(tokens: tokens)]
        default: components = []
        }
    }

    /// Whether the request value matches.
    func matches(_ value: String) -> Bool {
        if components.isEmpty { return false }
        if components.count == 1 { return components[0].matches(value) }
        return withUTF8Bytes(value) { bytes in
            var start = 0
            for componentIndex in 0..<5 {
                var end = start
                while end < bytes.count && bytes[end] != UInt8(ascii: ":") { end += 1 }
                guard end < bytes.count else { return false }  // fewer than six components
                let component = UnsafeBufferPointer(rebasing: bytes[start..<end])
                guard components[componentIndex].matches(bytes: component) else { return false }
                start = end + 1
            }
            return components[5].matches(bytes: UnsafeBufferPointer(rebasing: bytes[start...]))
        }
    }
}
