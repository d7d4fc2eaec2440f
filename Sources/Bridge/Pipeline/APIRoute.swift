import CustomerAPIs
import Logging
import Synchronization

/// Everything between a valid request and its final outcome for one API: attempts, backoff,
/// `Retry-After`, the rate limit, and the API's circuit (docs/contract.md, "Retries", "Rate limits" and "Circuit").
///
/// One route per API is shared by every event of that API, so the circuit sees all of its
/// answers. The decisions are the route's ``StateMachine``'s, taken under one lock that is never
/// held across a suspension; this class only sends, sleeps and waits as it says. While the circuit
/// is open, events wait here — neither failed nor dead-lettered — woken by the circuit's
/// transitions and by the probe falling due, and one probe request per probe interval tests
/// whether the API is back.
///
/// What the machine asks of the owner (log, readiness, pause or resume the API's topics) goes to
/// the observer outside the lock, in the order the machine decided it, one effect at a time.
final class APIRoute: Sendable {
    /// What became of a request.
    enum Delivery: Sendable {
        /// The request succeeded or failed for good; `attempts` counts every request sent.
        case finished(APIOutcome, attempts: Int)
        /// The work was abandoned (shutdown or a revoked partition) before an outcome was final.
        case abandoned
    }

    /// Told of the route's effects, in order; it must not call back into the route.
    typealias EffectObserver = @Sendable (EventKind, Effect) -> Void

    private struct Shared: Sendable {
        var machine: StateMachine
        /// Tasks waiting for a wake-up (`waitForCircuit`, a backoff), each under its id.
        var sleepers: [UInt64: Sleeper] = [:]
        /// Ids woken before their task registered (the timer fired, or the task was cancelled, first).
        var wokenEarly: Set<UInt64> = []
        var nextSleeperID: UInt64 = 0
        /// Effects decided and not yet handed to the observer, oldest first.
        var effects: [Effect] = []
        /// Whether a task is handing effects to the observer now (only one does, so they stay in order).
        var deliveringEffects = false
    }

    private struct Sleeper: Sendable {
        var generation: UInt64
        var continuation: CheckedContinuation<Void, Never>
    }

    let kind: EventKind
    private let client: APIClient
    private let shared: Mutex<Shared>
    private let observer: EffectObserver
    private let metrics: BridgeMetrics

    init(kind: EventKind, client: APIClient, policy: RetryPolicy, circuit: CircuitBreaker, rateLimiter: RateLimiter,
         metrics: BridgeMetrics, observer: @escaping EffectObserver) {
        self.kind = kind
        self.client = client
        self.shared = Mutex(Shared(machine: StateMachine(policy: policy, circuit: circuit, rateLimiter: rateLimiter)))
        self.metrics = metrics
        self.observer = observer
    }

    /// Whether the circuit is open, and why.
    var openReason: String? {
        shared.withLock { $0.machine.circuit.isOpen ? ($0.machine.circuit.reason ?? "circuit open") : nil }
    }

    /// How many events wait for the open circuit now.
    var waitingEvents: Int { shared.withLock { $0.machine.waitingEvents } }

    /// Sends `request` until it succeeds, fails for good, or `isAbandoned` says to stop.
    /// `isAbandoned` is asked after every wait and right before every send, so revoked work never
    /// reaches the API later; call ``wakeAll()`` when it may have changed, to end waits early.
    /// `isBeingRevoked` is asked after a wait for the circuit: an event that can only wait gives
    /// up when its partition is being revoked, rather than hold the revoke (and the group's
    /// rebalance) for the revoke's whole grace.
    func deliver(
        _ request: APIRequest, correlationID: String, traceparent: String?,
        isAbandoned: @Sendable () -> Bool, isBeingRevoked: @Sendable () -> Bool = { false }
    ) async -> Delivery {
        var event = Attempts()
        var generator = SystemRandomNumberGenerator()
        if isAbandoned() || Task.isCancelled { return .abandoned }
        var action = step { $0.permit(&event, now: .now) }
        while true {
            switch action {
            case .finish(let outcome, let attempts):
                return .finished(outcome, attempts: attempts)
            case .sleep(let until):
                await sleep(until: until, isAbandoned: isAbandoned)
            case .waitForCircuit(let until, let generation):
                await wait(until: until, generation: generation)
                if isBeingRevoked() {
                    step { ((), $0.abandoned(&event)) }
                    return .abandoned
                }
            case .send:
                let started = ContinuousClock.now
                let outcome: APIOutcome
                do {
                    outcome = try await client.send(request, correlationID: correlationID, traceparent: traceparent)
                } catch {
                    step { ((), $0.abandoned(&event)) }
                    return .abandoned
                }
                metrics.recordAPICall(kind: kind, duration: ContinuousClock.now - started, outcome: outcome)
                action = step { $0.answered(&event, outcome, sentAt: started, now: .now, using: &generator) }
                if case .sleep = action { metrics.recordRetry(kind: kind) }
                continue
            }
            // After any wait: abandoned work stops here, before it could send.
            if isAbandoned() || Task.isCancelled {
                step { ((), $0.abandoned(&event)) }
                return .abandoned
            }
            action = step { $0.permit(&event, now: .now) }
        }
    }

