import Foundation

/// The account's root access key, kept in `DATA/secret.key` in the format the seed's
/// programs read: `{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "REGION_NAME"}`.
public struct AccountCredentials: Sendable, Hashable, Codable {
    /// The access key id (`AKIA` and 16 upper-case letters or digits, like AWS's).
    public var accessKeyId: String
    /// The secret access key (40 characters, like AWS's).
    public var secretAccessKey: String
    /// The region the credentials are for.
    public var region: String

    enum CodingKeys: String, CodingKey {
        case accessKeyId = "AWS_ACCESS_KEY_ID"
        case secretAccessKey = "AWS_SECRET_ACCESS_KEY"
        case region = "REGION_NAME"
    }

    public init(accessKeyId: String, secretAccessKey: String, region: String) {
        self.accessKeyId = accessKeyId
        self.secretAccessKey = secretAccessKey
        self.region = region
    }

    /// New random credentials from the system's secure random generator.
    public static func generate(region: String) -> AccountCredentials {
        var generator = SystemRandomNumberGenerator()
        let idAlphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
        let secretAlphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
        let id = "AKIA" + String((0..<16).map { _ in idAlphabet.randomElement(using: &generator)! })
        let secret = String((0..<40).map { _ in secretAlphabet.randomElement(using: &generator)! })
        return AccountCredentials(accessKeyId: id, secretAccessKey: secret, region: region)
    }
}

extension DataDirectory {
    /// The account's credentials: read from `secret.key`, or generated and written (0600) on
    /// first start.
    public func loadOrCreateCredentials(region: String) throws -> AccountCredentials {
        let path = file("secret.key")
        if let data = FileManager.default.contents(atPath: path) {
            return try JSONDecoder().decode(AccountCredentials.self, from: data)
        }
        let credentials = AccountCredentials.generate(region: region)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let text = String(decoding: try encoder.encode(credentials), as: UTF8.self) + "\n"
        try writeSecret(text, to: path)
        return credentials
    }
}
