/// The producer's sends awaiting delivery reports: one entry per `send(batch:)`, matched to
/// reports by the opaque id each record carries (batch id in the high bits, index in the low 24).
/// A value type with no I/O.
struct DeliveryTracker {
    typealias Results = [Result<KafkaDeliveryReport, KafkaError>]
    typealias Waiter = CheckedContinuation<Results, Never>

    static let indexBits: UInt64 = 24
    static let maxBatchCount = 1 << 24

    private struct Pending {
        var results: [Result<KafkaDeliveryReport, KafkaError>?]
        var remaining: Int
        var waiter: Waiter?

        /// Stores the result of record `index` unless it is unknown or already reported.
        mutating func set(_ index: Int, _ result: Result<KafkaDeliveryReport, KafkaError>) {
            guard index < results.count, results[index] == nil else { return }
            results[index] = result
            remaining -= 1
        }
    }

    private var pending: [UInt64: Pending] = [:]
    private var nextBatchID: UInt64 = 1

    /// Starts tracking a batch of `count` records; returns its id.
    mutating func begin(count: Int) -> UInt64 {
        let id = nextBatchID
        nextBatchID += 1
        pending[id] = Pending(results: Array(repeating: nil, count: count), remaining: count, waiter: nil)
        return id
    }

    /// The opaque id of record `index` of batch `batchID` (never 0).
    static func opaque(batchID: UInt64, index: Int) -> UInt64 {
        batchID << indexBits | UInt64(index)
    }

    /// Records a result; returns the batch's waiter and results when this completed a batch that waits.
    mutating func record(opaque: UInt64, _ result: Result<KafkaDeliveryReport, KafkaError>) -> (Waiter, Results)? {
        let batchID = opaque >> Self.indexBits
        let index = Int(opaque & ((1 << Self.indexBits) - 1))
        // Moved out and back so the results array is mutated in place, never copied.
        guard var entry = pending.removeValue(forKey: batchID) else { return nil }
        entry.set(index, result)
        if entry.remaining == 0, let waiter = entry.waiter {
            return (waiter, Self.finalResults(entry))
        }
        pending[batchID] = entry
        return nil
    }

    /// Records many results, taking each batch's entry out once per run of reports for it
    /// (reports arrive grouped by batch). Returns the waiters of batches this completed.
    mutating func record(_ reports: [(UInt64, Result<KafkaDeliveryReport, KafkaError>)]) -> [(Waiter, Results)] {
        var finished: [(Waiter, Results)] = []
        var currentID: UInt64 = 0
        var current: Pending?
        func putBack() {
            guard let entry = current else { return }
            if entry.remaining == 0, let waiter = entry.waiter {
                finished.append((waiter, Self.finalResults(entry)))
            } else {
                pending[currentID] = entry
            }
            current = nil
        }
        for (opaque, result) in reports {
            let batchID = opaque >> Self.indexBits
            let index = Int(opaque & ((1 << Self.indexBits) - 1))
            if batchID != currentID || current == nil {
                putBack()
                currentID = batchID
                current = pending.removeValue(forKey: batchID)
            }
            current?.set(index, result)
        }
        putBack()
        return finished
    }

    /// Registers the sender's waiter; returns the results at once if the batch is already complete.
    mutating func wait(batchID: UInt64, _ waiter: Waiter) -> Results? {
        guard let entry = pending[batchID] else { return [] }
        if entry.remaining == 0 { return complete(batchID) }
        pending[batchID]?.waiter = waiter
        return nil
    }

    /// Fails every record still outstanding with `error`; returns waiters to resume.
    mutating func failAll(_ error: KafkaError) -> [(Waiter, Results)] {
        var resumed: [(Waiter, Results)] = []
        for batchID in Array(pending.keys) {
            guard var entry = pending[batchID] else { continue }
            for index in entry.results.indices where entry.results[index] == nil {
                entry.results[index] = .failure(error)
            }
            entry.remaining = 0
            pending[batchID] = entry
            if let waiter = entry.waiter { resumed.append((waiter, complete(batchID))) }
        }
        return resumed
    }

    private mutating func complete(_ batchID: UInt64) -> Results {
        guard let entry = pending.removeValue(forKey: batchID) else { return [] }
        return Self.finalResults(entry)
    }

    private static func finalResults(_ entry: Pending) -> Results {
        entry.results.map { $0 ?? .failure(KafkaError.closed) }
    }
}
