import CustomerAPIs
import Logging
import Synchronization

/// Everything between a valid request and its final outcome for one API: attempts, backoff,
/// `Retry-After`, and the API's circuit (CONTRACT section 3).
///
/// One route per API is shared by every event of that API, so the circuit sees all of its
/// answers. While the circuit is open, events wait here — they are neither failed nor
/// dead-lettered — and one probe request per probe interval tests whether the API is back.
///
/// The circuit and the rate limit sit under one lock, taken twice per request (for the permit and
/// for the answer) and never across a suspension: cheaper than an actor, whose every call is a
/// switch of executor and, under contention, a hop to another thread.
final class APIRoute: Sendable {
    /// What became of a request.
    enum Delivery: Sendable {
        /// The request succeeded or failed for good; `attempts` counts the attempts that counted.
        case finished(APIOutcome, attempts: Int)
        /// The work was abandoned (shutdown or a revoked partition) before an outcome was final.
        case abandoned
    }

    /// Told when the circuit opens or closes, so the pipeline can pause or resume the API's topics.
    typealias TransitionObserver = @Sendable (EventKind, CircuitBreaker.Transition) -> Void

    private struct Guards {
        var circuit: CircuitBreaker
        var rateLimiter: RateLimiter
    }

    let kind: EventKind
    private let client: APIClient
    private let policy: RetryPolicy
    private let guards: Mutex<Guards>
    private let observer: TransitionObserver
    private let metrics: BridgeMetrics
    /// How often a waiting event looks at the circuit again; short enough that a closed circuit
    /// releases the backlog at once, long enough to cost nothing.
    private let recheckInterval: Duration = .milliseconds(50)

    init(kind: EventKind, client: APIClient, policy: RetryPolicy, circuit: CircuitBreaker, rateLimiter: RateLimiter,
         metrics: BridgeMetrics, observer: @escaping TransitionObserver) {
        self.kind = kind
        self.client = client
        self.policy = policy
        self.guards = Mutex(Guards(circuit: circuit, rateLimiter: rateLimiter))
        self.metrics = metrics
        self.observer = observer
    }

    /// Whether the circuit is open, and why.
    var openReason: String? {
        guards.withLock { $0.circuit.isOpen ? ($0.circuit.reason ?? "circuit open") : nil }
    }

    /// Sends `request` until it succeeds, fails for good, or `isAbandoned` says to stop.
    func deliver(
        _ request: APIRequest, correlationID: String, traceparent: String?,
        isAbandoned: @Sendable () -> Bool
    ) async -> Delivery {
        let firstAttempt = ContinuousClock.now
        // Every attempt is reported on the reply; only attempts made while the circuit was closed
        // use up the retry budget.
        var attempts = 0
        var counted = 0
        var generator = SystemRandomNumberGenerator()
        while true {
            guard let (permit, slot) = await waitForPermit(isAbandoned: isAbandoned) else { return .abandoned }
            attempts += 1
            if case .send = permit { counted += 1 }
            if slot > .now {
                do { try await Task.sleep(until: slot, clock: .continuous) } catch { return .abandoned }
            }
            let started = ContinuousClock.now
            let outcome: APIOutcome
            do {
                outcome = try await client.send(request, correlationID: correlationID, traceparent: traceparent)
            } catch {
                return .abandoned
            }
            metrics.recordAPICall(kind: kind, duration: ContinuousClock.now - started, outcome: outcome)
            record(outcome, sentAt: started)
            switch outcome {
            case .success:
                return .finished(outcome, attempts: attempts)
            case .failure(let failure):
                switch failure.kind {
                case .permanent:
                    return .finished(outcome, attempts: attempts)
                case .outage:
                    // Not the event's fault: the circuit is open now, and this attempt does not count.
                    if case .send = permit { counted -= 1 }
                case .transient:
                    if case .probe = permit {
                        continue  // the circuit stays open; wait for the next probe
                    } else if policy.mayRetry(afterAttempt: counted) {
                        metrics.recordRetry(kind: kind)
                        let delay = policy.delay(afterAttempt: counted, retryAfter: failure.retryAfter, using: &generator)
                        guard await sleep(delay, isAbandoned: isAbandoned) else { return .abandoned }
                    } else if exhausted(firstAttempt: firstAttempt) {
                        // The API answered nobody since this event began: an outage. Wait for the circuit,
                        // then start a fresh budget.
                        counted = 0
                    } else {
                        return .finished(outcome, attempts: attempts)
                    }
                }
            }
        }
    }

    /// Waits until the circuit lets a request through, and says whether it is a probe and when the
    /// rate limit lets it go. Returns `nil` when the work was abandoned.
    private func waitForPermit(isAbandoned: @Sendable () -> Bool) async -> (CircuitBreaker.Permit, ContinuousClock.Instant)? {
        while true {
            if isAbandoned() || Task.isCancelled { return nil }
            let now = ContinuousClock.now
            // A rate-limit slot is reserved only for a request the circuit lets through.
            let (permit, slot) = guards.withLock { guards in
                let permit = guards.circuit.permit(now: now)
                if case .wait = permit { return (permit, now) }
                return (permit, guards.rateLimiter.reserve(now: now))
            }
            switch permit {
            case .send, .probe:
                return (permit, slot)
            case .wait(let until):
                let wake = min(until, ContinuousClock.now + recheckInterval)
                do { try await Task.sleep(until: wake, clock: .continuous) } catch { return nil }
            }
        }
    }

    /// Feeds an answer to the rate limit and the circuit; tells the observer when the circuit
    /// opened or closed. The observer is called under the lock, so transitions reach it in the
    /// order they happened (they are rare; it pauses or resumes topics and must not call back).
    private func record(_ outcome: APIOutcome, sentAt: ContinuousClock.Instant) {
        guards.withLock { guards in
            guards.rateLimiter.record(outcome)
            if let transition = guards.circuit.record(outcome, now: .now, sentAt: sentAt) { observer(kind, transition) }
        }
    }

    private func exhausted(firstAttempt: ContinuousClock.Instant) -> Bool {
        guards.withLock { guards in
            if let transition = guards.circuit.eventExhausted(firstAttempt: firstAttempt, now: .now) {
                observer(kind, transition)
            }
            return guards.circuit.isOpen
        }
    }

    /// Sleeps `delay` in short steps so abandoned work stops promptly.
    private func sleep(_ delay: Duration, isAbandoned: @Sendable () -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + delay
        while ContinuousClock.now < deadline {
            if isAbandoned() { return false }
            let step = min(deadline, ContinuousClock.now + .milliseconds(250))
            do { try await Task.sleep(until: step, clock: .continuous) } catch { return false }
        }
        return !isAbandoned()
    }
}
