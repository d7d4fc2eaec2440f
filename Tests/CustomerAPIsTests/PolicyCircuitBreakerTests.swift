import Testing
@testable import CustomerAPIs

@Suite struct PolicyCircuitBreakerTests {
    let start = ContinuousClock.now
    static let ok = APIOutcome.success(APISuccess(httpStatus: 200, resultID: "r"))
    static let unavailable = APIOutcome.failure(APIFailure(kind: .transient, code: "HTTP_503", message: "HTTP 503", httpStatus: 503))
    static let unauthorized = APIOutcome.failure(APIFailure(kind: .outage, code: "401-01", message: "HTTP 401: Unauthorized", httpStatus: 401))
    static let badEvent = APIOutcome.failure(APIFailure(kind: .permanent, code: "HTTP_400", message: "HTTP 400", httpStatus: 400))

    func at(_ seconds: Double) -> ContinuousClock.Instant {
        start.advanced(by: .milliseconds(Int64(seconds * 1000)))
    }

    @Test func closedCircuitSends() {
        var circuit = CircuitBreaker(threshold: 3, probeInterval: .seconds(5))
        #expect(circuit.permit(now: start) == .send)
        #expect(!circuit.isOpen)
        #expect(circuit.reason == nil)
    }

    @Test func opensOnTheFirst401() {
        var circuit = CircuitBreaker(threshold: 20, probeInterval: .seconds(5))
        let transition = circuit.record(Self.unauthorized, now: start)
        guard case .opened(let reason) = transition else {
            Issue.record("expected the circuit to open, got \(String(describing: transition))")
            return
        }
        #expect(reason.contains("401-01"))
        #expect(circuit.isOpen)
        #expect(circuit.reason == reason)
    }

    @Test func opensOnThresholdTransientFailuresInARow() {
        var circuit = CircuitBreaker(threshold: 3, probeInterval: .seconds(5))
        #expect(circuit.record(Self.unavailable, now: at(0)) == nil)
        #expect(circuit.record(Self.unavailable, now: at(1)) == nil)
        #expect(circuit.record(Self.unavailable, now: at(2)) == .opened(reason: "3 transient failures in a row, the last HTTP_503"))
        #expect(circuit.isOpen)
    }

    @Test func aSuccessOrAPermanentFailureBreaksTheRun() {
        var circuit = CircuitBreaker(threshold: 3, probeInterval: .seconds(5))
        _ = circuit.record(Self.unavailable, now: at(0))
        _ = circuit.record(Self.unavailable, now: at(1))
        #expect(circuit.record(Self.ok, now: at(2)) == nil)
        _ = circuit.record(Self.unavailable, now: at(3))
        _ = circuit.record(Self.unavailable, now: at(4))
        #expect(circuit.record(Self.badEvent, now: at(5)) == nil)
        _ = circuit.record(Self.unavailable, now: at(6))
        _ = circuit.record(Self.unavailable, now: at(7))
        #expect(!circuit.isOpen)
        #expect(circuit.consecutiveTransientFailures == 2)
    }

    @Test func openCircuitGrantsOneProbePerInterval() {
        var circuit = CircuitBreaker(threshold: 20, probeInterval: .seconds(5))
        _ = circuit.record(Self.unauthorized, now: at(0))
        #expect(circuit.permit(now: at(1)) == .wait(until: at(5)))
        #expect(circuit.permit(now: at(5)) == .probe)
        #expect(circuit.permit(now: at(5)) == .wait(until: at(10)))
        #expect(circuit.permit(now: at(9.9)) == .wait(until: at(10)))
        // The probe failed: still open, the next probe is due on schedule.
        #expect(circuit.record(Self.unauthorized, now: at(6)) == nil)
        #expect(circuit.isOpen)
        #expect(circuit.permit(now: at(12)) == .probe)
        #expect(circuit.permit(now: at(12)) == .wait(until: at(17)))
    }

    @Test func successfulProbeClosesTheCircuit() {
        var circuit = CircuitBreaker(threshold: 20, probeInterval: .seconds(5))
        _ = circuit.record(Self.unauthorized, now: at(0))
        #expect(circuit.permit(now: at(5)) == .probe)
        #expect(circuit.record(Self.ok, now: at(5.2)) == .closed)
        #expect(!circuit.isOpen)
        #expect(circuit.permit(now: at(5.3)) == .send)
    }

