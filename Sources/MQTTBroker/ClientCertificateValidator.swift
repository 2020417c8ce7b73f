import NIOCore
import NIOSSL

/// Decides, during the TLS handshake of a mutual-TLS listener, whether the certificate chain a
/// client presented is trusted, replacing BoringSSL's verification against the TLS context's
/// fixed trust roots (so that trust can change while the listener runs: registered CAs).
///
/// The client still proves possession of the leaf's key in the handshake; this only decides
/// the chain. The validated chain reaches the ``Authorizer`` as
/// ``ConnectRequest/peerCertificateChain``.
public protocol ClientCertificateValidator: Sendable {
    /// The validated chain of `presentedChain` when it is known without waiting (validated
    /// before and still valid), or nil to have ``validateClientCertificateChain(_:)`` asked.
    /// Called on the connection's event loop: must not block. The default returns nil.
    func knownValidatedChain(_ presentedChain: [[UInt8]]) -> [[UInt8]]?
    /// Validates `presentedChain` (DER, leaf first, as the client sent it).
    ///
    /// - Returns: The validated chain (DER, leaf first, trusted CA last), or nil to fail the
    ///   handshake.
    func validateClientCertificateChain(_ presentedChain: [[UInt8]]) async -> [[UInt8]]?
}

extension ClientCertificateValidator {
    public func knownValidatedChain(_ presentedChain: [[UInt8]]) -> [[UInt8]]? { nil }
}

extension Broker {
    /// The TLS handler of a listener: with a ``ClientCertificateValidator``, chain verification
    /// is the validator's.
    static func makeTLSHandler(
        context: NIOSSLContext,
        validator: (any ClientCertificateValidator)?
    ) -> NIOSSLServerHandler {
        guard let validator else { return NIOSSLServerHandler(context: context) }
        return NIOSSLServerHandler(
            context: context,
            customVerificationCallbackWithMetadata: { certificates, promise in
                let presented = certificates.compactMap { try? $0.toDERBytes() }
                guard presented.count == certificates.count, !presented.isEmpty else {
                    promise.succeed(.failed)
                    return
                }
                if let known = validator.knownValidatedChain(presented) {
                    promise.succeed(verificationResult(known))
                    return
                }
                promise.completeWithTask {
                    verificationResult(await validator.validateClientCertificateChain(presented))
                }
            })
    }
}

/// The handshake's verdict on a validator's answer (nil or empty: not trusted).
private func verificationResult(_ validated: [[UInt8]]?) -> NIOSSLVerificationResultWithMetadata {
    guard let validated, !validated.isEmpty,
        let chain = try? validated.map({ try NIOSSLCertificate(bytes: $0, format: .der) })
    else { return .failed }
    return .certificateVerified(VerificationMetadata(ValidatedCertificateChain(chain)))
}
