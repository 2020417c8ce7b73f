/// The attributes of a subscription: which may be set, how each is checked (against the
/// subscription's protocol and its other attributes), and what `GetSubscriptionAttributes`
/// shows.
enum SubscriptionAttributes {
    /// Attributes Thingport keeps for itself in the same column (never shown).
    static let authenticateOnUnsubscribe = "AuthenticateOnUnsubscribe"
    /// Whether the confirmation came in a signed request (shown).
    static let confirmationWasAuthenticated = "ConfirmationWasAuthenticated"

    /// The attributes `Subscribe` and `SetSubscriptionAttributes` accept.
    static let settableNames: Set<String> = [
        "DeliveryPolicy", "FilterPolicy", "FilterPolicyScope", "RawMessageDelivery", "RedrivePolicy",
    ]

    /// Protocols that take `RawMessageDelivery=true` and a `DeliveryPolicy`.
    static let httpProtocols: Set<String> = ["http", "https"]

    /// Why an attribute is refused: the reason after `Invalid parameter: ` (`SetSubscriptionAttributes`)
    /// or `Invalid parameter: Attributes Reason: ` (`Subscribe`).
    struct Problem: Error {
        var reason: String
        /// The filter policy's own error, which words both messages itself.
        var filterPolicyError: FilterPolicy.ValidationError?

        init(_ reason: String) {
            self.reason = reason
        }

        init(_ error: FilterPolicy.ValidationError) {
            self.reason = error.reason
            self.filterPolicyError = error
        }

        func error(subscribing: Bool) -> NotificationError {
            if let filterPolicyError {
                return .invalidParameter(subscribing ? filterPolicyError.subscribeMessage : filterPolicyError.message)
            }
            return .invalidParameter(
                subscribing ? "Invalid parameter: Attributes Reason: \(reason)" : "Invalid parameter: \(reason)")
        }
    }

    /// Applies `changes` to `attributes` of a subscription over `protocol`, checking each (a
    /// filter policy against the scope the result will have).
    ///
    /// - Returns: The attributes to store.
    static func applying(_ changes: [String: String], to attributes: [String: String], protocol: String)
        throws(Problem) -> [String: String]
    {
        var result = attributes
        for name in changes.keys.sorted() {
            guard settableNames.contains(name) else { throw Problem("AttributeName") }
            let value = changes[name]!
            switch name {
            case "RawMessageDelivery":
                let flag = value.lowercased()
                guard flag == "true" || flag == "false" else {
                    throw Problem("RawMessageDelivery: Invalid value [\(value)]. Must be true or false.")
                }
                if flag == "true", !httpProtocols.contains(`protocol`) {
                    throw Problem("Delivery protocol [\(`protocol`)] does not support raw message delivery.")
                }
                result[name] = flag
            case "FilterPolicyScope":
                guard FilterPolicy.Scope(rawValue: value) != nil else {
                    throw Problem(
                        "FilterPolicyScope: Invalid value [\(value)]. Please use either MessageBody or MessageAttributes"
                    )
                }
                result[name] = value
            case "FilterPolicy":
                result[name] = value.isEmpty ? nil : value
            case "DeliveryPolicy":
                guard !value.isEmpty else {
                    result[name] = nil
                    continue
                }
                guard httpProtocols.contains(`protocol`) else {
                    throw Problem(
                        "DeliveryPolicy: Delivery protocol [\(`protocol`)] does not support delivery policies.")
                }
                do {
                    _ = try DeliveryPolicyDocument(subscription: value)
                } catch {
                    throw Problem(error.reason)
                }
                result[name] = value
            default:
                // RedrivePolicy: a dead-letter queue needs SQS.
                throw Problem("\(name): dead-letter queues are not supported by Thingport")
            }
        }
        if let policy = result["FilterPolicy"] {
            let scope = result["FilterPolicyScope"].flatMap(FilterPolicy.Scope.init(rawValue:)) ?? .messageAttributes
            do {
                _ = try FilterPolicy(json: policy, scope: scope)
            } catch {
                throw Problem(error)
            }
        }
        return result
    }

    /// The scope of the subscription's filter policy.
    static func scope(_ attributes: [String: String]) -> FilterPolicy.Scope {
        attributes["FilterPolicyScope"].flatMap(FilterPolicy.Scope.init(rawValue:)) ?? .messageAttributes
    }
}
