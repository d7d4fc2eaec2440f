import CustomerAPIs
import Kafka
import Synchronization

/// An event whose API work is over and whose reply (and dead letter) waits to be written. A class:
/// it is handed from lane to queue to writer to retry, and one reference count is cheaper than
/// copying its strings each time.
final class AnsweredEvent: Sendable {
    let pending: PendingEvent
    let records: [KafkaOutgoingRecord]
    let event: DecodedEvent
    let resolution: EventResolution

    init(pending: PendingEvent, records: [KafkaOutgoingRecord], event: DecodedEvent, resolution: EventResolution) {
        self.pending = pending
        self.records = records
        self.event = event
        self.resolution = resolution
    }
}

/// The hand-over from the lanes, which answer events, to the reply writer, which writes their
/// replies in batches: one producer call and one wake-up per batch instead of per event.
///
/// Unbounded by itself: the pipeline's admission window bounds what can be in it.
final class ReplyQueue: Sendable {
    private struct State {
        var events: [AnsweredEvent] = []
        var waiter: CheckedContinuation<[AnsweredEvent], Never>?
        var finished = false
    }

    private let state = Mutex(State())

    /// Adds an answered event; wakes the writer when it waits.
    func append(_ event: AnsweredEvent) {
        let woken = state.withLock { state -> (CheckedContinuation<[AnsweredEvent], Never>, [AnsweredEvent])? in
            guard let waiter = state.waiter else {
                state.events.append(event)
                return nil
            }
            state.waiter = nil
            return (waiter, [event])
        }
        if let (waiter, events) = woken { waiter.resume(returning: events) }
    }

    /// Everything queued, waiting until there is something; empty once finished and drained.
    func next() async -> [AnsweredEvent] {
        await withCheckedContinuation { (continuation: CheckedContinuation<[AnsweredEvent], Never>) in
            let ready = state.withLock { state -> [AnsweredEvent]? in
                if !state.events.isEmpty || state.finished {
                    let events = state.events
                    state.events = []
                    return events
                }
                state.waiter = continuation
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }

    /// No more events will come: `next` returns what is left, then empty.
    func finish() {
        let waiter = state.withLock { state -> CheckedContinuation<[AnsweredEvent], Never>? in
            state.finished = true
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(returning: [])
    }
}
