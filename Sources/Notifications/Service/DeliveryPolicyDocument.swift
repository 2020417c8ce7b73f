import JSON

/// A `DeliveryPolicy` attribute, parsed and checked: a topic's
/// (`{"http": {"defaultHealthyRetryPolicy": {…}, "disableSubscriptionOverrides": …,
/// "defaultThrottlePolicy": {…}, "defaultRequestPolicy": {…}}}`) or a subscription's
/// (`{"healthyRetryPolicy": {…}, "throttlePolicy": {…}, "requestPolicy": {…}}`).
///
/// Errors are the reason after `Invalid parameter: ` (`DeliveryPolicy: …`).
struct DeliveryPolicyDocument {
    /// The retry members given (the rest come from the topic or AWS's defaults).
    struct PartialRetry {
        var numbers: [String: Int] = [:]
        var backoffFunction: String?

        func apply(to policy: inout HTTPDeliveryPolicy.RetryPolicy) {
            if let value = numbers["minDelayTarget"] { policy.minDelayTarget = value }
            if let value = numbers["maxDelayTarget"] { policy.maxDelayTarget = value }
            if let value = numbers["numRetries"] { policy.numRetries = value }
            if let value = numbers["numNoDelayRetries"] { policy.numNoDelayRetries = value }
            if let value = numbers["numMinDelayRetries"] { policy.numMinDelayRetries = value }
            if let value = numbers["numMaxDelayRetries"] { policy.numMaxDelayRetries = value }
            if let backoffFunction { policy.backoffFunction = backoffFunction }
        }
    }

    static let retryMembers: Set<String> = [
        "minDelayTarget", "maxDelayTarget", "numRetries", "numNoDelayRetries", "numMinDelayRetries",
        "numMaxDelayRetries",
    ]
    static let backoffFunctions: Set<String> = ["arithmetic", "exponential", "geometric", "linear"]
    /// AWS's limits: delays up to an hour, up to 100 retries.
    static let maximumDelay = 3600
    static let maximumRetries = 100

    var retry = PartialRetry()
    var disableSubscriptionOverrides: Bool?
    var maxReceivesPerSecond: Int?
    var headerContentType: String?

    /// A topic's policy.
    init(topic text: String) throws(DeliveryPolicyError) {
        let members = try Self.object(try Self.parse(text), at: nil)
        for member in members {
            guard member.key == "http" else { throw .unknownMember(member.key) }
            for field in try Self.object(member.value, at: "http") {
                let path = "http." + field.key
                switch field.key {
                case "defaultHealthyRetryPolicy": retry = try Self.retry(field.value, at: path)
                case "disableSubscriptionOverrides":
                    guard case .bool(let flag) = field.value else { throw .invalid(path, "must be true or false") }
                    disableSubscriptionOverrides = flag
                case "defaultThrottlePolicy": maxReceivesPerSecond = try Self.throttle(field.value, at: path)
                case "defaultRequestPolicy": headerContentType = try Self.request(field.value, at: path)
                case "defaultSicklyRetryPolicy" where field.value == .null: break
                default: throw .unknownMember(path)
                }
            }
        }
    }

    /// A subscription's policy.
    init(subscription text: String) throws(DeliveryPolicyError) {
        for field in try Self.object(try Self.parse(text), at: nil) {
            switch field.key {
            case "healthyRetryPolicy": retry = try Self.retry(field.value, at: field.key)
            case "throttlePolicy": maxReceivesPerSecond = try Self.throttle(field.value, at: field.key)
            case "requestPolicy": headerContentType = try Self.request(field.value, at: field.key)
            case "sicklyRetryPolicy" where field.value == .null: break
            case "guaranteed" where field.value == .bool(false): break
            default: throw .unknownMember(field.key)
            }
        }
    }

    private static func parse(_ text: String) throws(DeliveryPolicyError) -> JSONValue {
        do {
            return try JSONValue.parse(text)
        } catch {
            throw .unparsable(error.description)
        }
    }

    private static func object(_ value: JSONValue, at path: String?) throws(DeliveryPolicyError) -> [JSONValue.Member] {
        guard case .object(let members) = value else { throw .invalid(path ?? "the policy", "must be a JSON object") }
        return members
    }

    private static func retry(_ value: JSONValue, at path: String) throws(DeliveryPolicyError) -> PartialRetry {
        var partial = PartialRetry()
        for member in try object(value, at: path) {
            let memberPath = path + "." + member.key
            if retryMembers.contains(member.key) {
                guard let number = member.value.int64Value, let integer = Int(exactly: number), integer >= 0 else {
                    throw .invalid(memberPath, "must be a non-negative integer")
                }
                partial.numbers[member.key] = integer
            } else if member.key == "backoffFunction" {
                guard let name = member.value.stringValue, backoffFunctions.contains(name) else {
                    throw .invalid(memberPath, "must be one of arithmetic, exponential, geometric, linear")
                }
                partial.backoffFunction = name
            } else {
                throw .unknownMember(memberPath)
            }
        }
        var effective = HTTPDeliveryPolicy.RetryPolicy.awsDefault
        partial.apply(to: &effective)
        guard effective.numRetries <= maximumRetries else {
            throw .invalid(path + ".numRetries", "must be at most \(maximumRetries)")
        }
        guard effective.minDelayTarget >= 1 else { throw .invalid(path + ".minDelayTarget", "must be at least 1") }
        guard effective.maxDelayTarget <= maximumDelay else {
            throw .invalid(path + ".maxDelayTarget", "must be at most \(maximumDelay)")
        }
        guard effective.minDelayTarget <= effective.maxDelayTarget else {
            throw .invalid(path + ".minDelayTarget", "must not be greater than maxDelayTarget")
        }
        let phases = effective.numNoDelayRetries + effective.numMinDelayRetries + effective.numMaxDelayRetries
        guard phases <= effective.numRetries else {
            throw .invalid(
                path, "numNoDelayRetries + numMinDelayRetries + numMaxDelayRetries must not exceed numRetries")
        }
        return partial
    }

    private static func throttle(_ value: JSONValue, at path: String) throws(DeliveryPolicyError) -> Int? {
        var rate: Int?
        for member in try object(value, at: path) {
            guard member.key == "maxReceivesPerSecond" else { throw .unknownMember(path + "." + member.key) }
            guard let number = member.value.int64Value, let integer = Int(exactly: number), integer >= 1 else {
                throw .invalid(path + ".maxReceivesPerSecond", "must be a positive integer")
            }
            rate = integer
        }
        return rate
    }

    private static func request(_ value: JSONValue, at path: String) throws(DeliveryPolicyError) -> String? {
        var contentType: String?
        for member in try object(value, at: path) {
            guard member.key == "headerContentType" else { throw .unknownMember(path + "." + member.key) }
            guard let text = member.value.stringValue, !text.isEmpty,
                !text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F })
            else {
                throw .invalid(path + ".headerContentType", "must be a content type")
            }
            contentType = text
        }
        return contentType
    }
}

/// Why a `DeliveryPolicy` is refused.
enum DeliveryPolicyError: Error {
    case unparsable(String)
    case unknownMember(String)
    case invalid(String, String)

    /// The reason after `Invalid parameter: `.
    var reason: String {
        switch self {
        case .unparsable(let detail): "DeliveryPolicy: failed to parse JSON. \(detail)"
        case .unknownMember(let path): "DeliveryPolicy: Unsupported member [\(path)]"
        case .invalid(let path, let rule): "DeliveryPolicy: \(path) \(rule)"
        }
    }
}
