import MQTTProtocol
import Testing

@Suite("Topic names, filters and matching")
struct MQTTTopicTests {
    static let validNames = [
        "a", "/", "//", "/finance", "sport/tennis/player1", "$SYS/monitor/Clients", "a b", " ", "ü/中/😀", "a/b/",
        String(repeating: "a", count: 65_535),
    ]
    static let invalidNames = [
        "", "+", "#", "a/+", "a/#", "sport+", "sport/tennis#", "a\u{0}b", String(repeating: "a", count: 65_536),
        // 65,535 characters but 65,536 bytes of UTF-8.
        String(repeating: "a", count: 65_534) + "é",
    ]
    static let validFilters = [
        "#", "+", "/", "//", "+/+", "/+", "+/", "sport/#", "sport/tennis/#", "sport/tennis/player1/#", "+/tennis/#",
        "sport/+/player1", "$SYS/#", "$SYS/monitor/+", "$share/group/a/+", "a//b", "/#", "+/+/+", "ü/+/中",
        String(repeating: "a", count: 65_535),
    ]
    static let invalidFilters = [
        "", "sport+", "sport/#/x", "sport/tennis#", "#/", "#/a", "a/#b", "a/b#", "+a", "a+/b", "a/+b", "++", "##", "+#",
        "a\u{0}", String(repeating: "a", count: 65_536),
    ]

    @Test("valid topic names", arguments: validNames)
    func validName(_ topic: String) throws {
        #expect(MQTTTopic.isValidTopicName(topic))
        try MQTTTopic.validateTopicName(topic)
    }

