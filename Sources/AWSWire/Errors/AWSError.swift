/// An AWS error as services return it: a code, a message, an HTTP status, and for modeled
/// errors extra members (such as `resourceId` and `resourceArn`).
///
/// Render it for a protocol with ``restJSONResponse(requestId:errorTypeNamespace:)`` or
/// ``queryXMLResponse(xmlNamespace:requestId:)``.
public struct AWSError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The error code, such as `ResourceNotFoundException` or `InvalidParameter`.
    public var code: String
    /// The human-readable message.
    public var message: String
    /// The HTTP status code.
    public var httpStatus: Int
    /// Extra members of a modeled error, rendered beside the message.
    public var fields: [String: String]

    /// Creates an error.
    public init(code: String, message: String, httpStatus: Int, fields: [String: String] = [:]) {
        self.code = code
        self.message = message
        self.httpStatus = httpStatus
        self.fields = fields
    }

    /// Whether the caller is at fault (status below 500): `Sender` in query XML, else `Receiver`.
    public var isSenderFault: Bool { httpStatus < 500 }

    public var description: String { "\(code) (\(httpStatus)): \(message)" }

    /// Renders the error for `wireProtocol`.
    ///
    /// - Parameters:
    ///   - wireProtocol: The protocol of the service answering.
    ///   - xmlNamespace: The query protocol's XML namespace (``QueryNamespace``); unused for rest-json.
    ///   - requestId: The request id sent back.
    public func response(for wireProtocol: AWSProtocol, xmlNamespace: String, requestId: String) -> AWSResponse {
        switch wireProtocol {
        case .restJSON: restJSONResponse(requestId: requestId)
        case .query: queryXMLResponse(xmlNamespace: xmlNamespace, requestId: requestId)
        }
    }
}

/// An HTTP response as plain values: status, headers and body bytes.
public struct AWSResponse: Sendable, Hashable {
    /// The HTTP status code.
    public var status: Int
    /// The headers to send, in order.
    public var headers: [HeaderField]
    /// The body bytes.
    public var body: [UInt8]

    /// Creates a response.
    public init(status: Int, headers: [HeaderField], body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}
