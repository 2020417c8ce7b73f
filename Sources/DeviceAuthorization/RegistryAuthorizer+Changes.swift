import Registry

/// The registry change feed a ``RegistryAuthorizer`` follows.
struct ChangeFeed: Sendable {
    var observation: RegistryObservation?
    var continuation: AsyncStream<RegistryChange>.Continuation?
}

extension RegistryAuthorizer {
    /// Observes the registry: changes are counted, and the answers cached for CONNECT dropped,
    /// at commit (synchronously, cheaply); they are applied to live connections one at a time,
    /// in commit order, by a task of their own.
    func startFollowingChanges() {
        let (stream, continuation) = AsyncStream.makeStream(of: RegistryChange.self)
        let started = feed.withLockedValue { feed in
            guard feed.observation == nil else { return false }
            feed.continuation = continuation
            feed.observation = registry.observe { [self] change in
                pending.begin()
                switch change {
                case .policyChanged, .attachmentsChanged, .thingChanged:
                    live.withLockedValue { $0.generation &+= 1 }
                    reads.invalidate()
                case .certificateStatusChanged, .caCertificateChanged:
                    reads.invalidate()
                case .topicRuleChanged:
                    break
                }
                if case .terminated = continuation.yield(change) { pending.end() }
            }
            return true
        }
        guard started else {
            continuation.finish()
            return
        }
        Task {
            for await change in stream {
                await apply(change)
                pending.end()
            }
        }
    }

    func stopFollowingChanges() {
        let (observation, continuation) = feed.withLockedValue { feed in
            defer { feed = ChangeFeed() }
            return (feed.observation, feed.continuation)
        }
        observation?.cancel()
        continuation?.finish()
    }

    /// Applies one registry change to the live connections and the trusted CAs.
    func apply(_ change: RegistryChange) async {
        switch change {
        case .certificateStatusChanged(let certificateId):
            let status: CertificateStatus?
            do {
                status = try await registry.certificateStatus(certificateId: certificateId)
            } catch {
                logger.error("cannot read a certificate's status: revoking", metadata: ["error": "\(error)"])
                status = nil
            }
            if status != .active {
                revokeConnections(certificateId: certificateId)
            }
        case .caCertificateChanged:
            do {
                let trusted = try await trustStore.reload(from: registry)
                let distrusted = live.withLockedValue { live in
                    live.all.filter { entry in
                        guard let anchor = entry.authorization.device?.trustAnchorId else { return false }
                        return !trusted.contains(anchor)
                    }
                }
                disconnect(distrusted)
            } catch {
                logger.error("cannot reload the registered CA certificates", metadata: ["error": "\(error)"])
            }
        case .policyChanged(let policyName):
            refreshConnections { $0.authorization.policies.policyNames.contains(policyName) }
        case .attachmentsChanged(let target):
            if case .certificate(let certificateId)? = registry.scope.resource(ofARN: target) {
                refreshConnections { $0.authorization.device?.certificateId == certificateId }
            } else {
                // A thing group's policies: the devices connected as things.
                refreshConnections { _ in true }
            }
        case .thingChanged(let thingName):
            refreshConnections { $0.authorization.device?.clientId == thingName }
        case .topicRuleChanged:
            break
        }
    }

    private func refreshConnections(where isAffected: (LiveConnections.Entry) -> Bool) {
        let affected = live.withLockedValue { $0.all.filter(isAffected) }
        for entry in affected { refresh(entry.authorization) }
    }
}
