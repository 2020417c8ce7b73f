import MQTTProtocol
import NIOConcurrencyHelpers

/// Every subscription of every session, as a tree of topic levels with literal, `+` and `#`
/// branches, so a publish visits only the branches its topic can match.
///
/// Devices publish to the same topics again and again, so the matches of recent topics are
/// cached (up to ``cacheLimit`` topics); any subscribe or unsubscribe empties the cache.
final class SubscriptionIndex: @unchecked Sendable {
    /// The most topics whose matches are cached; the cache starts over when it is full.
    static let cacheLimit = 4096

    /// A session and the QoS it was granted on a matching filter.
    struct Match {
        let session: Session
        var qos: MQTTQoS
    }

    private final class Node {
        var children: [Substring: Node] = [:]
        var plus: Node?
        var hash: Node?
        var subscribers: [ObjectIdentifier: Match] = [:]

        var isEmpty: Bool { children.isEmpty && plus == nil && hash == nil && subscribers.isEmpty }
    }

    private let lock = NIOLock()
    private let root = Node()
    private var count = 0
    private var cache: [String: [Match]] = [:]

    /// The number of (session, filter) subscriptions.
    var subscriptionCount: Int { lock.withLock { count } }

    /// Adds or replaces `session`'s subscription to `filter` (already validated).
    func subscribe(_ session: Session, filter: String, qos: MQTTQoS) {
        lock.withLock {
            var node = root
            for level in filter.split(separator: "/", omittingEmptySubsequences: false) {
                node = Self.child(of: node, level: level)
            }
            let key = ObjectIdentifier(session)
            if node.subscribers.updateValue(Match(session: session, qos: qos), forKey: key) == nil {
                count += 1
            }
            invalidateCacheLocked()
        }
    }

    /// Removes `session`'s subscription to `filter`; returns whether there was one.
    @discardableResult
    func unsubscribe(_ session: Session, filter: String) -> Bool {
        lock.withLock { removeLocked(session, filter: filter) }
    }

    /// Removes all the given subscriptions of `session` (when a session ends).
    func unsubscribe(_ session: Session, filters: some Sequence<String>) {
        lock.withLock {
            for filter in filters { _ = removeLocked(session, filter: filter) }
        }
    }

    /// Every session with a subscription matching `topic`, each once with its highest granted
    /// QoS [MQTT-3.3.5-1]. Filters starting with a wildcard do not match topics starting with
    /// `$` [MQTT-4.7.2-1].
    func matches(topic: String) -> [Match] {
        lock.withLock {
            if let cached = cache[topic] { return cached }
            let result = matchesLocked(topic: topic)
            if cache.count >= Self.cacheLimit { cache.removeAll(keepingCapacity: true) }
            cache[topic] = result
            return result
        }
    }

    // MARK: Private

    private func invalidateCacheLocked() {
        if !cache.isEmpty { cache.removeAll(keepingCapacity: true) }
    }

    private func matchesLocked(topic: String) -> [Match] {
        let levels = topic.split(separator: "/", omittingEmptySubsequences: false)
        let isSystemTopic = topic.utf8.first == UInt8(ascii: "$")
        var result: [Match] = []
        var nodesMatched = 0
        collect(root, levels: levels, depth: 0, isSystemTopic: isSystemTopic, into: &result, nodes: &nodesMatched)
        guard nodesMatched > 1 else { return result }
        // Overlapping subscriptions: deliver once, at the highest QoS.
        var best: [ObjectIdentifier: Int] = [:]
        var unique: [Match] = []
        unique.reserveCapacity(result.count)
        for match in result {
            let key = ObjectIdentifier(match.session)
            if let index = best[key] {
                if match.qos > unique[index].qos { unique[index].qos = match.qos }
            } else {
                best[key] = unique.count
                unique.append(match)
            }
        }
        return unique
    }

    private static func child(of node: Node, level: Substring) -> Node {
        switch level {
        case "+":
            if let plus = node.plus { return plus }
            let created = Node()
            node.plus = created
            return created
        case "#":
            if let hash = node.hash { return hash }
            let created = Node()
            node.hash = created
            return created
        default:
            if let existing = node.children[level] { return existing }
            let created = Node()
            node.children[Substring(String(level))] = created
            return created
        }
    }

    private func collect(
        _ node: Node,
        levels: [Substring],
        depth: Int,
        isSystemTopic: Bool,
        into result: inout [Match],
        nodes: inout Int
    ) {
        let wildcardsAllowed = depth > 0 || !isSystemTopic
        if wildcardsAllowed, let hash = node.hash, !hash.subscribers.isEmpty {
            // `#` matches this level and everything below, including the parent itself [MQTT-4.7.1-2].
            nodes += 1
            result.append(contentsOf: hash.subscribers.values)
        }
        if depth == levels.count {
            if !node.subscribers.isEmpty {
                nodes += 1
                result.append(contentsOf: node.subscribers.values)
            }
            return
        }
        if wildcardsAllowed, let plus = node.plus {
            collect(plus, levels: levels, depth: depth + 1, isSystemTopic: isSystemTopic, into: &result, nodes: &nodes)
        }
        if let child = node.children[levels[depth]] {
            collect(child, levels: levels, depth: depth + 1, isSystemTopic: isSystemTopic, into: &result, nodes: &nodes)
        }
    }

    private func removeLocked(_ session: Session, filter: String) -> Bool {
        let levels = filter.split(separator: "/", omittingEmptySubsequences: false)
        var path: [(parent: Node, level: Substring)] = []
        var node = root
        for level in levels {
            let next: Node?
            switch level {
            case "+": next = node.plus
            case "#": next = node.hash
            default: next = node.children[level]
            }
            guard let next else { return false }
            path.append((node, level))
            node = next
        }
        guard node.subscribers.removeValue(forKey: ObjectIdentifier(session)) != nil else { return false }
        count -= 1
        invalidateCacheLocked()
        // Prune branches left empty.
        var current = node
        for (parent, level) in path.reversed() {
            guard current.isEmpty else { break }
            switch level {
            case "+": parent.plus = nil
            case "#": parent.hash = nil
            default: parent.children[level] = nil
            }
            current = parent
        }
        return true
    }
}
