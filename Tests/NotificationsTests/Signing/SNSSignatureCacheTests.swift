import Testing

@testable import Notifications

@Suite("SNS signature cache")
struct SNSSignatureCacheTests {
    @Test("a signature is computed once per string and version, and the oldest is forgotten first")
    func caching() {
        let cache = SNSSignatureCache(capacity: 2)
        var calls: [String] = []
        func sign(_ text: String, _ version: SNSSignatureVersion = .v1) -> String {
            cache.signature(for: text, version: version) { () -> String in
                calls.append("\(text)/\(version.rawValue)")
                return "sig(\(text)/\(version.rawValue))"
            }
        }
        #expect(sign("a") == "sig(a/1)")
        #expect(sign("a") == "sig(a/1)")
        #expect(sign("a", .v2) == "sig(a/2)")
        #expect(calls == ["a/1", "a/2"])
        #expect(sign("b") == "sig(b/1)")  // evicts a/1
        #expect(sign("a", .v2) == "sig(a/2)")
        #expect(sign("a") == "sig(a/1)")
        #expect(calls == ["a/1", "a/2", "b/1", "a/1"])
    }

    @Test("a failed signing is not cached")
    func failuresAreNotCached() {
        struct Failure: Error {}
        let cache = SNSSignatureCache()
        #expect(throws: Failure.self) {
            try cache.signature(for: "x", version: .v1) { () throws(Failure) -> String in throw Failure() }
        }
        #expect(cache.signature(for: "x", version: .v1) { "ok" } == "ok")
    }
}
