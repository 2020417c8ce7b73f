import NIOCore

/// Holds off reading from a publisher while subscribers its messages went to are under
/// pressure (see ``Session``): the publisher's socket fills and TCP slows it down, as a
/// single-threaded broker slows its publishers by simply being busy.
///
/// Reading resumes when every session it waits for has eased, or after the stall timeout at
/// the latest: a subscriber that stays congested that long is stalled and no longer waited
/// for. A value owned by the connection handler, on the publisher's event loop.
struct PublisherFlowControl {
    /// Whether reads are held back.
    private(set) var isPaused = false
    private var readPending = false
    private var waitingFor = 0
    /// Tells one pause from the next, so that late wake-ups of an earlier one are ignored.
    private(set) var episode = 0
    private var timeout: Scheduled<Void>?

    /// Starts a pause (unless one is running) that ends after `stallTimeout` at the latest,
    /// by calling `onTimeout` with the episode; then counts `sessions` more waits.
    /// Returns the episode the waits belong to.
    mutating func pause(
        waitingFor sessions: Int, on eventLoop: any EventLoop, stallTimeout: TimeAmount,
        onTimeout: @escaping @Sendable (Int) -> Void
    ) -> Int {
        if !isPaused {
            isPaused = true
            episode &+= 1
            waitingFor = 0
            let current = episode
            timeout = eventLoop.scheduleTask(in: stallTimeout) { onTimeout(current) }
        }
        waitingFor += sessions
        return episode
    }

    /// Whether a `read` may go through now; otherwise it is remembered for the resume.
    mutating func mayRead() -> Bool {
        if isPaused { readPending = true }
        return !isPaused
    }

    /// One session of `episode` eased. Returns whether to issue the read held back.
    mutating func eased(episode: Int) -> Bool {
        guard isPaused, episode == self.episode else { return false }
        waitingFor -= 1
        return waitingFor <= 0 ? resume(episode: episode) : false
    }

    /// Ends the pause of `episode` (all eased, or timed out). Returns whether to issue the read
    /// held back.
    mutating func resume(episode: Int) -> Bool {
        guard isPaused, episode == self.episode else { return false }
        timeout?.cancel()
        timeout = nil
        isPaused = false
        defer { readPending = false }
        return readPending
    }

    /// Stops everything (the connection is closing).
    mutating func cancel() {
        timeout?.cancel()
        timeout = nil
        isPaused = false
        readPending = false
    }
}
