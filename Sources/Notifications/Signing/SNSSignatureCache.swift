import Crypto
import NIOConcurrencyHelpers

/// Remembers recent signatures by the digest of their string to sign.
///
/// A message published to a topic is delivered to every subscriber with the same signed fields
/// (the subscription appears only in `UnsubscribeURL`, which is not signed), so fan-out to many
/// HTTP/HTTPS or `email-json` subscribers costs one RSA operation instead of one per subscriber.
final class SNSSignatureCache: Sendable {
    private struct Key: Hashable {
        var digest: [UInt8]
        var version: SNSSignatureVersion
    }

    private struct State {
        var signatures: [Key: String] = [:]
        var order: [Key] = []
        var next = 0
    }

    private let capacity: Int
    private let state = NIOLockedValueBox(State())

    init(capacity: Int = 1024) {
        self.capacity = max(1, capacity)
    }

    /// The cached signature of `stringToSign`, or the one `sign` makes (then cached).
    func signature<Failure: Error>(
        for stringToSign: String, version: SNSSignatureVersion, sign: () throws(Failure) -> String
    ) throws(Failure) -> String {
        let key = Key(digest: Array(SHA256.hash(data: Array(stringToSign.utf8))), version: version)
        if let cached = self.state.withLockedValue({ $0.signatures[key] }) {
            return cached
        }
        let signature = try sign()
        self.state.withLockedValue { state in
            guard state.signatures[key] == nil else { return }
            if state.order.count < self.capacity {
                state.order.append(key)
            } else {
                state.signatures[state.order[state.next]] = nil
                state.order[state.next] = key
                state.next = (state.next + 1) % self.capacity
            }
            state.signatures[key] = signature
        }
        return signature
    }
}
