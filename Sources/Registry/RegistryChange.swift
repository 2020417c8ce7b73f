/// A change to registry data that an in-memory cache may hold, announced after the
/// transaction that made it commits.
///
/// The broker caches per connection the certificate's status, the policies attached to it
/// (directly, and through the thing groups of its things) and their default documents; the
/// rules engine caches rule definitions. Each case names what to drop.
public enum RegistryChange: Sendable, Hashable {
    /// A certificate's status changed, or the certificate was registered or deleted.
    case certificateStatusChanged(certificateId: String)
    /// A CA certificate was registered, updated or deleted.
    case caCertificateChanged(certificateId: String)
    /// A policy's default version changed, or the policy was created or deleted.
    case policyChanged(policyName: String)
    /// Policies were attached to or detached from `target` (a certificate ARN, a thing group
    /// ARN, any principal), or the things of a principal changed (`target` is the principal).
    case attachmentsChanged(target: String)
    /// A thing was created, updated or deleted, or its groups or principals changed.
    case thingChanged(thingName: String)
    /// A topic rule was created, replaced, enabled, disabled or deleted.
    case topicRuleChanged(ruleName: String)
}