    @Test("invalid topic names", arguments: invalidNames)
    func invalidName(_ topic: String) {
        #expect(!MQTTTopic.isValidTopicName(topic))
        do {
            try MQTTTopic.validateTopicName(topic)
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .invalidTopicName)
        }
    }

    @Test("valid topic filters", arguments: validFilters)
    func validFilter(_ filter: String) throws {
        #expect(MQTTTopic.isValidTopicFilter(filter))
        try MQTTTopic.validateTopicFilter(filter)
    }

    @Test("invalid topic filters", arguments: invalidFilters)
    func invalidFilter(_ filter: String) {
        #expect(!MQTTTopic.isValidTopicFilter(filter))
        do {
            try MQTTTopic.validateTopicFilter(filter)
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .invalidTopicFilter)
        }
    }

    struct Match: Sendable, CustomTestStringConvertible {
        var filter: String
        var topic: String
        var matches: Bool
        var testDescription: String { "\(self.filter) \(self.matches ? "matches" : "does not match") \(self.topic)" }
    }

    static let matchTable: [Match] = [
        // Section 4.7.1.2, the multi-level wildcard.
        Match(filter: "sport/tennis/player1/#", topic: "sport/tennis/player1", matches: true),
        Match(filter: "sport/tennis/player1/#", topic: "sport/tennis/player1/ranking", matches: true),
        Match(filter: "sport/tennis/player1/#", topic: "sport/tennis/player1/score/wimbledon", matches: true),
        Match(filter: "sport/#", topic: "sport", matches: true),
        Match(filter: "sport/tennis/#", topic: "sport/tennis", matches: true),
        Match(filter: "sport/tennis/#", topic: "sport/tennisx", matches: false),
        Match(filter: "sport/tennis/#", topic: "sport", matches: false),
        Match(filter: "#", topic: "sport/tennis/player1", matches: true),
        Match(filter: "#", topic: "/", matches: true),
        // Section 4.7.1.3, the single-level wildcard.
        Match(filter: "sport/tennis/+", topic: "sport/tennis/player1", matches: true),
        Match(filter: "sport/tennis/+", topic: "sport/tennis/player2", matches: true),
        Match(filter: "sport/tennis/+", topic: "sport/tennis/player1/ranking", matches: false),
        Match(filter: "sport/tennis/+", topic: "sport/tennis", matches: false),
        Match(filter: "sport/+", topic: "sport", matches: false),
        Match(filter: "sport/+", topic: "sport/", matches: true),
        Match(filter: "+/+", topic: "/finance", matches: true),
        Match(filter: "/+", topic: "/finance", matches: true),
        Match(filter: "+", topic: "/finance", matches: false),
        Match(filter: "+/tennis/#", topic: "sport/tennis/player1", matches: true),
        Match(filter: "sport/+/player1", topic: "sport//player1", matches: true),
        Match(filter: "/+", topic: "/", matches: true),
        Match(filter: "+/+", topic: "/", matches: true),
        Match(filter: "+//+", topic: "a//b", matches: true),
        Match(filter: "a/+/#", topic: "a/b", matches: true),
        Match(filter: "a/+/#", topic: "a", matches: false),
        // Section 4.7.2, topics beginning with $.
        Match(filter: "#", topic: "$SYS/monitor/Clients", matches: false),
        Match(filter: "#", topic: "$SYS", matches: false),
        Match(filter: "+/monitor/Clients", topic: "$SYS/monitor/Clients", matches: false),
        Match(filter: "+/#", topic: "$SYS/a", matches: false),
        Match(filter: "$SYS/#", topic: "$SYS/monitor/Clients", matches: true),
        Match(filter: "$SYS/#", topic: "$SYS", matches: true),
        Match(filter: "$SYS/monitor/+", topic: "$SYS/monitor/Clients", matches: true),
        Match(filter: "a/$x/+", topic: "a/$x/y", matches: true),
        Match(filter: "+/$x", topic: "a/$x", matches: true),
        // Literal levels.
        Match(filter: "a/b", topic: "a/b", matches: true),
        Match(filter: "a/b", topic: "a/bc", matches: false),
        Match(filter: "a/bc", topic: "a/b", matches: false),
        Match(filter: "a/b", topic: "a/b/", matches: false),
        Match(filter: "a/b/", topic: "a/b", matches: false),
        Match(filter: "a/b/", topic: "a/b/", matches: true),
        Match(filter: "/", topic: "/", matches: true),
        Match(filter: "//", topic: "//", matches: true),
        Match(filter: "//", topic: "/", matches: false),
        Match(filter: "A", topic: "a", matches: false),
        Match(filter: "a/#", topic: "ab", matches: false),
        Match(filter: "ü/+", topic: "ü/中", matches: true),
        Match(filter: "ü/中", topic: "ü/文", matches: false),
    ]

    @Test("matching", arguments: matchTable)
    func matching(_ match: Match) {
        #expect(MQTTTopic.matches(filter: match.filter, topic: match.topic) == match.matches)
    }

    /// The matching rules written the obvious way, over arrays of levels.
    private static func referenceMatches(filter: String, topic: String) -> Bool {
        if topic.hasPrefix("$") && (filter.hasPrefix("+") || filter.hasPrefix("#")) { return false }
        let filterLevels = filter.split(separator: "/", omittingEmptySubsequences: false)
        let topicLevels = topic.split(separator: "/", omittingEmptySubsequences: false)
        for (index, level) in filterLevels.enumerated() {
            if level == "#" { return true }
            guard index < topicLevels.count else { return false }
            if level != "+" && level != topicLevels[index] { return false }
        }
        return filterLevels.count == topicLevels.count
    }

    @Test("matching agrees with a level-array reference on random pairs")
    func matchingAgreesWithReference() {
        var random = SeededGenerator(seed: 0x70_91C)
        let pieces = ["a", "b", "$", "/", "/", "ü"]
        func text(_ random: inout SeededGenerator) -> String {
            (0..<Int.random(in: 1...6, using: &random)).map { _ in pieces.randomElement(using: &random)! }.joined()
        }
        var matched = 0
        for _ in 0..<5000 {
            let topic = text(&random)
            var filterLevels = topic.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
            // Derive the filter from the topic often, so that many pairs match.
            if Bool.random(using: &random) {
                filterLevels = text(&random).split(separator: "/", omittingEmptySubsequences: false).map(String.init)
            }
            for index in filterLevels.indices where Int.random(in: 0...3, using: &random) == 0 {
                filterLevels[index] = "+"
            }
            if Int.random(in: 0...3, using: &random) == 0 {
                filterLevels.removeLast(Int.random(in: 0...(filterLevels.count - 1), using: &random))
                filterLevels.append("#")
            }
            let filter = filterLevels.joined(separator: "/")
            guard MQTTTopic.isValidTopicFilter(filter) else {
                Issue.record("generated an invalid filter \(filter)")
                continue
            }
            let expected = Self.referenceMatches(filter: filter, topic: topic)
            if expected { matched += 1 }
            #expect(MQTTTopic.matches(filter: filter, topic: topic) == expected, "\(filter) vs \(topic)")
        }
        #expect(matched > 500)
    }
}
