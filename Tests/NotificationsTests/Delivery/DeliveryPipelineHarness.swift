import Foundation
import Logging
import ServiceLifecycle
import Storage
import Testing

@testable import Notifications

/// Builds pipelines for tests and runs them in a service group.
enum DeliveryPipelineHarness {
    static func configuration(
        httpTimeout: Duration = .seconds(5), shutdownGracePeriod: Duration = .milliseconds(200),
        pollInterval: Duration = .milliseconds(50), perEndpoint: Int = 4
    ) -> DeliveryPipeline.Configuration {
        DeliveryPipeline.Configuration(
            pollInterval: pollInterval, maximumConcurrentDeliveriesPerEndpoint: perEndpoint, httpTimeout: httpTimeout,
            httpConnectTimeout: .seconds(2), shutdownGracePeriod: shutdownGracePeriod)
    }

    static func pipeline(
        database: Database,
        mail: any MailTransport = OutboxDirectory(path: NSTemporaryDirectory() + "/unused-\(UUID())"),
        clock: any DeliveryClock = SystemDeliveryClock(),
        configuration: DeliveryPipeline.Configuration = configuration()
    ) throws -> DeliveryPipeline {
        DeliveryPipeline(
            database: database, renderer: try DeliveryFixtures.renderer(), mailTransport: mail,
            configuration: configuration, clock: clock, logger: Logger(label: "test.sns.delivery"))
    }

    /// Runs `pipeline` while `body` runs, then shuts it down gracefully and waits for it to stop.
    static func running<Result: Sendable>(
        _ pipeline: DeliveryPipeline, _ body: () async throws -> Result
    ) async throws -> Result {
        let group = ServiceGroup(
            configuration: .init(services: [pipeline], logger: Logger(label: "test.sns.group")))
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            let result: Result
            do {
                result = try await body()
            } catch {
                await group.triggerGracefulShutdown()
                try? await tasks.waitForAll()
                throw error
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
            return result
        }
    }

    /// Waits until `pipeline` has completed its first cycle (the one at start).
    static func firstCycle(of pipeline: DeliveryPipeline, sourceLocation: SourceLocation = #_sourceLocation)
        async throws
    {
        try await eventually("the first cycle", sourceLocation: sourceLocation) { pipeline.completedCycles >= 1 }
    }

    /// Wakes `pipeline` and waits until it has completed a cycle that began after this call, so one
    /// that saw every row as it is now: what the pipeline did not start in it, it left due.
    static func freshCycle(of pipeline: DeliveryPipeline, sourceLocation: SourceLocation = #_sourceLocation)
        async throws
    {
        let before = pipeline.completedCycles
        pipeline.wake()
        try await eventually("a cycle", sourceLocation: sourceLocation) { pipeline.completedCycles > before }
        // That cycle may have begun before this call; the next one began after it, and the wake makes
        // sure there is one.
        pipeline.wake()
        try await eventually("a fresh cycle", sourceLocation: sourceLocation) {
            pipeline.completedCycles > before + 1
        }
    }

    /// Waits until `condition` holds, failing the test after `timeout`.
    static func eventually(
        timeout: Duration = .seconds(10), _ what: String = "condition",
        sourceLocation: SourceLocation = #_sourceLocation,
        _ condition: () async throws -> Bool
    ) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(10))
        }
        Issue.record("timed out waiting for \(what)", sourceLocation: sourceLocation)
        throw CancellationError()
    }
}
