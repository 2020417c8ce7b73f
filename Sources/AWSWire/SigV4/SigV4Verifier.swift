import Foundation

/// Verifies SigV4-signed requests, in the header form and the presigned-query form.
///
/// ```swift
/// let verifier = SigV4Verifier()
/// let identity = try await verifier.verify(request, now: Date()) { accessKeyId in
///     try await keys.secret(for: accessKeyId)
/// }
/// ```
///
/// Checks, in order: the authentication is present and well formed; the credential scope
/// day matches the request time (and the region and service, when configured); the request
/// time is within the clock-skew window (a presigned request: not in the future beyond the
/// window, and not past its expiry); the access key is known; the signature matches
/// (compared in constant time); an `x-amz-content-sha256` header matches the body.
public struct SigV4Verifier: Sendable {
    /// What the verifier accepts.
    public struct Configuration: Sendable, Hashable {
        /// How far the request time may be from `now`, either way (AWS: 15 minutes).
        public var allowedClockSkew: TimeInterval
        /// The only region the credential scope may name; nil accepts any.
        public var region: String?
        /// The service signing names the credential scope may name; nil accepts any.
        public var services: Set<String>?
        /// Accepts any well-formed authorization without looking up the key or checking the
        /// signature (local development only). Scope and time checks still apply.
        public var acceptsAnyCredentials: Bool

        /// Creates a configuration.
        public init(
            allowedClockSkew: TimeInterval = 15 * 60,
            region: String? = nil,
            services: Set<String>? = nil,
            acceptsAnyCredentials: Bool = false
        ) {
            self.allowedClockSkew = allowedClockSkew
            self.region = region
            self.services = services
            self.acceptsAnyCredentials = acceptsAnyCredentials
        }
    }

    /// What the verifier accepts.
    public var configuration: Configuration

    /// Creates a verifier.
    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    /// Verifies `request`, looking the secret up synchronously.
    ///
    /// - Parameters:
    ///   - request: The request as received: raw path and query, all headers, and the hash of
    ///     the body actually received.
    ///   - now: The current time.
    ///   - secretAccessKey: Returns the secret of an access key id, or nil when it is unknown.
    /// - Returns: Who signed the request.
    /// - Throws: ``SigV4Error`` saying which AWS authentication error applies.
    public func verify(
        _ request: SigV4Request,
        now: Date,
        secretAccessKey: (String) -> String?
    ) throws(SigV4Error) -> SigV4Identity {
        let authorization = try check(request, now: now)
        let secret = configuration.acceptsAnyCredentials ? nil : secretAccessKey(authorization.accessKeyId)
        return try finish(request, authorization: authorization, secret: secret)
    }

    /// Verifies `request`, looking the secret up asynchronously.
    ///
    /// - Throws: ``SigV4Error`` for authentication failures, or what `secretAccessKey` throws.
    public func verify(
        _ request: SigV4Request,
        now: Date,
        secretAccessKey: (String) async throws -> String?
    ) async throws -> SigV4Identity {
        let authorization = try check(request, now: now)
        let secret =
            configuration.acceptsAnyCredentials ? nil : try await secretAccessKey(authorization.accessKeyId)
        return try finish(request, authorization: authorization, secret: secret)
    }

    /// Everything that needs no secret: parsing, scope and time.
    func check(_ request: SigV4Request, now: Date) throws(SigV4Error) -> SigV4Authorization {
        let authorization = try SigV4Authorization(parsing: request)
        let scope = authorization.scope
        let day = String(authorization.timestamp.prefix(8))
        guard scope.date == day else {
            throw .mismatch(
                "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: "
                    + "'\(scope.date)' != '\(day)', from '\(authorization.timestamp)'.")
        }
        if let region = configuration.region, scope.region != region {
            throw .mismatch("Credential should be scoped to a valid region, not '\(scope.region)'.")
        }
        if let services = configuration.services, !services.contains(scope.service) {
            let expected = services.sorted().joined(separator: "' or '")
            throw .mismatch("Credential should be scoped to correct service: '\(expected)'.")
        }
        try checkTime(authorization, now: now)
        return authorization
    }

    private func checkTime(_ authorization: SigV4Authorization, now: Date) throws(SigV4Error) {
        let skew = configuration.allowedClockSkew
        let minutes = Int(skew / 60)
        if authorization.date.timeIntervalSince(now) > skew {
            throw SigV4Error(
                code: .signatureExpired,
                message: "Signature not yet current: \(authorization.timestamp) is still later than "
                    + "\(AWSTimestamp.sigV4(now.addingTimeInterval(skew))) (\(AWSTimestamp.sigV4(now)) + \(minutes) min.)"
            )
        }
        if let expires = authorization.expires {
            if now.timeIntervalSince(authorization.date) > TimeInterval(expires) {
                throw SigV4Error(code: .requestExpired, message: "Request has expired.")
            }
        } else if now.timeIntervalSince(authorization.date) > skew {
            throw SigV4Error(
                code: .signatureExpired,
                message: "Signature expired: \(authorization.timestamp) is now earlier than "
                    + "\(AWSTimestamp.sigV4(now.addingTimeInterval(-skew))) (\(AWSTimestamp.sigV4(now)) - \(minutes) min.)"
            )
        }
    }

    /// The checks that need the secret.
    func finish(
        _ request: SigV4Request, authorization: SigV4Authorization, secret: String?
    ) throws(SigV4Error) -> SigV4Identity {
        if !configuration.acceptsAnyCredentials {
            guard let secret else {
                throw SigV4Error(
                    code: .unknownAccessKey, message: "The security token included in the request is invalid.")
            }
            let computed = SigV4Signature(
                request: request,
                signedHeaders: authorization.signedHeaders,
                excludingQueryParameters: authorization.location == .query ? ["X-Amz-Signature"] : [],
                timestamp: authorization.timestamp,
                scope: authorization.scope,
                secretAccessKey: secret)
            guard ConstantTime.isEqual(computed.signature, authorization.signature) else {
                throw SigV4Error(
                    code: .signatureDoesNotMatch, message: SigV4Error.signatureMismatchMessage,
                    canonicalRequest: computed.canonicalRequest, stringToSign: computed.stringToSign)
            }
        }
        if let declared = request.headers.firstValue(named: "x-amz-content-sha256"), Hex.isSHA256(declared),
            Hex.isSHA256(request.payloadHash), declared.asciiLowercased() != request.payloadHash.asciiLowercased()
        {
            throw .mismatch("The provided 'x-amz-content-sha256' header does not match what was computed.")
        }
        return SigV4Identity(
            accessKeyId: authorization.accessKeyId, scope: authorization.scope, signingDate: authorization.date,
            securityToken: authorization.securityToken, location: authorization.location)
    }
}
