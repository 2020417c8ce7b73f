import AWSWire

/// A rest-json request URI template such as `/things/{thingName}` or `/destinations/{arn+}`,
/// matched against raw (percent-encoded) request paths.
///
/// Each `/`-separated segment of the template is a literal, a label (`{name}`: one segment,
/// percent-decoded, so `%2F` in a label is a `/`) or a greedy label (`{name+}`: the rest of
/// the path, one or more segments, each decoded, joined by `/`). A literal query part
/// (`/x?y`) is kept as required query parameter names.
public struct RequestURITemplate: Sendable, Hashable, CustomStringConvertible {
    /// One segment of a template.
    public enum Segment: Sendable, Hashable {
        /// Text that must match exactly.
        case literal(String)
        /// `{name}`: one path segment.
        case label(String)
        /// `{name+}`: one or more path segments.
        case greedyLabel(String)
    }

    /// The template text.
    public let template: String
    /// The path segments.
    public let segments: [Segment]
    /// Query parameter names the template requires (`/x?name`).
    public let requiredQuery: [String]

    /// Parses a template.
    public init(_ template: String) {
        self.template = template
        let parts = template.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        let path = parts[0]
        requiredQuery =
            parts.count > 1
            ? parts[1].split(separator: "&").map { String($0.split(separator: "=", maxSplits: 1)[0]) } : []
        segments = path.split(separator: "/", omittingEmptySubsequences: true).map { segment in
            if segment.hasPrefix("{") && segment.hasSuffix("+}") {
                return .greedyLabel(String(segment.dropFirst().dropLast(2)))
            }
            if segment.hasPrefix("{") && segment.hasSuffix("}") {
                return .label(String(segment.dropFirst().dropLast()))
            }
            return .literal(String(segment))
        }
    }

    public var description: String { template }

    /// Orders templates so that the most specific is tried first: more literal segments,
    /// then fewer greedy labels, then more segments.
    var specificity: (literals: Int, greedy: Int, count: Int) {
        var literals = 0
        var greedy = 0
        for segment in segments {
            switch segment {
            case .literal: literals += 1
            case .greedyLabel: greedy += 1
            case .label: break
            }
        }
        return (literals, greedy, segments.count)
    }

    /// Matches the raw path segments of a request.
    ///
    /// - Parameter rawSegments: The request path split on `/`, empty segments removed, still
    ///   percent-encoded.
    /// - Returns: The decoded label values by name, or nil when the path does not match.
    public func match(_ rawSegments: [Substring]) -> [String: String]? {
        var labels: [String: String] = [:]
        var index = 0
        for (position, segment) in segments.enumerated() {
            switch segment {
            case .literal(let text):
                guard index < rawSegments.count, rawSegments[index] == text else { return nil }
                index += 1
            case .label(let name):
                guard index < rawSegments.count else { return nil }
                labels[name] = AWSPercentEncoding.decode(rawSegments[index])
                index += 1
            case .greedyLabel(let name):
                let remainingLiterals = segments.count - position - 1
                let end = rawSegments.count - remainingLiterals
                guard end > index else { return nil }
                labels[name] = rawSegments[index..<end].map { AWSPercentEncoding.decode($0) }.joined(separator: "/")
                index = end
            }
        }
        return index == rawSegments.count ? labels : nil
    }
}
