import NIOConcurrencyHelpers
import PolicyEngine

/// Parsed policy documents by their text, so that thousands of devices sharing a policy parse
/// it once. Bounded: past ``capacity`` distinct texts it starts over.
final class PolicyDocumentCache: Sendable {
    let capacity: Int
    private let documents = NIOLockedValueBox<[String: PolicyDocument]>([:])

    init(capacity: Int = 1024) {
        self.capacity = capacity
    }

    /// The document `text` parses to.
    ///
    /// - Throws: ``PolicyDocumentError`` when it is not a valid IoT policy.
    func document(_ text: String) throws(PolicyDocumentError) -> PolicyDocument {
        if let cached = documents.withLockedValue({ $0[text] }) { return cached }
        let parsed = try PolicyDocument(json: text, kind: .identity)
        documents.withLockedValue { documents in
            if documents.count >= capacity { documents.removeAll(keepingCapacity: true) }
            documents[text] = parsed
        }
        return parsed
    }
}
