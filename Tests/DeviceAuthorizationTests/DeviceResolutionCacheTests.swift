import Registry
import Testing

@testable import DeviceAuthorization

@Suite("DeviceResolutionCache")
struct DeviceResolutionCacheTests {
    static func key(_ clientId: String, ip: String? = "127.0.0.1") -> DeviceResolutionCache.Key {
        .init(certificateId: "c0ffee", clientId: clientId, sourceIp: ip)
    }

    static let refused = DeviceResolutionCache.Entry(status: .inactive, resolution: nil)

    @Test func keepsAnAnswerReadAtTheCurrentGeneration() {
        let cache = DeviceResolutionCache()
        let (missing, generation) = cache.lookup(Self.key("a"))
        #expect(missing == nil)
        cache.store(Self.refused, for: Self.key("a"), readAt: generation)
        #expect(cache.lookup(Self.key("a")).entry?.status == .inactive)
        #expect(cache.lookup(Self.key("b")).entry == nil)
        #expect(cache.lookup(Self.key("a", ip: "10.0.0.1")).entry == nil)
    }

    @Test func dropsAnAnswerReadBeforeAChange() {
        let cache = DeviceResolutionCache()
        let generation = cache.lookup(Self.key("a")).generation
        cache.invalidate()  // a commit while the registry was read
        cache.store(Self.refused, for: Self.key("a"), readAt: generation)
        #expect(cache.lookup(Self.key("a")).entry == nil)
        #expect(cache.count == 0)
    }

    @Test func forgetsEverythingAtAChange() {
        let cache = DeviceResolutionCache()
        let generation = cache.lookup(Self.key("a")).generation
        cache.store(Self.refused, for: Self.key("a"), readAt: generation)
        cache.store(Self.refused, for: Self.key("b"), readAt: generation)
        #expect(cache.count == 2)
        cache.invalidate()
        #expect(cache.count == 0)
        #expect(cache.lookup(Self.key("a")).generation != generation)
    }

    @Test func startsOverPastItsCapacity() {
        let cache = DeviceResolutionCache(capacity: 2)
        let generation = cache.lookup(Self.key("a")).generation
        cache.store(Self.refused, for: Self.key("a"), readAt: generation)
        cache.store(Self.refused, for: Self.key("b"), readAt: generation)
        cache.store(Self.refused, for: Self.key("b"), readAt: generation)  // replacing is not growing
        #expect(cache.count == 2)
        cache.store(Self.refused, for: Self.key("c"), readAt: generation)
        #expect(cache.count == 1)
        #expect(cache.lookup(Self.key("c")).entry != nil)
    }
}
