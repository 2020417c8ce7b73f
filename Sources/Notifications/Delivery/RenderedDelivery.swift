/// A delivery ready to go on the wire.
public enum RenderedDelivery: Sendable {
    /// An e-mail (`email` and `email-json`).
    case email(EmailMessage, envelopeSender: String, recipient: String)
    /// An HTTP POST (`http` and `https`).
    case http(HTTPDeliveryRequest)
}

/// The POST SNS makes to an HTTP/HTTPS subscriber.
public struct HTTPDeliveryRequest: Sendable, Hashable {
    /// One request header.
    public struct Header: Sendable, Hashable {
        /// The name as sent, e.g. `x-amz-sns-message-type`.
        public var name: String
        /// The value.
        public var value: String

        /// Creates a header.
        public init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    /// The subscription's endpoint URL.
    public var url: String
    /// The headers in the order AWS sends them (`Host` and `Content-Length` are added by the client).
    public var headers: [Header]
    /// The body: the JSON document, or the bare message with raw message delivery.
    public var body: [UInt8]

    /// The value of the first header named `name` (case-insensitive).
    public func header(_ name: String) -> String? {
        let lowered = name.lowercased()
        return self.headers.first { $0.name.lowercased() == lowered }?.value
    }
}