    /// Wakes every waiting task of this route, so each asks again whether its work was abandoned
    /// (a revoke ended, or a shutdown gave up on its work).
    func wakeAll() {
        step { machine in
            machine.wakeAll()
            return ((), [])
        }
    }

    // MARK: - The machine, the effects and the sleepers

    /// Takes one step of the machine under the lock; then wakes the sleepers its generation let
    /// go and hands its effects to the observer, both outside the lock.
    @discardableResult
    private func step<Result: Sendable>(_ body: (inout StateMachine) -> (Result, [Effect])) -> Result {
        let (result, woken, deliver) = shared.withLock { shared -> (Result, [CheckedContinuation<Void, Never>], Bool) in
            let before = shared.machine.generation
            let (result, effects) = body(&shared.machine)
            var woken: [CheckedContinuation<Void, Never>] = []
            if shared.machine.generation != before {
                let generation = shared.machine.generation
                for (id, sleeper) in shared.sleepers where sleeper.generation != generation {
                    woken.append(sleeper.continuation)
                    shared.sleepers[id] = nil
                }
            }
            shared.effects.append(contentsOf: effects)
            let deliver = !shared.effects.isEmpty && !shared.deliveringEffects
            if deliver { shared.deliveringEffects = true }
            return (result, woken, deliver)
        }
        woken.forEach { $0.resume() }
        if deliver { deliverEffects() }
        return result
    }

    /// Hands queued effects to the observer until none is left. Only one task does this at a time;
    /// effects another task queues meanwhile are handed on by this one, after the earlier ones.
    private func deliverEffects() {
        while true {
            let batch = shared.withLock { shared -> [Effect] in
                let batch = shared.effects
                shared.effects = []
                if batch.isEmpty { shared.deliveringEffects = false }
                return batch
            }
            if batch.isEmpty { return }
            for effect in batch { observer(kind, effect) }
        }
    }

    /// Sleeps until `deadline`, ending early only when the task is cancelled or its work abandoned
    /// (``wakeAll()``); a circuit transition does not cut a backoff short.
    private func sleep(until deadline: ContinuousClock.Instant, isAbandoned: @Sendable () -> Bool) async {
        while ContinuousClock.now < deadline, !isAbandoned(), !Task.isCancelled {
            let generation = shared.withLock { $0.machine.generation }
            await wait(until: deadline, generation: generation)
        }
    }

    /// Waits until `deadline`, until the machine's generation moves past `generation`, or until
    /// the task is cancelled, whichever comes first.
    private func wait(until deadline: ContinuousClock.Instant, generation: UInt64) async {
        let id = shared.withLock { shared -> UInt64 in
            shared.nextSleeperID &+= 1
            return shared.nextSleeperID
        }
        await withTaskGroup(of: Void.self) { timer in
            timer.addTask {
                do {
                    try await Task.sleep(until: deadline, clock: .continuous)
                    self.wake(id)
                } catch {}  // cancelled: the wait ended another way
            }
            await withTaskCancellationHandler {
                await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                    let now = shared.withLock { shared -> Bool in
                        if shared.machine.generation != generation || shared.wokenEarly.remove(id) != nil { return true }
                        shared.sleepers[id] = Sleeper(generation: generation, continuation: continuation)
                        return false
                    }
                    if now { continuation.resume() }
                }
            } onCancel: {
                self.wake(id)
            }
            timer.cancelAll()
        }
        // A timer that fired while the wait ended another way leaves its id behind.
        shared.withLock { _ = $0.wokenEarly.remove(id) }
    }

    /// Ends the wait of `id`, or marks it woken when its task has not registered yet.
    private func wake(_ id: UInt64) {
        let continuation = shared.withLock { shared -> CheckedContinuation<Void, Never>? in
            if let sleeper = shared.sleepers.removeValue(forKey: id) { return sleeper.continuation }
            shared.wokenEarly.insert(id)
            return nil
        }
        continuation?.resume()
    }
}
