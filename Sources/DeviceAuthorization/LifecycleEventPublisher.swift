import Foundation
import Logging
import MQTTBroker
import MQTTProtocol
import NIOCore

/// Publishes AWS IoT's lifecycle events for the broker's network clients: presence
/// (`$aws/events/presence/connected|disconnected/<clientId>`) and subscriptions
/// (`$aws/events/subscriptions/subscribed|unsubscribed/<clientId>`), at QoS 1, through an
/// in-process client of the broker (so rules and subscribers see them like any message).
///
/// Add it with `broker.addConnectionObserver(_:)`.
public final class LifecycleEventPublisher: ConnectionObserver, Sendable {
    /// The client identifier of the in-process client that publishes the events.
    public static let publisherClientIdentifier = "$thingport/lifecycle-events"

    private let publisher: InProcessClient
    private let clock: @Sendable () -> Date
    private let logger: Logger

    /// Creates a publisher of `broker`'s lifecycle events.
    ///
    /// - Parameters:
    ///   - broker: The broker whose clients are reported, and that carries the events.
    ///   - clock: The time events are stamped with.
    public init(
        broker: Broker,
        clock: @escaping @Sendable () -> Date = { Date() },
        logger: Logger = Logger(label: "thingport.lifecycle-events")
    ) {
        self.publisher = broker.connectInProcess(clientIdentifier: Self.publisherClientIdentifier, bufferLimit: 1)
        self.clock = clock
        self.logger = logger
    }

    public func clientConnected(_ client: ConnectedClient) {
        guard LifecycleEvent.hasEvents(clientIdentifier: client.clientIdentifier) else { return }
        publish(.connected(client, at: clock()))
    }

    public func clientDisconnected(_ client: ConnectedClient, reason: DisconnectReason) {
        guard LifecycleEvent.hasEvents(clientIdentifier: client.clientIdentifier) else { return }
        publish(.disconnected(client, reason: reason, at: clock()))
    }

    public func clientSubscribed(_ client: ConnectedClient, topicFilters: [String]) {
        guard LifecycleEvent.hasEvents(clientIdentifier: client.clientIdentifier) else { return }
        publish(.subscriptions(.subscribed, client, topics: topicFilters, at: clock()))
    }

    public func clientUnsubscribed(_ client: ConnectedClient, topicFilters: [String]) {
        guard LifecycleEvent.hasEvents(clientIdentifier: client.clientIdentifier) else { return }
        publish(.subscriptions(.unsubscribed, client, topics: topicFilters, at: clock()))
    }

    private func publish(_ event: LifecycleEvent) {
        do {
            try publisher.publish(topic: event.topic, payload: ByteBuffer(string: event.json), qos: .atLeastOnce)
        } catch {
            logger.debug("lifecycle event not published", metadata: ["topic": "\(event.topic)", "error": "\(error)"])
        }
    }
}
