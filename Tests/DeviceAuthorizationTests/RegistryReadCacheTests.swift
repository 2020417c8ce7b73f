import NIOConcurrencyHelpers
import Registry
import Testing

@testable import DeviceAuthorization

@Suite("RegistryReadCache")
struct RegistryReadCacheTests {
    static let status = RegistryReadCache.Key.certificateStatus(certificateId: "c0ffee")

    /// Counts how often the registry would have been read.
    final class Reads: Sendable {
        let count = NIOLockedValueBox(0)
        func read<Value>(_ value: Value) -> Value {
            count.withLockedValue { $0 += 1 }
            return value
        }
    }

    @Test func readsOnceUntilTheRegistryChanges() async {
        let cache = RegistryReadCache()
        let reads = Reads()
        for _ in 0..<3 {
            #expect(await cache.value(Self.status) { reads.read(CertificateStatus?.some(.active)) } == .active)
        }
        #expect(reads.count.withLockedValue { $0 } == 1)
        cache.invalidate()
        #expect(await cache.value(Self.status) { reads.read(CertificateStatus?.some(.revoked)) } == .revoked)
        #expect(reads.count.withLockedValue { $0 } == 2)
    }

    @Test func aRememberedNilIsAnAnswerAndAMissIsNot() async {
        let cache = RegistryReadCache()
        #expect(cache.cachedValue(Self.status, as: CertificateStatus?.self) == nil)  // a miss
        _ = await cache.value(Self.status) { CertificateStatus?.none }  // an unknown certificate
        let remembered = cache.cachedValue(Self.status, as: CertificateStatus?.self)
        #expect(remembered != nil)
        #expect(remembered! == nil)
        let reads = Reads()
        #expect(await cache.value(Self.status) { reads.read(CertificateStatus?.some(.active)) } == nil)
        #expect(reads.count.withLockedValue { $0 } == 0)
    }

    @Test func aValueReadWhileTheRegistryChangedIsNotKept() async {
        let cache = RegistryReadCache()
        let value = await cache.value(Self.status) { () -> CertificateStatus? in
            cache.invalidate()  // a commit while the registry was read
            return .active
        }
        #expect(value == .active)  // the caller still gets what it read
        #expect(cache.count == 0)
    }

    @Test func keysAreDistinctAndTypesChecked() async {
        let cache = RegistryReadCache()
        _ = await cache.value(.principalThings(principal: "arn:cert")) { Set(["lamp"]) }
        _ = await cache.value(.policies(principal: "arn:cert", thingName: nil)) { [String]() }
        #expect(cache.cachedValue(.principalThings(principal: "arn:cert"), as: Set<String>.self) == ["lamp"])
        #expect(cache.cachedValue(.principalThings(principal: "arn:other"), as: Set<String>.self) == nil)
        #expect(cache.cachedValue(.policies(principal: "arn:cert", thingName: "lamp"), as: [String].self) == nil)
        #expect(cache.cachedValue(.principalThings(principal: "arn:cert"), as: Int.self) == nil)
        #expect(cache.count == 2)
    }

    @Test func startsOverPastItsCapacity() async {
        let cache = RegistryReadCache(capacity: 2)
        _ = await cache.value(.thing(name: "a")) { 1 }
        _ = await cache.value(.thing(name: "b")) { 2 }
        #expect(cache.count == 2)
        _ = await cache.value(.thing(name: "c")) { 3 }
        #expect(cache.count == 1)
        #expect(cache.cachedValue(.thing(name: "c"), as: Int.self) == 3)
    }

    @Test func aReadThatFailsIsNotKept() async {
        struct Unavailable: Error {}
        let cache = RegistryReadCache()
        await #expect(throws: Unavailable.self) {
            _ = try await cache.value(Self.status) { () throws -> CertificateStatus? in throw Unavailable() }
        }
        #expect(cache.count == 0)
    }
}
