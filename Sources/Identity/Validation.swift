import PolicyEngine

/// Checks of request members against the constraints of botocore's `iam` model and IAM's
/// quotas, with the messages AWS sends.
enum Validation {
    /// `[\w+=,.@-]+` (`\w` is ASCII, as in Java).
    static let namePattern = #"[\w+=,.@-]+"#
    /// `(\u002F)|(\u002F[\u0021-\u007E]+\u002F)`: role paths.
    static let pathPattern = #"(\u002F)|(\u002F[\u0021-\u007E]+\u002F)"#
    /// `((/[A-Za-z0-9\.,\+@=_-]+)*)/`: policy paths.
    static let policyPathPattern = #"((/[A-Za-z0-9\.,\+@=_-]+)*)/"#
    /// `\u002F[\u0021-\u007F]*`: path prefixes.
    static let pathPrefixPattern = #"\u002F[\u0021-\u007F]*"#

    /// The most non-whitespace characters of a managed policy document.
    static let managedPolicySizeQuota = 6144
    /// The most non-whitespace characters of a trust policy.
    static let trustPolicySizeQuota = 2048
    /// The most non-whitespace characters of all a role's inline policies together.
    static let inlinePoliciesSizeQuota = 10240
    /// The most managed policies attached to one role.
    static let attachedPoliciesQuota = 10
    /// The most tags on a role or policy.
    static let tagsQuota = 50

    static func failure(_ value: String, member: String, constraint: String) -> IdentityError {
        IdentityError(
            code: .validationError,
            message:
                "1 validation error detected: Value '\(value)' at '\(member)' failed to satisfy constraint: \(constraint)"
        )
    }

    static func length(_ value: String, member: String, min: Int, max: Int) throws(IdentityError) {
        let count = value.utf16.count
        if count < min {
            throw failure(value, member: member, constraint: "Member must have length greater than or equal to \(min)")
        }
        if count > max {
            throw failure(value, member: member, constraint: "Member must have length less than or equal to \(max)")
        }
    }

    static func pattern(_ value: String, member: String, _ pattern: String, _ matches: Bool) throws(IdentityError) {
        if !matches {
            throw failure(
                value, member: member, constraint: "Member must satisfy regular expression pattern: \(pattern)")
        }
    }

    static func isWordByte(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
            || byte == 0x5F
    }

    /// A role (1–64) or policy (1–128) name.
    static func name(_ value: String, member: String, maxLength: Int) throws(IdentityError) {
        try length(value, member: member, min: 1, max: maxLength)
        try pattern(
            value, member: member, namePattern, value.utf8.allSatisfy { isWordByte($0) || "+=,.@-".utf8.contains($0) })
    }

    static func roleName(_ value: String) throws(IdentityError) {
        try name(value, member: "roleName", maxLength: 64)
    }

    static func policyName(_ value: String) throws(IdentityError) {
        try name(value, member: "policyName", maxLength: 128)
    }

    /// A role path: `/` or `/…/` with printable ASCII between.
    static func rolePath(_ value: String, member: String = "path") throws(IdentityError) {
        try length(value, member: member, min: 1, max: 512)
        let bytes = Array(value.utf8)
        let matches =
            bytes == [0x2F]
            || (bytes.count >= 3 && bytes.first == 0x2F && bytes.last == 0x2F
                && bytes.allSatisfy { $0 >= 0x21 && $0 <= 0x7E })
        try pattern(value, member: member, pathPattern, matches)
    }

    /// A policy path: `/` or `/segment/…/` with segments of `[A-Za-z0-9.,+@=_-]`.
    static func policyPath(_ value: String, member: String = "path") throws(IdentityError) {
        try length(value, member: member, min: 1, max: 512)
        let bytes = Array(value.utf8)
        var matches = bytes.first == 0x2F && bytes.last == 0x2F
        if matches && bytes.count > 1 {
            let segments = bytes.dropFirst().dropLast().split(separator: 0x2F, omittingEmptySubsequences: false)
            matches = segments.allSatisfy { segment in
                !segment.isEmpty && segment.allSatisfy { isWordByte($0) || ".,+@=-".utf8.contains($0) }
            }
        }
        try pattern(value, member: member, policyPathPattern, matches)
    }

