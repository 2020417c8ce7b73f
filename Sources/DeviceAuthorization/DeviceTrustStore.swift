import CertificateAuthority
import Foundation
import NIOConcurrencyHelpers
import Registry
import X509

/// The CAs device certificates may chain to: Thingport's root and the registered CA
/// certificates whose status is `ACTIVE`, with a cache of chains already verified.
///
/// A chain is verified once (signatures, names, validity, CA constraints) and remembered by
/// its leaf's certificate id until the set of trusted CAs changes; later connections of the
/// same device only check that every certificate of the chain is still within its validity.
final class DeviceTrustStore: Sendable {
    /// A verified device chain.
    struct Verified: Sendable {
        /// The device certificate.
        let leaf: X509.Certificate
        /// Its certificate id.
        let certificateId: String
        /// The id of the trusted CA the chain ends at.
        let trustAnchorId: String
    }

    private struct CacheEntry: Sendable {
        let verified: Verified
        let notBefore: Date
        let notAfter: Date
        let generation: UInt64
    }

    private struct State: Sendable {
        var verifier: DeviceCertificateVerifier
        var trustedIds: Set<String>
        var generation: UInt64 = 0
        var cache: [String: CacheEntry] = [:]
    }

    /// Thingport's root certificates, always trusted.
    let roots: [X509.Certificate]
    let cacheCapacity: Int
    private let state: NIOLockedValueBox<State>

    init(roots: [X509.Certificate], cacheCapacity: Int = 10_000) {
        self.roots = roots
        self.cacheCapacity = cacheCapacity
        self.state = NIOLockedValueBox(
            State(
                verifier: DeviceCertificateVerifier(trustedCertificates: roots),
                trustedIds: Set(roots.map { CertificateID.make(for: $0) })
            ))
    }

    /// Trusts the roots and exactly the registry's ACTIVE CA certificates; forgets verified
    /// chains. Returns the ids of the trusted CAs.
    @discardableResult
    func reload(from registry: Registry) async throws -> Set<String> {
        var active: [X509.Certificate] = []
        var marker: String?
        repeat {
            let page = try await registry.listCACertificates(marker: marker)
            for summary in page.items where summary.status == .active {
                guard let described = try? await registry.describeCACertificate(certificateId: summary.certificateId),
                    described.status == .active,
                    let certificate = try? CertificateCoding.certificate(pem: described.certificatePem)
                else { continue }
                active.append(certificate)
            }
            marker = page.nextToken
        } while marker != nil
        let trusted = roots + active
        let ids = Set(trusted.map { CertificateID.make(for: $0) })
        state.withLockedValue { state in
            state.verifier = DeviceCertificateVerifier(trustedCertificates: trusted)
            state.trustedIds = ids
            state.generation &+= 1
            state.cache.removeAll()
        }
        return ids
    }

    /// Whether the CA with this id is trusted now.
    func trusts(certificateId: String) -> Bool {
        state.withLockedValue { $0.trustedIds.contains(certificateId) }
    }

    /// The verification of `presented` (DER, leaf first) when it was verified before, the
    /// trusted CAs have not changed since and the chain is still valid at `now`; nil otherwise.
    /// Never blocks.
    func cachedVerification(_ presented: [[UInt8]], now: Date = Date()) -> Verified? {
        guard let leafBytes = presented.first else { return nil }
        return cached(certificateId: CertificateID.make(derBytes: leafBytes), now: now).verified
    }

    /// Verifies the chain a device presented (DER, leaf first) at `now`.
    ///
    /// - Throws: ``DeviceCertificateVerifier/Error`` saying why the chain is not trusted.
    func verify(_ presented: [[UInt8]], now: Date = Date()) async throws(DeviceCertificateVerifier.Error) -> Verified {
        guard let leafBytes = presented.first else {
            throw DeviceCertificateVerifier.Error(.malformedCertificate, certificate: nil, detail: "no certificate")
        }
        let certificateId = CertificateID.make(derBytes: leafBytes)
        let (hit, verifier, generation) = cached(certificateId: certificateId, now: now)
        if let hit { return hit }
        let chain = try await verifier.verify(presentedChain: presented, now: now)
        let verified = Verified(
            leaf: chain.leaf,
            certificateId: certificateId,
            trustAnchorId: chain.trustAnchorId
        )
        let entry = CacheEntry(
            verified: verified,
            notBefore: chain.certificates.map(\.notValidBefore).max() ?? now,
            notAfter: chain.certificates.map(\.notValidAfter).min() ?? now,
            generation: generation
        )
        state.withLockedValue { state in
            guard state.generation == generation else { return }
            if state.cache.count >= cacheCapacity { state.cache.removeAll(keepingCapacity: true) }
            state.cache[certificateId] = entry
        }
        return verified
    }

    /// The cached verification of a leaf, when current; and what a fresh one needs.
    private func cached(certificateId: String, now: Date) -> (
        verified: Verified?, verifier: DeviceCertificateVerifier, generation: UInt64
    ) {
        state.withLockedValue { state in
            guard let entry = state.cache[certificateId], entry.generation == state.generation,
                now >= entry.notBefore, now <= entry.notAfter
            else { return (nil, state.verifier, state.generation) }
            return (entry.verified, state.verifier, state.generation)
        }
    }
}
