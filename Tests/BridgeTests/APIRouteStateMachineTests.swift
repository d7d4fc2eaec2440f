@testable import Bridge
import CustomerAPIs
import Testing
import TestSupport

/// The route's state machine on its own, with explicit instants (docs/contract.md, "Circuit"): attempt
/// accounting, the circuit's probes, and the pause that follows "an event of this API waits".
@Suite struct APIRouteStateMachineTests {
    typealias Machine = APIRoute.StateMachine
    let start = ContinuousClock.now
    static let ok = APIOutcome.success(APISuccess(httpStatus: 200, resultID: "r"))
    static let unavailable = APIOutcome.failure(APIFailure(kind: .transient, code: "HTTP_503", message: "HTTP 503", httpStatus: 503))
    static let unauthorized = APIOutcome.failure(APIFailure(kind: .outage, code: "401-01", message: "HTTP 401: Unauthorized", httpStatus: 401))
    static let unprocessable = APIOutcome.failure(APIFailure(kind: .permanent, code: "HTTP_422", message: "HTTP 422", httpStatus: 422))

    func at(_ seconds: Double) -> ContinuousClock.Instant {
        start.advanced(by: .milliseconds(Int64(seconds * 1000)))
    }

    /// Three attempts, a 5 s probe interval, no rate limit.
    func machine(maxAttempts: Int = 3, maxRPS: Double = 0) -> Machine {
        Machine(
            policy: RetryPolicy(base: .milliseconds(200), max: .seconds(30), maxAttempts: maxAttempts),
            circuit: CircuitBreaker(threshold: 20, probeInterval: .seconds(5)),
            rateLimiter: RateLimiter(maxRequestsPerSecond: maxRPS))
    }

    /// Sends for `event` at `time` and answers `outcome` at the same instant.
    func answer(
        _ machine: inout Machine, _ event: inout APIRoute.Attempts, _ outcome: APIOutcome, at time: Double
    ) -> (APIRoute.Action, [APIRoute.Effect]) {
        var jitter = MaximumGenerator()  // jitter picks the ceiling, so backoffs are exact
        return machine.answered(&event, outcome, sentAt: at(time), now: at(time), using: &jitter)
    }

    @Test func aSuccessFinishesWithOneAttempt() {
        var machine = machine()
        var event = APIRoute.Attempts()
        #expect(machine.permit(&event, now: at(0)) == (.send(probe: false), []))
        let (action, effects) = answer(&machine, &event, Self.ok, at: 0)
        #expect(action == .finish(Self.ok, attempts: 1))
        #expect(effects.isEmpty)
    }

    @Test func transientFailuresUseTheBudgetThenFailWhileTheAPIServesOthers() {
        var machine = machine()
        var event = APIRoute.Attempts()
        var other = APIRoute.Attempts()
        _ = machine.permit(&event, now: at(0))
        #expect(answer(&machine, &event, Self.unavailable, at: 0).0 == .sleep(until: at(0.2)))
        // Another event succeeds meanwhile: the API serves others.
        _ = machine.permit(&other, now: at(0.1))
        _ = answer(&machine, &other, Self.ok, at: 0.1)
        #expect(machine.permit(&event, now: at(0.2)).0 == .send(probe: false))
        #expect(answer(&machine, &event, Self.unavailable, at: 0.2).0 == .sleep(until: at(0.6)))
        #expect(machine.permit(&event, now: at(0.6)).0 == .send(probe: false))
        let (action, effects) = answer(&machine, &event, Self.unavailable, at: 0.6)
        #expect(action == .finish(Self.unavailable, attempts: 3))
        #expect(effects.isEmpty)
        #expect(!machine.circuit.isOpen)
    }

    @Test func anEventOutOfAttemptsWhileTheAPIAnswersNobodyOpensTheCircuitAndWaits() {
        var machine = machine()
        var event = APIRoute.Attempts()
        for time in [0.0, 0.2, 0.6] {
            #expect(machine.permit(&event, now: at(time)).0 == .send(probe: false))
            if time < 0.6 { _ = answer(&machine, &event, Self.unavailable, at: time) }
        }
        let (action, effects) = answer(&machine, &event, Self.unavailable, at: 0.6)
        #expect(action == .waitForCircuit(until: at(5.6), generation: 0))
        #expect(effects.count == 2)
        #expect(effects.last == .pauseTopics)
        #expect(machine.waitingEvents == 1)
        #expect(event.counted == 0, "a fresh budget once the circuit lets the event go")

        // The probe: sent, reported, but not counted against the budget.
        #expect(machine.permit(&event, now: at(5.6)) == (.send(probe: true), []))
        let (done, closing) = answer(&machine, &event, Self.ok, at: 5.7)
        #expect(done == .finish(Self.ok, attempts: 4))
        #expect(closing == [.circuitClosed, .resumeTopics])
        #expect(machine.waitingEvents == 0)
    }

    @Test func anOutageAnswerOpensTheCircuitAndGivesTheAttemptBack() {
        var machine = machine(maxAttempts: 1)
        var event = APIRoute.Attempts()
        _ = machine.permit(&event, now: at(0))
        let (action, effects) = answer(&machine, &event, Self.unauthorized, at: 0)
        #expect(action == .waitForCircuit(until: at(5), generation: 0))
        #expect(effects == [.circuitOpened(reason: "401-01: HTTP 401: Unauthorized"), .pauseTopics])
        #expect(event.counted == 0)
        // Back after the outage: the event still has its whole budget (one attempt).
        #expect(machine.permit(&event, now: at(5)).0 == .send(probe: true))
        #expect(answer(&machine, &event, Self.unauthorized, at: 5).0 == .waitForCircuit(until: at(10), generation: 0))
        #expect(machine.permit(&event, now: at(10)).0 == .send(probe: true))
        #expect(answer(&machine, &event, Self.ok, at: 10).0 == .finish(Self.ok, attempts: 3))
    }

