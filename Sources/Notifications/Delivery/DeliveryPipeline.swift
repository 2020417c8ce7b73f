import AsyncHTTPClient
import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import ServiceLifecycle
import Storage

/// Delivers what is waiting in `sns_deliveries`: SNS notifications and subscription confirmations by
/// e-mail (`email`, `email-json`, through a ``MailTransport``) and HTTP POST (`http`, `https`).
///
/// It runs as a swift-service-lifecycle `Service`. It looks for due rows every
/// ``Configuration/pollInterval`` and whenever ``wake()`` is called (the API calls it after writing
/// deliveries), claims them (see ``DeliveryStore``), sends them, and then:
/// - delivered: deletes the row;
/// - failed: retries per the retry policy — for HTTP/HTTPS AWS's `healthyRetryPolicy` (the
///   subscription's or topic's `DeliveryPolicy`, by default 3 retries 20 seconds apart), for e-mail
///   AWS's SMTP policy after a transient failure — by setting `attempts`, `next_attempt` and
///   `last_error`; a permanent failure, or an exhausted policy, deletes the row (logged and counted
///   as failed).
///
/// The subscription is checked when a delivery is due: rows of deleted subscriptions are dropped,
/// notifications go only to confirmed subscriptions and confirmations only to pending ones.
/// Deliveries to different endpoints run concurrently, at most
/// ``Configuration/maximumConcurrentDeliveriesPerEndpoint`` per endpoint, so a stuck endpoint never
/// delays others. Everything is in the store, so deliveries survive restarts.
public final class DeliveryPipeline: Service, DeliveryNotifier, Sendable {
    /// The configuration.
    public let configuration: Configuration
    /// Renders deliveries.
    public let renderer: DeliveryRenderer

    let store: DeliveryStore
    let mailTransport: any MailTransport
    let clock: any DeliveryClock
    let logger: Logger
    let counters = DeliveryCounters()
    private let providedHTTPClient: HTTPClient?
    let state = NIOLockedValueBox(State())

    /// What the loop and its deliveries share.
    struct State {
        var continuation: AsyncStream<Void>.Continuation?
        var hasStarted = false
        var isStopping = false
        /// Deliveries in progress, by id, with their endpoint.
        var inFlight: [String: String] = [:]
        /// Deliveries in progress per endpoint.
        var perEndpoint: [String: Int] = [:]
        /// When deliveries to throttled subscriptions were claimed in the last second (ms), by
        /// subscription id: their `throttlePolicy` budget.
        var recentThrottled: [String: [Int64]] = [:]
        /// Results not yet written to the store.
        var completions: [DeliveryStore.Completion] = []
        /// Cycles of the loop finished so far.
        var completedCycles = 0
    }

    /// A claimed delivery.
    struct Job: Sendable {
        var id: String
        var payload: Result<DeliveryPayload, DeliveryRenderError>
        var attempts: Int64
        var previousNextAttempt: Int64
        var lease: Int64
        var endpoint: String
        var options: DeliveryOptions
        var retryPolicy: DeliveryRetryPolicy
        /// The `throttlePolicy` of the subscription's effective HTTP/S delivery policy, if any.
        var maxReceivesPerSecond: Int?
        var topic: String
        var protocolName: String
    }

    /// Creates a pipeline.
    /// - Parameters:
    ///   - database: the store holding `sns_deliveries`, `sns_subscriptions` and `sns_topics`.
    ///   - renderer: renders and signs deliveries.
    ///   - mailTransport: sends e-mail (``SMTPClient``, or ``OutboxDirectory`` without SMTP).
    ///   - configuration: limits and timeouts.
    ///   - clock: "now" for due times and retry schedules; the system clock by default.
    ///   - httpClient: the client for HTTP/HTTPS deliveries; by default the pipeline makes one (with
    ///     ``Configuration/httpTLSConfiguration``) and shuts it down when it stops. A client handed in
    ///     is not shut down.
    ///   - logger: where deliveries are logged (never their content).
    public init(
        database: Database,
        renderer: DeliveryRenderer,
        mailTransport: any MailTransport,
        configuration: Configuration = Configuration(),
        clock: any DeliveryClock = SystemDeliveryClock(),
        httpClient: HTTPClient? = nil,
        logger: Logger = Logger(label: "thingport.sns.delivery")
    ) {
        self.store = DeliveryStore(database: database)
        self.renderer = renderer
        self.mailTransport = mailTransport
        self.configuration = configuration
        self.clock = clock
        self.providedHTTPClient = httpClient
        self.logger = logger
    }

