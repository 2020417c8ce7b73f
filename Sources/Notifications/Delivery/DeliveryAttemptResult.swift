import AsyncHTTPClient

/// What one delivery attempt came to.
enum DeliveryAttemptResult: Sendable, Equatable {
    /// The endpoint took it.
    case delivered
    /// Failed in a way a later attempt may not (5xx, timeout, refused connection, SMTP 4xx).
    case retryable(String)
    /// Failed in a way that will not change (SMTP 5xx, an unusable endpoint or payload).
    case permanent(String)
    /// Not finished because the pipeline is stopping.
    case cancelled

    /// How an error thrown while rendering or sending counts.
    static func classify(_ error: any Error) -> DeliveryAttemptResult {
        switch error {
        case let error as SMTPError:
            if error.messageAccepted { return .delivered }
            return error.isTransient ? .retryable(error.description) : .permanent(error.description)
        case let error as HTTPDeliveryStatusError:
            return .retryable(error.description)
        case let error as DeliveryRenderError:
            return .permanent(error.description)
        case let error as EmailValidationError:
            return .permanent("invalid e-mail: \(error)")
        case let error as SNSSigningError:
            return .permanent(error.description)
        case let error as HTTPClientError:
            if error == .invalidURL || error == .emptyHost || error == .emptyScheme
                || error.description.contains("unsupportedScheme")
            {
                return .permanent("invalid endpoint URL: \(error)")
            }
            return .retryable("HTTP: \(error)")
        default:
            return .retryable("\(error)")
        }
    }
}

/// An HTTP/HTTPS endpoint answered with a status other than 2xx.
struct HTTPDeliveryStatusError: Error, CustomStringConvertible {
    var status: Int

    var description: String { "HTTP status \(self.status)" }
}
