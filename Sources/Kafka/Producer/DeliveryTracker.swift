/// The producer's sends awaiting delivery reports: one entry per `send(batch:)`, matched to
/// reports by the opaque id each record carries (batch id in the high bits, index in the low 24).
/// A value type with no I/O.
///
/// Outcomes are kept as 16-byte `DeliveryOutcome`s (no strings, no generic enums), so the
/// delivery thread's per-record work is a store into an array; the sender turns them into
/// `Result`s with its own records' topics.
struct DeliveryTracker {
    typealias Outcomes = [DeliveryOutcome]
    /// Who waits for a batch's outcomes: called once with them, outside the producer's lock (on the
    /// producer's delivery thread, or on the waiting caller's when they were in already).
    typealias Waiter = @Sendable (Outcomes) -> Void

    static let indexBits: UInt64 = 24
    static let maxBatchCount = 1 << 24

    private struct Pending {
        var outcomes: Outcomes
        var remaining: Int
        var waiter: Waiter?

        /// Stores the outcome of record `index` unless it is unknown or already reported.
        mutating func set(_ index: Int, _ outcome: DeliveryOutcome) {
            guard index < outcomes.count, outcomes[index].isPending else { return }
            outcomes[index] = outcome
            remaining -= 1
        }
    }

    private var pending: [UInt64: Pending] = [:]
    private var nextBatchID: UInt64 = 1

    /// Starts tracking a batch of `count` records; returns its id.
    mutating func begin(count: Int) -> UInt64 {
        let id = nextBatchID
        nextBatchID += 1
        pending[id] = Pending(outcomes: Outcomes(repeating: .pending, count: count), remaining: count, waiter: nil)
        return id
    }

    /// The opaque id of record `index` of batch `batchID` (never 0).
    static func opaque(batchID: UInt64, index: Int) -> UInt64 {
        batchID << indexBits | UInt64(index)
    }

    /// Records one outcome; returns the batch's waiter and outcomes when this completed a batch that waits.
    mutating func record(opaque: UInt64, _ outcome: DeliveryOutcome) -> (Waiter, Outcomes)? {
        record(CollectionOfOne((opaque, outcome))).first
    }

    /// Records many outcomes, taking each batch's entry out once per run of reports for it
    /// (reports arrive grouped by batch, and moving the entry out lets its array be written in
    /// place). Returns the waiters of batches this completed.
    mutating func record<Reports: Sequence>(_ reports: Reports) -> [(Waiter, Outcomes)]
    where Reports.Element == (UInt64, DeliveryOutcome) {
        var finished: [(Waiter, Outcomes)] = []
        var currentID: UInt64 = 0
        var current: Pending?
        func putBack() {
            guard let entry = current else { return }
            current = nil
            if entry.remaining == 0, let waiter = entry.waiter {
                finished.append((waiter, entry.outcomes))
            } else {
                pending[currentID] = entry
            }
        }
        for (opaque, outcome) in reports {
            let batchID = opaque >> Self.indexBits
            if batchID != currentID || current == nil {
                putBack()
                currentID = batchID
                current = pending.removeValue(forKey: batchID)
            }
            current?.set(Int(opaque & ((1 << Self.indexBits) - 1)), outcome)
        }
        putBack()
        return finished
    }

    /// Registers the sender's waiter; returns the outcomes at once if the batch is already complete.
    mutating func wait(batchID: UInt64, _ waiter: @escaping Waiter) -> Outcomes? {
        guard let entry = pending[batchID] else { return [] }
        if entry.remaining == 0 {
            pending[batchID] = nil
            return entry.outcomes
        }
        pending[batchID]?.waiter = waiter
        return nil
    }

    /// Fails every record still unreported with librdkafka's `code` and completes every batch.
    /// Returns the waiters to resume; a batch without a waiter yet stays, so its sender's `wait`
    /// returns at once (with the records reported before, and the failed ones).
    mutating func failAll(code: Int32) -> [(Waiter, Outcomes)] {
        var resumed: [(Waiter, Outcomes)] = []
        for batchID in Array(pending.keys) {
            guard var entry = pending.removeValue(forKey: batchID) else { continue }
            for index in entry.outcomes.indices where entry.outcomes[index].isPending {
                entry.outcomes[index] = .failed(code)
            }
            entry.remaining = 0
            if let waiter = entry.waiter {
                resumed.append((waiter, entry.outcomes))
            } else {
                pending[batchID] = entry
            }
        }
        return resumed
    }
}

/// What the broker (or librdkafka) said about one record: where it was stored, or an error code.
struct DeliveryOutcome: Equatable {
    /// `rd_kafka_resp_err_t` raw value: 0 when stored, `pendingCode` while unreported.
    var code: Int32
    var partition: Int32
    var offset: Int64

    /// Marks a record without a report yet.
    static let pendingCode = Int32.min
    static let pending = DeliveryOutcome(code: pendingCode, partition: -1, offset: -1)

    var isPending: Bool { code == Self.pendingCode }

    /// A record stored at `partition` / `offset`.
    static func stored(partition: Int32, offset: Int64) -> DeliveryOutcome {
        DeliveryOutcome(code: 0, partition: partition, offset: offset)
    }

    /// A record that failed with librdkafka's `code`.
    static func failed(_ code: Int32) -> DeliveryOutcome {
        DeliveryOutcome(code: code, partition: -1, offset: -1)
    }
}