    /// The counters so far, per topic and protocol.
    public var statistics: DeliveryStatistics { self.counters.snapshot }

    /// How many cycles the pipeline has completed since it started. A cycle writes back finished
    /// deliveries, then claims and starts the due ones the limits allow; it sees every delivery
    /// written before it began. One runs at start, then one after each poll, ``wake()`` or finished
    /// delivery (those that come while a cycle runs share the next one).
    ///
    /// While the pipeline runs, the count rises with every ``Configuration/pollInterval`` at least,
    /// unless a cycle is slow or hangs (on an unresponsive store, say): a liveness signal.
    public var completedCycles: Int { self.state.withLockedValue { $0.completedCycles } }

    /// Starts looking for due deliveries now rather than at the next poll.
    public func wake() {
        _ = self.state.withLockedValue { $0.continuation }?.yield()
    }

    /// Runs until graceful shutdown (or cancellation): then stops claiming, lets deliveries in progress
    /// finish for up to ``Configuration/shutdownGracePeriod``, cancels the rest and gives their claims
    /// back. It may run only once.
    public func run() async throws {
        let (events, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        let isFirstRun = self.state.withLockedValue { state -> Bool in
            guard !state.hasStarted else { return false }
            state.hasStarted = true
            state.continuation = continuation
            return true
        }
        guard isFirstRun else {
            self.logger.error("The SNS delivery pipeline was started twice; the second run does nothing")
            return
        }
        let client = self.providedHTTPClient ?? self.makeHTTPClient()
        self.logger.debug("SNS delivery pipeline started")
        continuation.yield()

        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                group.addTask { [pollInterval = self.configuration.pollInterval] in
                    while !Task.isCancelled {
                        try? await Task.sleep(for: pollInterval)
                        self.wake()
                    }
                }
                for await _ in events {
                    await self.cycle(group: &group, client: client)
                    self.state.withLockedValue { $0.completedCycles += 1 }
                }
                await self.waitForDeliveries(upTo: self.configuration.shutdownGracePeriod)
                group.cancelAll()
            }
        } onGracefulShutdown: {
            self.state.withLockedValue { $0.isStopping = true }
            continuation.finish()
        }