    /// The 401 → 422 case of issue 13: the probe's own event is failed with its 422, and the
    /// circuit closes, so the events behind it go. (Before: the circuit stayed open.)
    @Test func aProbeAnsweredWithAPermanentFailureClosesTheCircuitAndKeepsItsOutcome() {
        var machine = machine()
        var event = APIRoute.Attempts()
        _ = machine.permit(&event, now: at(0))
        _ = answer(&machine, &event, Self.unauthorized, at: 0)
        #expect(machine.permit(&event, now: at(5)).0 == .send(probe: true))
        let (action, effects) = answer(&machine, &event, Self.unprocessable, at: 5.1)
        #expect(action == .finish(Self.unprocessable, attempts: 2))
        #expect(effects == [.circuitClosed, .resumeTopics])
        var next = APIRoute.Attempts()
        #expect(machine.permit(&next, now: at(5.2)).0 == .send(probe: false))
    }

    @Test func aTransientProbeAnswerKeepsTheCircuitOpenAndTheEventWaiting() {
        var machine = machine()
        var event = APIRoute.Attempts()
        _ = machine.permit(&event, now: at(0))
        _ = answer(&machine, &event, Self.unauthorized, at: 0)
        _ = machine.permit(&event, now: at(5))
        let (action, effects) = answer(&machine, &event, Self.unavailable, at: 5.1)
        #expect(action == .waitForCircuit(until: at(10), generation: 0))
        #expect(effects.isEmpty, "still open, still paused")
        #expect(machine.circuit.isOpen)
        #expect(machine.waitingEvents == 1)
        #expect(machine.topicsPaused)
    }

    /// Contract section 3: topics are paused only while an event waits; when none does (the
    /// waiting events were abandoned, their partitions moved away), fetching resumes and the next
    /// event of the API is the next probe.
    @Test func noWaitingEventResumesAndTheNextEventIsTheProbe() {
        var machine = machine()
        var first = APIRoute.Attempts()
        var second = APIRoute.Attempts()
        _ = machine.permit(&first, now: at(0))
        #expect(answer(&machine, &first, Self.unauthorized, at: 0).1 == [.circuitOpened(reason: "401-01: HTTP 401: Unauthorized"), .pauseTopics])
        #expect(machine.permit(&second, now: at(1)) == (.waitForCircuit(until: at(5), generation: 0), []))
        #expect(machine.waitingEvents == 2)
        #expect(machine.abandoned(&first).isEmpty)
        #expect(machine.abandoned(&second) == [.resumeTopics])
        #expect(machine.waitingEvents == 0)
        #expect(machine.circuit.isOpen, "only a probe can close it")

        // A new event before the probe is due waits (and pauses again); at the due time it probes.
        var next = APIRoute.Attempts()
        #expect(machine.permit(&next, now: at(3)) == (.waitForCircuit(until: at(5), generation: 0), [.pauseTopics]))
        #expect(machine.permit(&next, now: at(5)) == (.send(probe: true), []))
        #expect(answer(&machine, &next, Self.ok, at: 5.1) == (.finish(Self.ok, attempts: 1), [.circuitClosed, .resumeTopics]))

        // Once the probe interval passed, the next event to come is the probe at once.
        var late = machine
        var lone = APIRoute.Attempts()
        var opener = APIRoute.Attempts()
        _ = late.permit(&opener, now: at(6))
        _ = answer(&late, &opener, Self.unauthorized, at: 6)
        _ = late.abandoned(&opener)
        #expect(late.permit(&lone, now: at(20)) == (.send(probe: true), [.pauseTopics]))
    }

    @Test func waitersAreWokenByTheCircuitClosingAndByWakeAll() {
        var machine = machine()
        var prober = APIRoute.Attempts()
        var waiter = APIRoute.Attempts()
        _ = machine.permit(&prober, now: at(0))
        _ = answer(&machine, &prober, Self.unauthorized, at: 0)
        guard case .waitForCircuit(_, let generation) = machine.permit(&waiter, now: at(1)).0 else {
            Issue.record("the waiter must wait for the circuit")
            return
        }
        _ = machine.permit(&prober, now: at(5))
        #expect(machine.generation == generation, "a probe going out wakes nobody")
        _ = answer(&machine, &prober, Self.ok, at: 5.1)
        #expect(machine.generation != generation, "the circuit closing must wake the waiters")
        #expect(machine.permit(&waiter, now: at(5.1)) == (.send(probe: false), []))
        let before = machine.generation
        machine.wakeAll()
        #expect(machine.generation != before)
    }

    @Test func aRateLimitedEventSleepsUntilItsSlotWithoutTakingTheProbe() {
        var machine = machine(maxRPS: 2)
        var first = APIRoute.Attempts()
        var second = APIRoute.Attempts()
        #expect(machine.permit(&first, now: at(0)).0 == .send(probe: false))
        #expect(machine.permit(&second, now: at(0)).0 == .sleep(until: at(0.5)))
        #expect(machine.permit(&second, now: at(0.5)).0 == .send(probe: false))
        #expect(second.sent == 1)
    }

    @Test func aRetryAfterIsHonoured() {
        var machine = machine()
        var event = APIRoute.Attempts()
        let tooMany = APIOutcome.failure(APIFailure(
            kind: .transient, code: "429-01", message: "HTTP 429", httpStatus: 429, retryAfter: .seconds(2)))
        _ = machine.permit(&event, now: at(0))
        #expect(answer(&machine, &event, tooMany, at: 0).0 == .sleep(until: at(2)))
    }
}
