import MQTTBroker

/// The connections a ``RegistryAuthorizer`` authorized that are connected now, by certificate
/// id, and the counters that let a connection registering late notice changes it missed.
struct LiveConnections: Sendable {
    struct Entry: Sendable {
        let client: ConnectedClient
        let authorization: PolicyClientAuthorization
    }

    var byCertificate: [String: [ObjectIdentifier: Entry]] = [:]
    /// How many times each certificate was found no longer `ACTIVE`.
    var revocations: [String: UInt64] = [:]
    /// Grows with every registry change that may change policies (announced at commit).
    var generation: UInt64 = 0

    var all: [Entry] { byCertificate.values.flatMap(\.values) }
}

extension RegistryAuthorizer {
    /// How many of this authorizer's devices are connected.
    public var connectedDeviceCount: Int {
        live.withLockedValue { $0.byCertificate.values.reduce(0) { $0 + $1.count } }
    }

    public func clientConnected(_ client: ConnectedClient) {
        guard let authorization = client.authorization as? PolicyClientAuthorization,
            let device = authorization.device
        else { return }
        let (revoked, stale) = live.withLockedValue { live in
            live.byCertificate[device.certificateId, default: [:]][ObjectIdentifier(client)] = .init(
                client: client, authorization: authorization)
            return (
                live.revocations[device.certificateId, default: 0] != authorization.revocationMark,
                live.generation != authorization.generation
            )
        }
        let distrusted = device.trustAnchorId.map { !trustStore.trusts(certificateId: $0) } ?? false
        if revoked || distrusted {
            // The certificate (or its CA) stopped being ACTIVE while the CONNECT was decided.
            logger.debug(
                "disconnecting a device revoked while connecting", metadata: ["certificate": "\(device.certificateId)"])
            authorization.revoke()
            client.disconnect(reason: .notAuthorized)
        } else if stale {
            refresh(authorization)
        }
    }

    public func clientDisconnected(_ client: ConnectedClient, reason: DisconnectReason) {
        guard let authorization = client.authorization as? PolicyClientAuthorization,
            let certificateId = authorization.device?.certificateId
        else { return }
        live.withLockedValue { live in
            live.byCertificate[certificateId]?[ObjectIdentifier(client)] = nil
            if live.byCertificate[certificateId]?.isEmpty == true {
                live.byCertificate[certificateId] = nil
            }
        }
    }

    /// Denies everything to the connections of a certificate and closes them (`AUTH_ERROR`).
    func revokeConnections(certificateId: String) {
        let entries = live.withLockedValue { live in
            live.revocations[certificateId, default: 0] &+= 1
            return Array(live.byCertificate[certificateId]?.values ?? [:].values)
        }
        disconnect(entries)
    }

    /// Denies everything to the given connections and closes them (`AUTH_ERROR`).
    func disconnect(_ entries: [LiveConnections.Entry]) {
        for entry in entries {
            logger.debug(
                "disconnecting a device whose certificate is no longer trusted",
                metadata: [
                    "certificate": "\(entry.authorization.principal ?? "")",
                    "mqtt.client_id": "\(entry.client.clientIdentifier)",
                ])
            entry.authorization.revoke()
            entry.client.disconnect(reason: .notAuthorized)
        }
    }

    /// Recompiles a connection's policies from the registry, off the hot path. Changes that
    /// arrive while a recompile runs are folded into one more run.
    func refresh(_ authorization: PolicyClientAuthorization) {
        guard let device = authorization.device, authorization.beginRefresh() else { return }
        pending.begin()
        Task {
            repeat {
                let generation = live.withLockedValue { $0.generation }
                do {
                    let resolution = try await resolver.resolve(device)
                    authorization.install(resolution.policies, generation: generation)
                } catch {
                    logger.warning(
                        "cannot recompile a device's policies",
                        metadata: ["certificate": "\(device.certificateId)", "error": "\(error)"])
                }
            } while authorization.endRefresh()
            pending.end()
        }
    }
}