        // Runs even when this task is cancelled: the claims of cancelled deliveries go back.
        await Task { await self.writeCompletions() }.value
        self.state.withLockedValue {
            $0.continuation = nil
            $0.isStopping = true
        }
        if self.providedHTTPClient == nil {
            try? await client.shutdown()
        }
        self.logger.debug("SNS delivery pipeline stopped")
    }

    // MARK: - The loop

    /// Writes finished deliveries back, then claims and starts as many due deliveries as the limits
    /// allow.
    private func cycle(group: inout DiscardingTaskGroup, client: HTTPClient) async {
        await self.writeCompletions()
        while true {
            let now = self.clock.now()
            let snapshot = self.state.withLockedValue { state in
                state.recentThrottled = state.recentThrottled.compactMapValues { times in
                    let recent = times.filter { $0 > now - 1000 }
                    return recent.isEmpty ? nil : recent
                }
                return (
                    stopping: state.isStopping, ids: Array(state.inFlight.keys), perEndpoint: state.perEndpoint,
                    recentThrottled: state.recentThrottled.mapValues(\.count)
                )
            }
            let free = self.configuration.maximumConcurrentDeliveries - snapshot.ids.count
            guard !snapshot.stopping, free > 0 else { return }
            let limit = self.configuration.maximumConcurrentDeliveriesPerEndpoint
            let busy = snapshot.perEndpoint.filter { $0.value >= limit }.map(\.key)
            let lease = now + self.configuration.claimDuration.milliseconds
            let claimed: [DeliveryStore.Candidate]
            let dropped: [DeliveryStore.Candidate]
            do {
                guard try await self.store.hasCandidates(now: now, excludingIDs: snapshot.ids, excludingEndpoints: busy)
                else { return }
                (claimed, dropped) = try await self.store.claim(
                    now: now, lease: lease,
                    limit: self.configuration.batchSize, excludingIDs: snapshot.ids, excludingEndpoints: busy
                ) { candidates in
                    Self.choose(
                        from: candidates, free: free, perEndpoint: snapshot.perEndpoint, limit: limit,
                        recentThrottled: snapshot.recentThrottled)
                }
            } catch {
                self.logger.error("Reading due SNS deliveries failed", metadata: ["error": "\(error)"])
                return
            }
            for candidate in dropped {
                self.recordDropped(candidate)
            }
            for candidate in claimed {
                let job = self.job(for: candidate, lease: lease)
                let isNotification = candidate.kind != DeliveryPayload.Kind.confirmation.rawValue
                // As `choose` counted it.
                let throttled =
                    isNotification && job.maxReceivesPerSecond != nil && Self.isHTTPURL(job.endpoint)
                    ? candidate.subscriptionID : nil
                self.state.withLockedValue { state in
                    state.inFlight[job.id] = job.endpoint
                    state.perEndpoint[job.endpoint, default: 0] += 1
                    if let throttled { state.recentThrottled[throttled, default: []].append(now) }
                }
                group.addTask {
                    await self.deliver(job, client: client)
                }
            }
            if claimed.isEmpty && dropped.isEmpty {
                return
            }
        }
    }

    /// Which candidates to drop (their subscription is gone, or is not in the state the delivery
    /// needs) and which to claim (oldest first, within the free slots, the per-endpoint limit and
    /// the subscription's `throttlePolicy`: at most `maxReceivesPerSecond` claimed in any second,
    /// counting `recentThrottled`, the claims of the last second by subscription id). Throttled
    /// candidates stay due for a later cycle.
    static func choose(
        from candidates: [DeliveryStore.Candidate], free: Int, perEndpoint: [String: Int], limit: Int,
        recentThrottled: [String: Int] = [:]
    ) -> (claim: [DeliveryStore.Candidate], drop: [DeliveryStore.Candidate]) {
        var claim: [DeliveryStore.Candidate] = []
        var drop: [DeliveryStore.Candidate] = []
        var counts = perEndpoint
        var throttled = recentThrottled
        // Rows of one subscription share its attributes: read its throttle once.
        var rates: [String: Int?] = [:]
        for candidate in candidates {
            guard candidate.subscriptionID != nil, let endpoint = candidate.endpoint else {
                drop.append(candidate)
                continue
            }
            let isConfirmation = candidate.kind == DeliveryPayload.Kind.confirmation.rawValue
            if candidate.confirmed == isConfirmation {
                drop.append(candidate)
                continue
            }
            guard claim.count < free, counts[endpoint, default: 0] < limit else { continue }
            if !isConfirmation, let subscription = candidate.subscriptionID {
                let rate: Int?
                if let known = rates[subscription] {
                    rate = known
                } else {
                    rate = Self.maxReceivesPerSecond(candidate)
                    rates[subscription] = rate
                }
                if let rate {
                    guard throttled[subscription, default: 0] < rate else { continue }
                    throttled[subscription, default: 0] += 1
                }
            }
            counts[endpoint, default: 0] += 1
            claim.append(candidate)
        }
        return (claim, drop)
    }

    /// The `throttlePolicy` of an HTTP/HTTPS candidate's subscription, if any.
    static func maxReceivesPerSecond(_ candidate: DeliveryStore.Candidate) -> Int? {
        // Most subscriptions have no throttle anywhere in their attributes: nothing to parse.
        guard
            candidate.subscriptionAttributes?.contains("hrottlePolicy") == true
                || candidate.topicAttributes?.contains("hrottlePolicy") == true,
            let endpoint = candidate.endpoint, Self.isHTTPURL(endpoint)
        else { return nil }
        return HTTPDeliveryPolicy.effective(
            topicDeliveryPolicy: DeliveryOptions.attributes(candidate.topicAttributes)["DeliveryPolicy"],
            subscriptionDeliveryPolicy: DeliveryOptions.attributes(candidate.subscriptionAttributes)["DeliveryPolicy"]
        ).maxReceivesPerSecond
    }

    /// Whether an endpoint is an `http://` or `https://` URL (the scheme in any case, as
    /// `Subscribe` accepts it), not an e-mail address.
    static func isHTTPURL(_ endpoint: String) -> Bool {
        let scheme = endpoint.prefix(8).lowercased()
        return scheme.hasPrefix("http://") || scheme.hasPrefix("https://")
    }

    private func job(for candidate: DeliveryStore.Candidate, lease: Int64) -> Job {
        let payload: Result<DeliveryPayload, DeliveryRenderError>
        do {
            payload = .success(try JSONDecoder().decode(DeliveryPayload.self, from: Data(candidate.payload.utf8)))
        } catch {
            payload = .failure(DeliveryRenderError("the stored payload cannot be read: \(error)"))
        }
        let decoded = try? payload.get()
        let protocolName = decoded?.protocol ?? "unknown"
        let topicAttributes = DeliveryOptions.attributes(candidate.topicAttributes)
        // Computed once per delivery: its retry schedule, throttle and Content-Type.
        let httpPolicy: HTTPDeliveryPolicy?
        switch protocolName {
        case "email", "email-json":
            httpPolicy = nil
        default:
            let subscriptionAttributes = DeliveryOptions.attributes(candidate.subscriptionAttributes)
            httpPolicy = .effective(
                topicDeliveryPolicy: topicAttributes["DeliveryPolicy"],
                subscriptionDeliveryPolicy: subscriptionAttributes["DeliveryPolicy"])
        }
        return Job(
            id: candidate.id,
            payload: payload,
            attempts: candidate.attempts,
            previousNextAttempt: candidate.nextAttempt,
            lease: lease,
            endpoint: candidate.endpoint ?? "",
            options: DeliveryOptions(topicAttributes: topicAttributes, httpPolicy: httpPolicy),
            retryPolicy: httpPolicy.map { DeliveryRetryPolicy($0.healthyRetryPolicy) }
                ?? self.configuration.emailRetryPolicy,
            maxReceivesPerSecond: httpPolicy?.maxReceivesPerSecond,
            topic: decoded.map { Self.topicName(of: $0.topicArn) } ?? "unknown",
            protocolName: protocolName
        )
    }

    private func recordDropped(_ candidate: DeliveryStore.Candidate) {
        let payload = try? JSONDecoder().decode(DeliveryPayload.self, from: Data(candidate.payload.utf8))
        let topic = payload.map { Self.topicName(of: $0.topicArn) } ?? "unknown"
        let protocolName = payload?.protocol ?? "unknown"
        self.counters.record(.dropped, topic: topic, protocol: protocolName)
        let reason =
            candidate.subscriptionID == nil
            ? "subscription deleted"
            : candidate.confirmed ? "subscription already confirmed" : "subscription not confirmed"
        self.logger.debug(
            "SNS delivery dropped",
            metadata: [
                "sns.delivery_id": "\(candidate.id)", "sns.topic": "\(topic)", "sns.protocol": "\(protocolName)",
                "sns.reason": "\(reason)",
            ])
    }

    /// Writes the results collected so far; on failure they are kept for the next try.
    private func writeCompletions() async {
        let completions = self.state.withLockedValue { state in
            let completions = state.completions
            state.completions = []
            return completions
        }
        guard !completions.isEmpty else { return }
        do {
            try await self.store.complete(completions)
        } catch {
            self.logger.error("Recording SNS delivery results failed", metadata: ["error": "\(error)"])
            self.state.withLockedValue { $0.completions.insert(contentsOf: completions, at: 0) }
        }
    }

    /// Waits until no delivery is in progress, at most `duration`.
    private func waitForDeliveries(upTo duration: Duration) async {
        let deadline = ContinuousClock.now + duration
        while !Task.isCancelled, ContinuousClock.now < deadline,
            self.state.withLockedValue({ !$0.inFlight.isEmpty })
        {
            try? await Task.sleep(for: .milliseconds(10))
        }
    }

    /// The name at the end of a topic ARN.
    static func topicName(of topicArn: String) -> String {
        topicArn.split(separator: ":", omittingEmptySubsequences: false).last.map(String.init) ?? topicArn
    }

    private func makeHTTPClient() -> HTTPClient {
        var configuration = HTTPClient.Configuration(
            tlsConfiguration: self.configuration.httpTLSConfiguration,
            redirectConfiguration: .disallow,
            timeout: .init(
                connect: .init(self.configuration.httpConnectTimeout), read: .init(self.configuration.httpTimeout)),
            // Many subscribers may share a host: as many connections to one host as deliveries at once
            // (the per-endpoint limit still applies to each URL).
            connectionPool: .init(
                idleTimeout: .seconds(60),
                concurrentHTTP1ConnectionsPerHostSoftLimit: self.configuration.maximumConcurrentDeliveries
            ),
            decompression: .disabled
        )
        configuration.httpVersion = .http1Only
        return HTTPClient(eventLoopGroup: MultiThreadedEventLoopGroup.singleton, configuration: configuration)
    }
}

extension Duration {
    /// The duration in whole milliseconds.
    var milliseconds: Int64 {
        let (seconds, attoseconds) = self.components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}

extension TimeAmount {
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        self = .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
