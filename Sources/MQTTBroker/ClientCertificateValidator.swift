import NIOCore
import NIOSSL

/// Decides, during the TLS handshake of a mutual-TLS listener, whether the certificate chain a
/// client presented is trusted, replacing BoringSSL's verification against the TLS context's
/// fixed trust roots (so that trust can change while the listener runs: registered CAs).
///
/// The client still proves possession of the leaf's key in the handshake; this only decides
/// the chain. Nothing of the verification is kept with the connection (memory per idle
/// connection matters): the ``Authorizer`` gets the client's certificate in
/// ``ConnectRequest/peerCertificateChain`` and looks up what it decided then.
public protocol ClientCertificateValidator: Sendable {
    /// Whether `presentedChain` is known to be trusted without waiting (validated before and
    /// still valid). Called on the connection's event loop: must not block. The default
    /// returns false, so that ``validateClientCertificateChain(_:)`` is asked.
    func isKnownTrusted(_ presentedChain: [[UInt8]]) -> Bool
    /// Validates `presentedChain` (DER, leaf first, as the client sent it).
    ///
    /// - Returns: Whether the chain ends at a trusted CA; false fails the handshake.
    func validateClientCertificateChain(_ presentedChain: [[UInt8]]) async -> Bool
}

extension ClientCertificateValidator {
    public func isKnownTrusted(_ presentedChain: [[UInt8]]) -> Bool { false }
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
                if validator.isKnownTrusted(presented) {
                    promise.succeed(.certificateVerified(VerificationMetadata(nil)))
                    return
                }
                promise.completeWithTask {
                    await validator.validateClientCertificateChain(presented)
                        ? .certificateVerified(VerificationMetadata(nil)) : .failed
                }
            })
    }
}
