/// Checks of request members against the constraints of botocore's `iot` model, with the
/// messages AWS sends (`1 validation error detected: Value '…' at '…' failed to satisfy
/// constraint: …`).
enum Validation {
    /// A character class of a model pattern, over ASCII.
    struct Pattern: Sendable {
        /// The pattern as the model writes it, quoted in messages.
        let text: String
        let allowed: @Sendable (UInt8) -> Bool
        let allowsEmpty: Bool
        /// Non-ASCII letters, numbers and spaces are allowed (`\p{L}\p{Z}\p{N}` in tag keys).
        let allowsUnicodeLetters: Bool

        func matches(_ value: String) -> Bool {
            if value.isEmpty { return allowsEmpty }
            if allowsUnicodeLetters {
                return value.unicodeScalars.allSatisfy { scalar in
                    if scalar.isASCII { return allowed(UInt8(scalar.value)) }
                    let properties = scalar.properties
                    return properties.isAlphabetic || properties.numericType != nil
                        || scalar.properties.generalCategory == .spaceSeparator
                }
            }
            return value.utf8.allSatisfy(allowed)
        }

        static func isAlphanumeric(_ byte: UInt8) -> Bool {
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
        }

        /// `[a-zA-Z0-9:_-]+`: thing, thing type and thing group names.
        static let registryName = Pattern(
            text: "[a-zA-Z0-9:_-]+", allowed: { isAlphanumeric($0) || $0 == 0x3A || $0 == 0x5F || $0 == 0x2D },
            allowsEmpty: false, allowsUnicodeLetters: false)
        /// `[\w+=,.@-]+`: policy names.
        static let policyName = Pattern(
            text: "[\\w+=,.@-]+",
            allowed: { isAlphanumeric($0) || "_+=,.@-".utf8.contains($0) }, allowsEmpty: false,
            allowsUnicodeLetters: false)
        /// `^[a-zA-Z0-9_]+$`: rule names.
        static let ruleName = Pattern(
            text: "^[a-zA-Z0-9_]+$", allowed: { isAlphanumeric($0) || $0 == 0x5F }, allowsEmpty: false,
            allowsUnicodeLetters: false)
        /// `[a-zA-Z0-9_.,@/:#-]+`: attribute names.
        static let attributeName = Pattern(
            text: "[a-zA-Z0-9_.,@/:#-]+", allowed: { isAlphanumeric($0) || "_.,@/:#-".utf8.contains($0) },
            allowsEmpty: false, allowsUnicodeLetters: false)
        /// `[a-zA-Z0-9_.,@/:#=\[\]-]*`: attribute values.
        static let attributeValue = Pattern(
            text: "[a-zA-Z0-9_.,@/:#=\\[\\]-]*",
            allowed: { isAlphanumeric($0) || "_.,@/:#=[]-".utf8.contains($0) }, allowsEmpty: true,
            allowsUnicodeLetters: false)
        /// `(0x)?[a-fA-F0-9]+`: certificate ids (64 characters).
        static let certificateId = Pattern(
            text: "(0x)?[a-fA-F0-9]+",
            allowed: { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x46) || ($0 >= 0x61 && $0 <= 0x66) },
            allowsEmpty: false, allowsUnicodeLetters: false)
        /// `[0-9]+`: policy version ids.
        static let policyVersionId = Pattern(
            text: "[0-9]+", allowed: { $0 >= 0x30 && $0 <= 0x39 }, allowsEmpty: false, allowsUnicodeLetters: false)
        /// `^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$`: tag keys.
        static let tagKey = Pattern(
            text: "^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)$",
            allowed: { isAlphanumeric($0) || $0 == 0x20 || "_.:/=+-@".utf8.contains($0) }, allowsEmpty: true,
            allowsUnicodeLetters: true)
        /// `[\p{Graph}\x20]*`: descriptions.
        static let description = Pattern(
            text: "[\\p{Graph}\\x20]*", allowed: { $0 >= 0x20 && $0 < 0x7F }, allowsEmpty: true,
            allowsUnicodeLetters: true)
    }

    static func failure(_ value: String, member: String, constraint: String) -> RegistryError {
        .invalidRequest(
            "1 validation error detected: Value '\(value)' at '\(member)' failed to satisfy constraint: \(constraint)")
    }

    /// Checks length (in characters, as the model counts) and pattern.
    static func check(
        _ value: String, member: String, pattern: Pattern?, minLength: Int = 0, maxLength: Int? = nil
    ) throws(RegistryError) {
        let length = value.count
        if length < minLength {
            throw failure(
                value, member: member, constraint: "Member must have length greater than or equal to \(minLength)")
        }
        if let maxLength, length > maxLength {
            throw failure(
                value, member: member, constraint: "Member must have length less than or equal to \(maxLength)")
        }
        if let pattern, !pattern.matches(value) {
            throw failure(
                value, member: member, constraint: "Member must satisfy regular expression pattern: \(pattern.text)")
        }
    }

    static func registryName(_ value: String, member: String) throws(RegistryError) {
        try check(value, member: member, pattern: .registryName, minLength: 1, maxLength: 128)
    }

    static func policyName(_ value: String, member: String = "policyName") throws(RegistryError) {
        try check(value, member: member, pattern: .policyName, minLength: 1, maxLength: 128)
    }

    static func ruleName(_ value: String) throws(RegistryError) {
        try check(value, member: "ruleName", pattern: .ruleName, minLength: 1, maxLength: 128)
    }

    static func certificateId(_ value: String, member: String = "certificateId") throws(RegistryError) {
        try check(value, member: member, pattern: nil, minLength: 64, maxLength: 64)
        let digits = value.hasPrefix("0x") ? String(value.dropFirst(2)) : value
        if !Pattern.certificateId.matches(digits) {
            throw failure(
                value, member: member,
                constraint: "Member must satisfy regular expression pattern: \(Pattern.certificateId.text)")
        }
    }

    static func description(_ value: String?, member: String) throws(RegistryError) {
        guard let value else { return }
        try check(value, member: member, pattern: .description, maxLength: 2028)
    }

    static func attributes(_ attributes: [String: String], member: String = "attributes") throws(RegistryError) {
        for (name, value) in attributes.sorted(by: { $0.key < $1.key }) {
            try check(name, member: "\(member).\(name)", pattern: .attributeName, minLength: 1, maxLength: 128)
            try check(value, member: "\(member).\(name)", pattern: .attributeValue, maxLength: 800)
        }
    }

    static func policyVersionId(_ value: String) throws(RegistryError) -> Int64 {
        try check(value, member: "policyVersionId", pattern: .policyVersionId, minLength: 1)
        guard let id = Int64(value) else {
            throw failure(value, member: "policyVersionId", constraint: "Member must be a version number")
        }
        return id
    }
}
