import Foundation

/// Who signed a verified request, and for what scope.
public struct SigV4Identity: Sendable, Hashable {
    /// The access key id that signed the request.
    public var accessKeyId: String
    /// The credential scope (day, region, service).
    public var scope: SigV4Scope
    /// The request time the signature covers (`X-Amz-Date` or `Date`).
    public var signingDate: Date
    /// The session token sent with temporary credentials; the caller validates it.
    public var securityToken: String?
    /// Whether the request was signed in the `Authorization` header or presigned.
    public var location: SigV4Authorization.Location

    /// The region of the credential scope.
    public var region: String { scope.region }
    /// The service signing name of the credential scope (`iot`, `iotdata`, `sns`, `iam`).
    public var service: String { scope.service }

    /// Creates an identity.
    public init(
        accessKeyId: String, scope: SigV4Scope, signingDate: Date, securityToken: String?,
        location: SigV4Authorization.Location
    ) {
        self.accessKeyId = accessKeyId
        self.scope = scope
        self.signingDate = signingDate
        self.securityToken = securityToken
        self.location = location
    }
}
