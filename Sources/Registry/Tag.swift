/// A resource tag (`Tag`: `Key`, `Value`).
public struct Tag: Sendable, Hashable {
    /// 1–128 characters; `aws:` is reserved.
    public var key: String
    /// 0–256 characters.
    public var value: String

    /// Creates a tag.
    public init(key: String, value: String = "") {
        self.key = key
        self.value = value
    }
}

/// `ThingPrincipalType`: whether a principal may be attached to other things too.
public enum ThingPrincipalType: String, Sendable, Hashable, CaseIterable {
    /// The thing is the only one the principal is attached to.
    case exclusiveThing = "EXCLUSIVE_THING"
    /// The principal may be attached to other things (the default).
    case nonExclusiveThing = "NON_EXCLUSIVE_THING"
}

/// A thing–principal attachment (`ThingPrincipalObject`, `PrincipalThingObject`).
public struct ThingPrincipalAttachment: Sendable, Hashable {
    /// The thing.
    public var thingName: String
    /// The principal (a certificate ARN).
    public var principal: String
    /// Exclusive or not.
    public var thingPrincipalType: ThingPrincipalType
}
