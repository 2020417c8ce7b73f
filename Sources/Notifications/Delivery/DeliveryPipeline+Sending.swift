import AsyncHTTPClient
import Foundation
import Logging
import NIOCore

extension DeliveryPipeline {
    /// Attempts one claimed delivery and records what came of it.
    func deliver(_ job: Job, client: HTTPClient) async {
        let result: DeliveryAttemptResult
        switch job.payload {
        case .success(let payload):
            result = await self.attempt(payload, options: job.options, client: client)
        case .failure(let error):
            result = .permanent(error.description)
        }
        let attempt = job.attempts + 1
        var metadata: Logger.Metadata = [
            "sns.delivery_id": "\(job.id)", "sns.topic": "\(job.topic)", "sns.protocol": "\(job.protocolName)",
            "sns.attempt": "\(attempt)",
        ]
        let completion: DeliveryStore.Completion
        switch result {
        case .delivered:
            self.counters.record(.delivered, topic: job.topic, protocol: job.protocolName)
            self.logger.debug("SNS delivery delivered", metadata: metadata)
            completion = .delete(id: job.id)
        case .cancelled:
            completion = .release(id: job.id, lease: job.lease, nextAttempt: job.previousNextAttempt)
        case .permanent(let reason):
            self.counters.record(.failed, topic: job.topic, protocol: job.protocolName)
            metadata["sns.error"] = "\(reason)"
            self.logger.warning("SNS delivery failed permanently; given up", metadata: metadata)
            completion = .delete(id: job.id)
        case .retryable(let reason):
            metadata["sns.error"] = "\(reason)"
            if let delay = job.retryPolicy.delay(beforeRetry: Int(attempt)) {
                self.counters.record(.retried, topic: job.topic, protocol: job.protocolName)
                self.logger.info("SNS delivery failed; will retry", metadata: metadata)
                completion = .reschedule(
                    id: job.id, lease: job.lease, attempts: attempt, nextAttempt: self.clock.now() + delay.milliseconds,
                    lastError: String(reason.prefix(1000)))
            } else {
                self.counters.record(.failed, topic: job.topic, protocol: job.protocolName)
                self.logger.warning("SNS delivery failed; retry policy exhausted, given up", metadata: metadata)
                completion = .delete(id: job.id)
            }
        }
        self.finished(job, completion)
    }

    private func finished(_ job: Job, _ completion: DeliveryStore.Completion) {
        let continuation = self.state.withLockedValue { state in
            state.inFlight[job.id] = nil
            let remaining = (state.perEndpoint[job.endpoint] ?? 1) - 1
            state.perEndpoint[job.endpoint] = remaining > 0 ? remaining : nil
            state.completions.append(completion)
            return state.continuation
        }
        continuation?.yield()
    }

    /// Renders and sends; never throws.
    private func attempt(_ payload: DeliveryPayload, options: DeliveryOptions, client: HTTPClient) async
        -> DeliveryAttemptResult
    {
        do {
            let date = Date(millisecondsSince1970: self.clock.now())
            switch try self.renderer.render(payload, options: options, date: date) {
            case .email(let message, let envelopeSender, let recipient):
                try await self.mailTransport.send(message, envelopeSender: envelopeSender, recipients: [recipient])
            case .http(let request):
                try await self.post(request, client: client)
            }
            return .delivered
        } catch {
            if Task.isCancelled {
                return .cancelled
            }
            return .classify(error)
        }
    }

    /// POSTs an HTTP/HTTPS delivery; a 2xx answer is success.
    private func post(_ delivery: HTTPDeliveryRequest, client: HTTPClient) async throws {
        var request = HTTPClientRequest(url: delivery.url)
        request.method = .POST
        for header in delivery.headers {
            request.headers.add(name: header.name, value: header.value)
        }
        request.body = .bytes(ByteBuffer(bytes: delivery.body))
        let response = try await client.execute(request, timeout: TimeAmount(self.configuration.httpTimeout))
        // Read (and discard) what the endpoint answers, so the connection can be reused.
        _ = try? await response.body.collect(upTo: 64 * 1024)
        guard (200..<300).contains(Int(response.status.code)) else {
            throw HTTPDeliveryStatusError(status: Int(response.status.code))
        }
    }
}
