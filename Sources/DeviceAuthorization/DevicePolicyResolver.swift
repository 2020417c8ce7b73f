import Logging
import PolicyEngine
import Registry

/// Reads from the registry what decides a device's permissions, and compiles it: the thing the
/// device connects as, the policies that apply, and the policy variables.
///
/// A device connects as a thing when its client id is the name of a thing its certificate is
/// attached to (AWS's `iot:Connection.Thing.IsAttached`). The policies are those attached to
/// the certificate and, for a device connected as a thing, those attached to the thing's groups
/// and their ancestors (AWS applies thing group policies only then), at their default versions.
struct DevicePolicyResolver: Sendable {
    /// One applicable policy.
    struct NamedPolicy: Sendable, Hashable {
        var name: String
        var arn: String
        var document: String
    }

    /// What a resolution found.
    struct Resolution: Sendable {
        /// The compiled policies.
        let policies: CompiledPolicySet
        /// The thing the device connects as, if any.
        let thing: Thing?
        /// The applicable policies, in evaluation order (as `policies.policyNames`).
        let applicable: [NamedPolicy]
    }

    let registry: Registry
    let scope: IoTResourceScope
    let domainName: String?
    let documents: PolicyDocumentCache
    /// Registry reads kept until the registry changes.
    let reads: RegistryReadCache
    /// Compiled statements shared between connections.
    let statements: SharedStatementPool
    let logger: Logger

    /// Resolves and compiles the permissions of `identity`.
    ///
    /// - Parameters:
    ///   - adding: Names of further policies to evaluate as if attached (`TestAuthorization`'s
    ///     `policyNamesToAdd`).
    ///   - skipping: Names of attached policies to leave out (`policyNamesToSkip`).
    ///   - withClientId: False when no client id is known (`TestAuthorization` without
    ///     `clientId`): no `iot:ClientId` and no thing.
    /// - Throws: ``RegistryError`` when the registry fails or a policy to add does not exist.
    func resolve(
        _ identity: DeviceIdentity,
        adding: [String] = [],
        skipping: Set<String> = [],
        withClientId: Bool = true
    ) async throws -> Resolution {
        let thing = withClientId ? try await attachedThing(identity) : nil
        var applicable = try await applicablePolicies(certificateArn: identity.certificateArn, thing: thing)
        applicable.removeAll { skipping.contains($0.name) }
        for name in adding where !applicable.contains(where: { $0.name == name }) {
            let policy = try await registry.getPolicy(policyName: name)
            applicable.append(NamedPolicy(name: name, arn: policy.policyArn, document: policy.policyDocument))
        }
        var compiled: [(name: String, document: PolicyDocument)] = []
        var used: [NamedPolicy] = []
        for policy in applicable {
            do {
                compiled.append((policy.name, try documents.document(policy.document)))
                used.append(policy)
            } catch {
                // The registry validates documents; one that no longer parses grants nothing.
                logger.warning(
                    "stored policy document does not parse",
                    metadata: ["policy": "\(policy.name)", "error": "\(error)"])
            }
        }
        var variables = DevicePolicyVariables.context(for: identity, thing: thing, domainName: domainName)
        if !withClientId { variables[IoTPolicyVariable.clientId] = nil }
        return Resolution(
            policies: statements.compile(compiled, variables: variables), thing: thing, applicable: used)
    }

    /// The thing named by the client id, when the certificate is attached to it.
    func attachedThing(_ identity: DeviceIdentity) async throws -> Thing? {
        let principal = identity.certificateArn
        let thingNames = try await reads.value(.principalThings(principal: principal)) {
            try await attachedThingNames(principal: principal)
        }
        guard thingNames.contains(identity.clientId) else { return nil }
        return try await reads.value(.thing(name: identity.clientId)) { () async throws -> Thing? in
            do {
                return try await registry.describeThing(thingName: identity.clientId)
            } catch let error as RegistryError where error.code == .resourceNotFound {
                return nil  // deleted meanwhile
            }
        }
    }

    /// The names of the things `principal` is attached to (none for an unknown principal).
    private func attachedThingNames(principal: String) async throws -> Set<String> {
        var names = Set<String>()
        var token: String?
        repeat {
            let page: Page<ThingPrincipalAttachment>
            do {
                page = try await registry.listPrincipalThings(principal: principal, nextToken: token)
            } catch let error as RegistryError where error.code == .resourceNotFound {
                return []
            }
            names.formUnion(page.items.map(\.thingName))
            token = page.nextToken
        } while token != nil
        return names
    }

    /// The policies of the certificate and, with a thing, of the thing's groups.
    private func applicablePolicies(certificateArn: String, thing: Thing?) async throws -> [NamedPolicy] {
        try await reads.value(.policies(principal: certificateArn, thingName: thing?.thingName)) {
            try await readApplicablePolicies(certificateArn: certificateArn, thing: thing)
        }
    }

    private func readApplicablePolicies(certificateArn: String, thing: Thing?) async throws -> [NamedPolicy] {
        if let thing {
            return try await registry.effectivePolicies(principal: certificateArn, thingName: thing.thingName).map {
                NamedPolicy(name: $0.policyName, arn: $0.policyArn, document: $0.policyDocument)
            }
        }
        var names: [String] = []
        var marker: String?
        repeat {
            let page = try await registry.listAttachedPolicies(target: certificateArn, marker: marker)
            names += page.items.map(\.policyName)
            marker = page.nextToken
        } while marker != nil
        var policies: [NamedPolicy] = []
        for name in names {
            do {
                let policy = try await registry.getPolicy(policyName: name)
                policies.append(NamedPolicy(name: name, arn: policy.policyArn, document: policy.policyDocument))
            } catch let error as RegistryError where error.code == .resourceNotFound {
                continue  // deleted meanwhile
            }
        }
        return policies
    }
}
