import CustomerAPIs

extension APIRoute {
    /// One event's way through its API's route (docs/contract.md, "Retries" and "Circuit"): how many attempts it made,
    /// how many of them used up its retry budget, and whether it waits for the circuit. A value the
    /// delivering task owns and hands to the route's ``StateMachine`` with each step.
    struct Attempts: Sendable, Equatable {
        /// Every request sent for the event, probes included: what its reply reports.
        fileprivate(set) var sent = 0
        /// The attempts of the current budget: sent while the circuit was closed and not answered
        /// with an outage (an outage is not the event's fault).
        fileprivate(set) var counted = 0
        /// When the current budget's first counted attempt was sent; `nil` before it. An event that
        /// runs out of attempts is an outage, not its own fault, when the API answered nobody since.
        fileprivate(set) var budgetStart: ContinuousClock.Instant?
        /// Whether the event is one of those waiting for the open circuit.
        fileprivate(set) var waitsForCircuit = false
        /// Whether the request in flight is the circuit's probe.
        fileprivate(set) var probing = false

        init() {}
    }

    /// What the delivering task does next.
    enum Action: Sendable, Equatable {
        /// Send the request now (the rate-limit slot, and the probe when `probe`, are taken).
        case send(probe: Bool)
        /// Wait until `until` (a backoff or the next rate-limit slot), then ask again with
        /// ``StateMachine/permit(_:now:)``.
        case sleep(until: ContinuousClock.Instant)
        /// Wait for the circuit: until the next probe is due at `until`, or until the machine's
        /// ``StateMachine/generation`` moves past `generation` (the circuit closed, or waiters must
        /// look at their work again); then ask again.
        case waitForCircuit(until: ContinuousClock.Instant, generation: UInt64)
        /// The request succeeded or failed for good; `attempts` is what the reply reports.
        case finish(APIOutcome, attempts: Int)
    }

    /// What the route's owner must do, in this order, outside the route's lock.
    enum Effect: Sendable, Equatable {
        /// The circuit opened, for `reason` (no secret in it).
        case circuitOpened(reason: String)
        /// The circuit closed.
        case circuitClosed
        /// An event of this API waits for its open circuit: pause the API's topics on every
        /// partition this member owns.
        case pauseTopics
        /// No event of this API waits for its circuit any more (it closed, or the waiting events
        /// failed, finished or moved to another member): resume the API's topics.
        case resumeTopics
    }

    /// The shared part of one API's route: the circuit, the rate limit, and how many events wait
    /// for the circuit. Every event of the API takes its steps here, under the route's lock; a
    /// value type without I/O: the caller passes the time, and acts on what it returns.
    struct StateMachine: Sendable {
        let policy: RetryPolicy
        private(set) var circuit: CircuitBreaker
        private(set) var rateLimiter: RateLimiter
        /// Events of this API waiting for its open circuit (the one probing among them).
        private(set) var waitingEvents = 0
        /// Whether the API's topics are paused, as the effects told the owner so far.
        private(set) var topicsPaused = false
        /// Moves on every change waiting tasks must see at once: the circuit closed, or ``wakeAll()``.
        private(set) var generation: UInt64 = 0

        init(policy: RetryPolicy, circuit: CircuitBreaker, rateLimiter: RateLimiter) {
            self.policy = policy
            self.circuit = circuit
            self.rateLimiter = rateLimiter
        }

        /// An event asks to send its request at `now`: send (the circuit is closed, or its probe is
        /// due), sleep until the rate limit's next slot, or wait for the circuit.
        mutating func permit(_ event: inout Attempts, now: ContinuousClock.Instant) -> (Action, [Effect]) {
            var effects: [Effect] = []
            let action = grant(&event, now: now)
            followWaiting(into: &effects)
            return (action, effects)
        }

