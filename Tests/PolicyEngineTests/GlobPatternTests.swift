import PolicyEngine
import Testing

@Suite("GlobPattern")
struct GlobPatternTests {
    @Test(
        "case-sensitive matching",
        arguments: [
            ("*", "", true),
            ("*", "anything/at:all", true),
            ("**", "", true),
            ("", "", true),
            ("", "a", false),
            ("abc", "abc", true),
            ("abc", "abC", false),
            ("abc", "abcd", false),
            ("abc", "ab", false),
            ("a*", "a", true),
            ("a*", "abc/def", true),
            ("a*", "ba", false),
            ("*.txt", "notes.txt", true),
            ("*.txt", "notes.txt.bak", false),
            ("a*b*c", "aXXbYYc", true),
            ("a*b*c", "aXXbYY", false),
            ("a*b*c", "abc", true),
            ("a*b*c", "acb", false),
            ("a?c", "abc", true),
            ("a?c", "ac", false),
            ("a?c", "abbc", false),
            ("?", "", false),
            ("?", "é", true),
            ("??", "é", false),
            ("*?", "é", true),
            ("a?b", "aéb", true),
            ("*é*", "caféine", true),
            ("*ab", "aab", true),
            ("*ab*ab", "xabyabab", true),
            ("a*a*a*a*a*b", String(repeating: "a", count: 60), false),
            ("a*bc", "abcbc", true),
            ("a*bc", "abc", true),
            ("a*bc", "ab", false),
            ("ab*ba", "aba", false),
            ("*/commands/firmware", "things/t/commands/firmware", true),
            ("*/commands/firmware", "things/t/commands/firmwar", false),
            ("x*?", "x", false),
            ("x*?", "xé", true),
            ("topic/+/#", "topic/+/#", true),
            ("topic/+/#", "topic/x/#", false),
        ]
    )
    func matching(pattern: String, subject: String, expected: Bool) {
        #expect(GlobPattern(pattern).matches(subject) == expected)
    }

    @Test(
        "case-insensitive matching folds ASCII only",
        arguments: [
            ("iot:Publish", "IOT:PUBLISH", true),
            ("iot:pub*", "iot:Publish", true),
            ("IOT:?UBLISH", "iot:publish", true),
            ("iot:Publish", "iot:Publis", false),
            ("IOT:*publish", "iot:RetainPublish", true),
            ("IOT:*publish", "iot:RetainPublisher", false),
            ("é", "É", false),
        ]
    )
    func caseInsensitive(pattern: String, subject: String, expected: Bool) {
        #expect(GlobPattern(pattern, caseInsensitive: true).matches(subject) == expected)
    }

    @Test("literal tokens do not act as wildcards")
    func literalTokens() {
        let pattern = GlobPattern(tokens: [.pattern("client/"), .literal("*"), .pattern("-*")])
        #expect(pattern.matches("client/*-1"))
        #expect(!pattern.matches("client/x-1"))
        #expect(pattern.description == "client/*-*")
        #expect(pattern.hasWildcards)
        #expect(!GlobPattern(tokens: [.literal("a?")]).hasWildcards)
        #expect(GlobPattern(tokens: [.literal("a?")]).matches("a?"))
        #expect(!GlobPattern(tokens: [.literal("a?")]).matches("ab"))
    }

    @Test(
        "matching a prefix and suffix equals matching their concatenation",
        arguments: [
            "*", "abc*", "abc/def", "a*f", "ab?d*", "*d?f", "abcdef", "abcdefg", "?", "*c/d*", "ab*def", "*c/def",
            "a*c*/def", "*bc/*f", "*Xdef",
        ]
    )
    func twoPartSubject(pattern: String) {
        let glob = GlobPattern(pattern)
        for subject in ["abc/def", "abcdef", "abXdef", "", "abcdefg", "ab/d", "c/d"] {
            for split in 0...subject.count {
                let cut = subject.index(subject.startIndex, offsetBy: split)
                let prefix = String(subject[..<cut])
                let suffix = String(subject[cut...])
                #expect(
                    glob.matches(prefix: prefix, suffix: suffix) == glob.matches(subject),
                    "\(pattern) on \(prefix)|\(suffix)"
                )
            }
        }
    }

    @Test("patterns describe themselves and compare by content")
    func equality() {
        #expect(GlobPattern("a*") == GlobPattern("a*"))
        #expect(GlobPattern("a*") != GlobPattern("a?"))
        #expect(GlobPattern("a") != GlobPattern("a", caseInsensitive: true))
        #expect(GlobPattern("arn:*").description == "arn:*")
        #expect(GlobPattern("***").matchesEverything)
        #expect(!GlobPattern("a*").matchesEverything)
    }
}