    /// A path prefix: `/` followed by printable ASCII.
    static func pathPrefix(_ value: String?) throws(IdentityError) {
        guard let value else { return }
        try length(value, member: "pathPrefix", min: 1, max: 512)
        try pattern(
            value, member: "pathPrefix", pathPrefixPattern,
            value.utf8.first == 0x2F && value.utf8.allSatisfy { $0 >= 0x21 && $0 <= 0x7F })
    }

    static func description(_ value: String?, maxLength: Int = 1000) throws(IdentityError) {
        guard let value else { return }
        try length(value, member: "description", min: 0, max: maxLength)
    }

    static func maxSessionDuration(_ value: Int?) throws(IdentityError) {
        guard let value else { return }
        if value < 3600 {
            throw failure(
                String(value), member: "maxSessionDuration",
                constraint: "Member must have value greater than or equal to 3600")
        }
        if value > 43200 {
            throw failure(
                String(value), member: "maxSessionDuration",
                constraint: "Member must have value less than or equal to 43200")
        }
    }

    /// At most 50 tags, keys 1–128 and values 0–256 characters, keys unique regardless of case.
    static func tags(_ tags: [IAMTag]) throws(IdentityError) {
        if tags.count > tagsQuota {
            throw IdentityError.limitExceeded("The number of tags has reached the maximum limit.")
        }
        var keys: Set<String> = []
        for tag in tags {
            try length(tag.key, member: "tags.member.key", min: 1, max: 128)
            try length(tag.value, member: "tags.member.value", min: 0, max: 256)
            if tag.key.lowercased().hasPrefix("aws:") {
                throw IdentityError.invalidInput("User-defined tag keys can't start with 'aws:'.")
            }
            guard keys.insert(tag.key.lowercased()).inserted else {
                throw IdentityError.invalidInput(
                    "Duplicate tag keys found. Please note that Tag keys are case insensitive.")
            }
        }
    }

    /// A managed policy version id: `v` and a number from 1.
    static func versionNumber(_ versionId: String) throws(IdentityError) -> Int64 {
        let digits = versionId.dropFirst()
        guard versionId.first == "v", let number = Int64(digits), number >= 1, String(number) == digits else {
            throw failure(
                versionId, member: "versionId",
                constraint: #"Member must satisfy regular expression pattern: v[1-9][0-9]*(\.[A-Za-z0-9-]*)?"#)
        }
        return number
    }

    // MARK: Documents

    /// The size IAM counts against its quotas: characters other than whitespace.
    static func quotaSize(_ document: String) -> Int {
        document.unicodeScalars.reduce(0) { $0 + ($1.properties.isWhitespace ? 0 : 1) }
    }

    /// Parses a permissions policy (managed or inline).
    ///
    /// - Throws: `MalformedPolicyDocument` with the policy engine's reason.
    @discardableResult
    static func permissionsPolicy(_ document: String) throws(IdentityError) -> PolicyDocument {
        do {
            return try PolicyDocument(json: document, kind: .identity)
        } catch {
            throw IdentityError(code: .malformedPolicyDocument, message: error.message)
        }
    }

    /// Parses a trust policy: principals and no resources, and only STS actions.
    ///
    /// - Throws: `MalformedPolicyDocument`, or `LimitExceeded` beyond 2048 characters.
    @discardableResult
    static func trustPolicy(_ document: String) throws(IdentityError) -> PolicyDocument {
        let parsed: PolicyDocument
        do {
            parsed = try PolicyDocument(json: document, kind: .trust)
        } catch {
            throw IdentityError(code: .malformedPolicyDocument, message: error.message)
        }
        for statement in parsed.statements {
            let onlySTS =
                !statement.actions.isNegated
                && statement.actions.values.allSatisfy { $0.lowercased().hasPrefix("sts:") }
            guard onlySTS else {
                throw IdentityError(
                    code: .malformedPolicyDocument,
                    message: "AssumeRole policy may only specify STS AssumeRole actions.")
            }
        }
        if quotaSize(document) > trustPolicySizeQuota {
            throw IdentityError.limitExceeded("Cannot exceed quota for ACLSizePerRole: \(trustPolicySizeQuota)")
        }
        return parsed
    }

    /// Parses a managed policy document and checks its size.
    static func managedPolicy(_ document: String) throws(IdentityError) {
        try permissionsPolicy(document)
        if quotaSize(document) > managedPolicySizeQuota {
            throw IdentityError.limitExceeded("Cannot exceed quota for PolicySize: \(managedPolicySizeQuota)")
        }
    }
}
