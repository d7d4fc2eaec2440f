import Kafka
import Synchronization

/// The first results of the events of one reply hand-over, collected as the producer completes
/// them, in whatever order: the writer's task for the hand-over takes what has come each time it
/// wakes, so many events cost it one wake-up, and an event whose partition cannot be written
/// holds up none of the others.
final class ReplyHandOverResults: Sendable {
    typealias Results = [Result<KafkaDeliveryReport, KafkaError>]

    private struct State {
        var ready: [(event: Int, results: Results)] = []
        var taker: CheckedContinuation<[(event: Int, results: Results)], Never>?
    }

    private let state = Mutex(State())

    /// The results of the hand-over's event `event` (its index) came.
    func deliver(event: Int, _ results: Results) {
        let woken = state.withLock { state -> (CheckedContinuation<[(event: Int, results: Results)], Never>, [(event: Int, results: Results)])? in
            state.ready.append((event, results))
            guard let taker = state.taker else { return nil }
            state.taker = nil
            defer { state.ready = [] }
            return (taker, state.ready)
        }
        if let (taker, ready) = woken { taker.resume(returning: ready) }
    }

    /// What came since the last call, waiting until something has. One taker at a time.
    func next() async -> [(event: Int, results: Results)] {
        await withCheckedContinuation { (continuation: CheckedContinuation<[(event: Int, results: Results)], Never>) in
            let ready = state.withLock { state -> [(event: Int, results: Results)]? in
                if state.ready.isEmpty {
                    state.taker = continuation
                    return nil
                }
                defer { state.ready = [] }
                return state.ready
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }
}
