import Synchronization

/// When the reply writer may hand its next batch of answered events to the producer: once every
/// event of the previous hand-over had the broker's first answer (acknowledged or failed), or once
/// that hand-over's wait limit passed, whichever comes first. A value type; ``ReplyHandOverGate``
/// holds it with the waiting writer.
///
/// Why: handing over whatever is answered at once gave librdkafka a trickle, one small produce
/// request and one delivery report per event or two, when events are answered one by one (an API
/// of 20 ms answers the 256 in flight one at a time). Waiting for the broker's answer to the
/// previous hand-over gathers what is answered meanwhile into the next one. The limit keeps the
/// promise that a partition that cannot be written holds up only its own events: its events'
/// answers do not come, so each hand-over waits out the limit and the others' replies go on.
struct ReplyHandOverPacing: Sendable, Equatable {
    /// The number of the latest hand-over; answers and limits of earlier ones change nothing.
    private(set) var handOver: UInt64 = 0
    /// Events of the latest hand-over whose first answer has not come.
    private(set) var unanswered = 0
    /// Whether the writer waits to hand over again.
    private(set) var writerWaits = false

    /// The writer handed `count` events over: their answers are awaited. Returns the hand-over's
    /// number.
    mutating func handedOver(count: Int) -> UInt64 {
        handOver &+= 1
        unanswered = max(0, count)
        writerWaits = false
        return handOver
    }

    /// The writer wants to hand over again: `true` when it may at once, `false` when it waits
    /// (a later ``answered(handOver:)`` or ``limitPassed(handOver:)`` returns `true` for it).
    mutating func writerWantsToHandOver() -> Bool {
        if unanswered == 0 { return true }
        writerWaits = true
        return false
    }

    /// `count` events of hand-over `number` had their first answers: `true` when the waiting
    /// writer goes on now.
    mutating func answered(handOver number: UInt64, count: Int = 1) -> Bool {
        guard number == handOver, unanswered > 0 else { return false }
        unanswered = max(0, unanswered - count)
        return unanswered == 0 && release()
    }

    /// The wait limit of hand-over `number` passed: `true` when the waiting writer goes on now.
    mutating func limitPassed(handOver number: UInt64) -> Bool {
        guard number == handOver else { return false }
        unanswered = 0
        return release()
    }

    private mutating func release() -> Bool {
        defer { writerWaits = false }
        return writerWaits
    }
}

/// The ``ReplyHandOverPacing`` of one reply writer, and the writer's wait.
final class ReplyHandOverGate: Sendable {
    private struct State {
        var pacing = ReplyHandOverPacing()
        var writer: CheckedContinuation<Void, Never>?
    }

    private let state = Mutex(State())

    /// The writer handed `count` events over; returns the hand-over's number.
    func handedOver(count: Int) -> UInt64 {
        state.withLock { $0.pacing.handedOver(count: count) }
    }

    /// `count` events of hand-over `number` had their first answers.
    func answered(handOver number: UInt64, count: Int = 1) {
        resumeWriter(if: { $0.answered(handOver: number, count: count) })
    }

    /// The wait limit of hand-over `number` passed.
    func limitPassed(handOver number: UInt64) {
        resumeWriter(if: { $0.limitPassed(handOver: number) })
    }

    /// Returns once the writer may hand over again: at once, or after the answers or the limit.
    /// `startLimit` is called only when the writer has to wait: it arranges for
    /// ``limitPassed(handOver:)`` later.
    func waitToHandOver(startLimit: () -> Void) async {
        let mustWait = state.withLock { !$0.pacing.writerWantsToHandOver() }
        guard mustWait else { return }
        startLimit()
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let goOn = state.withLock { state -> Bool in
                // Released between the check above and now: go on at once.
                guard state.pacing.writerWaits else { return true }
                state.writer = continuation
                return false
            }
            if goOn { continuation.resume() }
        }
    }

    private func resumeWriter(if transition: (inout ReplyHandOverPacing) -> Bool) {
        let writer = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard transition(&state.pacing) else { return nil }
            defer { state.writer = nil }
            return state.writer
        }
        writer?.resume()
    }
}