    /// docs/contract.md, "Circuit": a probe answered with a permanent failure (the event's own fault, a 422)
    /// shows the API judging events again, so it closes the circuit. (Before: it stayed open.)
    @Test func permanentProbeAnswerClosesIt() {
        var circuit = CircuitBreaker(threshold: 20, probeInterval: .seconds(5))
        _ = circuit.record(Self.unauthorized, now: at(0))
        #expect(circuit.permit(now: at(5)) == .probe)
        #expect(circuit.record(Self.badEvent, now: at(5.1), probe: true) == .closed)
        #expect(!circuit.isOpen)
        #expect(circuit.permit(now: at(5.2)) == .send)
    }

    @Test func aPermanentAnswerThatWasNoProbeLeavesItOpen() {
        // A request sent before the circuit opened and answered 422 after: not a probe.
        var circuit = CircuitBreaker(threshold: 20, probeInterval: .seconds(5))
        _ = circuit.record(Self.unauthorized, now: at(0))
        #expect(circuit.record(Self.badEvent, now: at(0.1)) == nil)
        #expect(circuit.isOpen)
    }

    @Test func aTransientProbeAnswerKeepsItOpen() {
        var circuit = CircuitBreaker(threshold: 20, probeInterval: .seconds(5))
        _ = circuit.record(Self.unauthorized, now: at(0))
        #expect(circuit.permit(now: at(5)) == .probe)
        #expect(circuit.record(Self.unavailable, now: at(5.1), probe: true) == nil)
        #expect(circuit.isOpen)
        #expect(circuit.permit(now: at(6)) == .wait(until: at(10)))
    }

    @Test func exhaustedEventWithoutAnyOtherSuccessOpensTheCircuit() {
        var circuit = CircuitBreaker(threshold: 20, probeInterval: .seconds(5))
        _ = circuit.record(Self.ok, now: at(0))
        for second in 1...8 { _ = circuit.record(Self.unavailable, now: at(Double(second))) }
        let transition = circuit.eventExhausted(firstAttempt: at(1), now: at(9))
        guard case .opened = transition else {
            Issue.record("expected the circuit to open, got \(String(describing: transition))")
            return
        }
        #expect(circuit.isOpen)
        // Already open: no second transition, still open.
        #expect(circuit.eventExhausted(firstAttempt: at(2), now: at(9.5)) == nil)
        #expect(circuit.isOpen)
    }

    @Test func exhaustedEventWhileTheAPIServesOthersIsTheEventsFault() {
        var circuit = CircuitBreaker(threshold: 20, probeInterval: .seconds(5))
        _ = circuit.record(Self.unavailable, now: at(1))
        _ = circuit.record(Self.ok, now: at(2))
        _ = circuit.record(Self.unavailable, now: at(3))
        #expect(circuit.eventExhausted(firstAttempt: at(1), now: at(4)) == nil)
        #expect(!circuit.isOpen)
        #expect(circuit.hasSucceeded(since: at(1)))
        #expect(!circuit.hasSucceeded(since: at(2.5)))
    }

    @Test func aSuccessOfARequestSentBeforeTheEventsFirstAttemptDoesNotCount() {
        // A request sent at 0.9 s, before the outage, is answered with success at 1.2 s, after the
        // event's first attempt (1 s) failed: it says nothing about the API since 1 s.
        var circuit = CircuitBreaker(threshold: 20, probeInterval: .seconds(5))
        _ = circuit.record(Self.unavailable, now: at(1.1), sentAt: at(1))
        _ = circuit.record(Self.ok, now: at(1.2), sentAt: at(0.9))
        _ = circuit.record(Self.unavailable, now: at(1.3), sentAt: at(1.25))
        #expect(circuit.eventExhausted(firstAttempt: at(1), now: at(1.4)) != nil)
        #expect(circuit.isOpen)
        // A success of a request sent after the first attempt does count.
        var served = CircuitBreaker(threshold: 20, probeInterval: .seconds(5))
        _ = served.record(Self.unavailable, now: at(1.1), sentAt: at(1))
        _ = served.record(Self.ok, now: at(1.3), sentAt: at(1.05))
        #expect(served.eventExhausted(firstAttempt: at(1), now: at(1.4)) == nil)
        #expect(!served.isOpen)
    }

    @Test func exhaustedEventWithNoSuccessEverOpens() {
        var circuit = CircuitBreaker(threshold: 20, probeInterval: .seconds(5))
        #expect(circuit.eventExhausted(firstAttempt: at(0), now: at(1)) != nil)
        #expect(circuit.permit(now: at(1)) == .wait(until: at(6)))
    }
}
