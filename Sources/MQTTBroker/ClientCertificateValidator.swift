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
    /// Validates `presentedChain` (DER, leaf first, as the client sent it).
    ///
    /// - Returns: The validated chain (DER, leaf first, trusted CA last), or nil to fail the
    ///   handshake.
    func validateClientCertificateChain(_ presentedChain: [[UInt8]]) async -> [[UInt8]]?
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
                promise.completeWithTask {
                    guard let validated = await validator.validateClientCertificateChain(presented),
                        !validated.isEmpty
                    else { return .failed }
                    let chain = try validated.map { try NIOSSLCertificate(bytes: $0, format: .der) }
                    return .certificateVerified(VerificationMetadata(ValidatedCertificateChain(chain)))
                }
            })
    }
}
