/// An Amazon Resource Name: `arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE`.
///
/// The resource part may itself contain `:` and `/` (`thing/NAME`, `TOPIC:SUBSCRIPTION`,
/// `role/PATH/NAME`); everything after the fifth `:` belongs to it.
public struct ARN: Sendable, Hashable, Codable, LosslessStringConvertible {
    /// `aws`, `aws-cn`, `aws-us-gov`…
    public var partition: String
    /// The service namespace: `iot`, `sns`, `iam`…
    public var service: String
    /// The region, empty for global services such as IAM.
    public var region: String
    /// The 12-digit account id, `aws` for AWS-managed resources, or empty.
    public var accountId: String
    /// The resource: `thing/NAME`, `TOPIC`, `role/PATH/NAME`…
    public var resource: String

    /// Creates an ARN from its parts (not validated; ``init(parsing:)`` validates).
    public init(partition: String = "aws", service: String, region: String, accountId: String, resource: String) {
        self.partition = partition
        self.service = service
        self.region = region
        self.accountId = accountId
        self.resource = resource
    }

    /// Why a string is not an ARN.
    public struct ParseError: Error, Sendable, Hashable, CustomStringConvertible {
        /// The rejected text.
        public var input: String
        /// What is wrong with it.
        public var reason: String

        public var description: String { "Invalid ARN '\(input)': \(reason)" }
    }

    /// Parses and validates an ARN.
    ///
    /// - Throws: ``ParseError`` when the text does not start with `arn:`, has fewer than six
    ///   `:`-separated parts, an empty or invalid partition or service, an invalid region or
    ///   account, or an empty resource.
    public init(parsing text: String) throws(ParseError) {
        let parts = text.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        func fail(_ reason: String) -> ParseError { ParseError(input: text, reason: reason) }
        guard parts.count == 6 else { throw fail("expected arn:partition:service:region:account:resource") }
        guard parts[0] == "arn" else { throw fail("does not start with 'arn:'") }
        guard !parts[1].isEmpty, parts[1].utf8.allSatisfy(Self.isNameByte) else { throw fail("invalid partition") }
        guard !parts[2].isEmpty, parts[2].utf8.allSatisfy(Self.isNameByte) else { throw fail("invalid service") }
        guard parts[3].utf8.allSatisfy(Self.isNameByte) else { throw fail("invalid region") }
        let account = parts[4]
        guard
            account.isEmpty || account == "aws"
                || (account.utf8.count == 12 && account.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 })
        else { throw fail("invalid account id") }
        guard !parts[5].isEmpty else { throw fail("empty resource") }
        self.init(
            partition: String(parts[1]), service: String(parts[2]), region: String(parts[3]),
            accountId: String(account), resource: String(parts[5]))
    }

    /// Parses an ARN, or returns nil when `description` is not one.
    public init?(_ description: String) {
        guard let arn = try? ARN(parsing: description) else { return nil }
        self = arn
    }

    /// `arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE`.
    public var description: String {
        "arn:\(partition):\(service):\(region):\(accountId):\(resource)"
    }

    /// The resource type before the first `/` (`thing` in `thing/NAME`), or nil.
    public var resourceType: Substring? {
        resource.firstIndex(of: "/").map { resource[..<$0] }
    }

    /// The resource after the first `/` (`NAME` in `thing/NAME`), or nil.
    public var resourceId: Substring? {
        resource.firstIndex(of: "/").map { resource[resource.index(after: $0)...] }
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do {
            self = try ARN(parsing: text)
        } catch {
            throw DecodingError.dataCorrupted(
                DecodingError.Context(codingPath: decoder.codingPath, debugDescription: error.description))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    private static func isNameByte(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
            || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
            || byte == UInt8(ascii: "-")
    }
}
