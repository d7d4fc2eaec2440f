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
        if index < entry.results.count, entry.results[index] == nil {
            entry.results[index] = result
            entry.remaining -= 1
        }
        if entry.remaining == 0, let waiter = entry.waiter {
            return (waiter, Self.finalResults(entry))
        }
        pending[batchID] = entry
        return nil
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
