import Foundation
import X509

/// Decides whether a device's TLS client certificate chains to a trusted CA: Thingport's
/// root or a registered customer CA.
///
/// Chains are built by swift-certificates' `Verifier` (leaf → CA, or leaf → intermediates the
/// client sent → CA) and checked with a device-certificate `VerifierPolicy`: signatures, issuer and
/// subject names, validity at the given time for every certificate, CA:TRUE on every issuer,
/// clientAuth when the leaf restricts its key usage, and RFC 5280's path length and name
/// constraints. A rejection says why, as a typed ``Error/Reason-swift.struct``.
public struct DeviceCertificateVerifier: Sendable {
    /// A chain that verified.
    public struct VerifiedChain: Sendable, Hashable {
        /// The chain, leaf first and trusted CA last.
        public let certificates: [Certificate]
        /// The trusted CA's certificate id.
        public let trustAnchorId: String

        /// The device's certificate.
        public var leaf: Certificate {
            self.certificates[0]
        }

        /// The trusted CA the chain ends at.
        public var trustAnchor: Certificate {
            self.certificates[self.certificates.count - 1]
        }
    }

    private let trustedCertificates: [Certificate]
    private let trustStore: CertificateStore
    private let trustedIds: [Certificate: String]

    /// Creates a verifier that trusts `trustedCertificates` (the root and registered CAs).
    public init(trustedCertificates: some Sequence<Certificate>) {
        self.trustedCertificates = Array(trustedCertificates)
        self.trustStore = CertificateStore(self.trustedCertificates)
        self.trustedIds = Dictionary(
            self.trustedCertificates.map { ($0, CertificateID.make(for: $0)) },
            uniquingKeysWith: { first, _ in first }
        )
    }

    /// Verifies the certificates a TLS client presented, as DER with the leaf first (the form
    /// of NIOSSL's peer certificate chain).
    ///
    /// - Throws: ``Error`` with reason ``Error/Reason-swift.struct/malformedCertificate`` for an
    ///   empty chain or bytes that are not a certificate, otherwise as
    ///   ``verify(leaf:intermediates:now:)``.
    public func verify(presentedChain: [[UInt8]], now: Date = Date()) async throws(Error) -> VerifiedChain {
        guard let leaf = presentedChain.first else {
            throw Error(.malformedCertificate, certificate: nil, detail: "the client presented no certificate")
        }
        return try await verify(leafDERBytes: leaf, intermediateDERBytes: Array(presentedChain.dropFirst()), now: now)
    }

    /// Verifies a device certificate given as DER, as a TLS stack hands it over.
    ///
    /// - Throws: ``Error`` with reason ``Error/Reason-swift.struct/malformedCertificate`` for
    ///   bytes that are not a certificate, otherwise as ``verify(leaf:intermediates:now:)``.
    public func verify(
        leafDERBytes: [UInt8],
        intermediateDERBytes: [[UInt8]] = [],
        now: Date = Date()
    ) async throws(Error) -> VerifiedChain {
        func parse(_ bytes: [UInt8]) throws(Error) -> Certificate {
            do {
                return try Certificate(derEncoded: bytes)
            } catch {
                throw Error(.malformedCertificate, certificate: nil, detail: "not a DER X.509 certificate: \(error)")
            }
        }
        let leaf = try parse(leafDERBytes)
        var intermediates: [Certificate] = []
        for bytes in intermediateDERBytes {
            intermediates.append(try parse(bytes))
        }
        return try await verify(leaf: leaf, intermediates: intermediates, now: now)
    }

    /// Verifies a device certificate.
    ///
    /// - Parameters:
    ///   - leaf: The device's certificate.
    ///   - intermediates: Other certificates the client sent, which may link the leaf to a
    ///     trusted CA.
    ///   - now: The time at which every certificate of the chain must be valid.
    /// - Returns: The verified chain and the id of the CA it ends at.
    /// - Throws: ``Error``, whose reason says why no chain was acceptable.
    public func verify(
        leaf: Certificate,
        intermediates: [Certificate] = [],
        now: Date = Date()
    ) async throws(Error) -> VerifiedChain {
        let failures = DeviceCertificatePolicy.Failures()
        let policy = DeviceCertificatePolicy(validationTime: now, failures: failures)

        if let critical = leaf.extensions.first(where: {
            $0.critical && !policy.verifyingCriticalExtensions.contains($0.oid)
        }) {
            throw Error(
                .unhandledCriticalExtension,
                certificate: leaf,
                detail: "\(leaf.subject) has an unsupported critical extension \(critical.oid)"
            )
        }

        var verifier = Verifier(rootCertificates: self.trustStore) { policy }
        let result = await verifier.validate(leaf: leaf, intermediates: CertificateStore(intermediates))
        switch result {
        case .validCertificate(let chain):
            let certificates = Array(chain)
            guard let anchor = certificates.last, let anchorId = self.trustedIds[anchor] else {
                throw Error(.unknownIssuer, certificate: leaf, detail: "the chain does not end at a trusted CA")
            }
            return VerifiedChain(certificates: certificates, trustAnchorId: anchorId)
        case .couldNotValidate:
            if let failure = failures.all.first {
                throw failure
            }
            throw self.diagnoseUnbuildableChain(leaf: leaf, intermediates: intermediates)
        }
    }

    /// Explains why the `Verifier` found no candidate chain at all: walks up from the leaf by
    /// issuer name and signature until no certificate has the issuer's name (unknown issuer)
    /// or none with the name signed the certificate (bad signature).
    private func diagnoseUnbuildableChain(leaf: Certificate, intermediates: [Certificate]) -> Error {
        var current = leaf
        var visited: [Certificate] = [leaf]
        while visited.count <= intermediates.count + 1 {
            let named = (self.trustedCertificates + intermediates).filter {
                $0.subject == current.issuer && !visited.contains($0)
            }
            if named.isEmpty {
                return Error(
                    .unknownIssuer,
                    certificate: current,
                    detail: "no trusted CA or intermediate is named \(current.issuer), the issuer of \(current.subject)"
                )
            }
            let signers = named.filter { $0.publicKey.isValidSignature(current.signature, for: current) }
            guard let signer = signers.first else {
                return Error(
                    .badSignature,
                    certificate: current,
                    detail: "the signature of \(current.subject) does not verify with the key of \(current.issuer)"
                )
            }
            if self.trustedIds[signer] != nil {
                return Error(
                    .unhandledCriticalExtension,
                    certificate: signer,
                    detail: "the trusted CA \(signer.subject) has a critical extension the verifier does not support"
                )
            }
            visited.append(signer)
            current = signer
        }
        return Error(.unknownIssuer, certificate: current, detail: "no chain to a trusted CA")
    }
}