        /// The answer to an event's request came at `now` (the request went at `sentAt`): finish,
        /// back off, or wait for the circuit. Attempts sent while the circuit is open (probes) and
        /// attempts answered with an outage use up no budget.
        mutating func answered(
            _ event: inout Attempts, _ outcome: APIOutcome, sentAt: ContinuousClock.Instant, now: ContinuousClock.Instant,
            using generator: inout some RandomNumberGenerator
        ) -> (Action, [Effect]) {
            let probe = event.probing
            event.probing = false
            rateLimiter.record(outcome)
            var effects: [Effect] = []
            note(circuit.record(outcome, now: now, sentAt: sentAt, probe: probe), into: &effects)
            let action: Action
            switch outcome {
            case .success:
                action = finish(&event, outcome)
            case .failure(let failure):
                switch failure.kind {
                case .permanent:
                    action = finish(&event, outcome)
                case .outage:
                    // Not the event's fault: the circuit is open now, and a budgeted attempt is given back.
                    if !probe { refund(&event) }
                    action = grant(&event, now: now)
                case .transient:
                    if probe {
                        action = grant(&event, now: now)  // still open: wait for the next probe
                    } else if policy.mayRetry(afterAttempt: event.counted) {
                        let delay = policy.delay(afterAttempt: event.counted, retryAfter: failure.retryAfter, using: &generator)
                        action = .sleep(until: now.advanced(by: delay))
                    } else {
                        note(circuit.eventExhausted(firstAttempt: event.budgetStart ?? sentAt, now: now), into: &effects)
                        if circuit.isOpen {
                            // The API answered nobody since the budget began: an outage. Wait for the
                            // circuit, then start a fresh budget.
                            event.counted = 0
                            event.budgetStart = nil
                            action = grant(&event, now: now)
                        } else {
                            action = finish(&event, outcome)
                        }
                    }
                }
            }
            followWaiting(into: &effects)
            return (action, effects)
        }

        /// The event's work was abandoned (its partition was revoked, or the bridge stops): it no
        /// longer waits for the circuit.
        mutating func abandoned(_ event: inout Attempts) -> [Effect] {
            event.probing = false
            leaveWaiting(&event)
            var effects: [Effect] = []
            followWaiting(into: &effects)
            return effects
        }

        /// Every waiting task looks at its work again at once (it may have been abandoned).
        mutating func wakeAll() {
            generation &+= 1
        }

        // MARK: - Steps

        private mutating func grant(_ event: inout Attempts, now: ContinuousClock.Instant) -> Action {
            let permit = circuit.peek(now: now)
            if case .wait(let until) = permit {
                joinWaiting(&event)
                return .waitForCircuit(until: until, generation: generation)
            }
            let slot = rateLimiter.earliestSend(now: now)
            if slot > now { return .sleep(until: slot) }
            rateLimiter.take(now: now)
            event.sent += 1
            if case .probe = circuit.permit(now: now) {
                // A probe: the event waits for the circuit while it tests the API for everyone.
                joinWaiting(&event)
                event.probing = true
                return .send(probe: true)
            }
            leaveWaiting(&event)
            if event.budgetStart == nil { event.budgetStart = now }
            event.counted += 1
            return .send(probe: false)
        }

        private mutating func finish(_ event: inout Attempts, _ outcome: APIOutcome) -> Action {
            leaveWaiting(&event)
            return .finish(outcome, attempts: event.sent)
        }

        private func refund(_ event: inout Attempts) {
            event.counted = max(0, event.counted - 1)
            if event.counted == 0 { event.budgetStart = nil }
        }

        private mutating func joinWaiting(_ event: inout Attempts) {
            guard !event.waitsForCircuit else { return }
            event.waitsForCircuit = true
            waitingEvents += 1
        }

        private mutating func leaveWaiting(_ event: inout Attempts) {
            guard event.waitsForCircuit else { return }
            event.waitsForCircuit = false
            waitingEvents -= 1
        }

        private mutating func note(_ transition: CircuitBreaker.Transition?, into effects: inout [Effect]) {
            switch transition {
            case .opened(let reason):
                effects.append(.circuitOpened(reason: reason))
            case .closed:
                effects.append(.circuitClosed)
                // Everyone waiting for the circuit goes at once.
                generation &+= 1
            case nil:
                break
            }
        }

        /// The topics are paused exactly while the circuit is open and an event waits for it.
        private mutating func followWaiting(into effects: inout [Effect]) {
            let pause = circuit.isOpen && waitingEvents > 0
            guard pause != topicsPaused else { return }
            topicsPaused = pause
            effects.append(pause ? .pauseTopics : .resumeTopics)
        }
    }
}
