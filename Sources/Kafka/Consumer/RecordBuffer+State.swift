/// The state of the bounded buffer between a consumer's poll thread and its record iterators:
/// whole poll batches, the partitions whose delivery is paused, and the records held back for them.
/// A value type with no I/O, so its rules are tested on their own.
struct RecordBufferState {
    typealias Waiter = CheckedContinuation<TakenBatch?, Never>

    /// A batch ready for delivery, with the bytes of its keys and values (counted once, when it
    /// is stored, so a take costs no pass over its records).
    private struct Batch {
        var records: [KafkaRecord]
        var bytes: Int

        init(_ records: [KafkaRecord]) {
            self.records = records
            self.bytes = RecordBufferState.bytes(of: records)
        }
    }

    /// Batches ready for delivery; `head` is the first not yet taken.
    private var batches: [Batch] = []
    private var head = 0
    /// Records ready for delivery (not counting held ones).
    private(set) var count = 0
    /// Bytes of the keys and values of the records ready for delivery.
    private(set) var bytes = 0
    /// Iterators waiting for a batch, by id.
    private var waiters: [(id: Int, continuation: Waiter)] = []
    private var cancelledWaiters: Set<Int> = []
    /// Whether the consumer closed: no more batches.
    private(set) var isFinished = false
    /// Partitions whose records are held back instead of delivered.
    private(set) var paused: Set<KafkaTopicPartition> = []
    /// Records of paused partitions, in order, to deliver on resume.
    private(set) var held: [KafkaTopicPartition: [KafkaRecord]] = [:]
    /// How many times partitions were dropped (revoked), and when each was dropped last: an
    /// iterator compares it with the count it saw when it took its batch.
    private(set) var revocations = 0
    private var lastRevoked: [KafkaTopicPartition: Int] = [:]
    /// Whether the poll thread waits for the buffer to be no longer full.
    private var pollThreadWaitsForSpace = false
    /// Records held before the buffer counts as full.
    let capacity: Int
    /// Bytes of keys and values held before the buffer counts as full, whatever the count: a few
    /// large records fill it as many small ones do (docs/contract.md, "Bounded memory").
    let capacityBytes: Int

    init(capacity: Int, capacityBytes: Int = .max) {
        self.capacity = max(1, capacity)
        self.capacityBytes = max(1, capacityBytes)
    }

    /// Whether the buffer holds `capacity` records or `capacityBytes` bytes.
    var isFull: Bool { count >= capacity || bytes >= capacityBytes }

    /// Whether the buffer has drained to half of both bounds (fetching paused for a full buffer resumes then).
    var isHalfEmpty: Bool { count <= capacity / 2 && bytes <= capacityBytes / 2 }

    /// The bytes of the keys and values of `batch`.
    static func bytes(of batch: some Sequence<KafkaRecord>) -> Int {
        batch.reduce(0) { $0 + ($1.key?.count ?? 0) + ($1.value?.count ?? 0) }
    }

    /// Adds a batch from the poll thread; returns a waiter to resume with it, if one waits.
    mutating func append(_ batch: [KafkaRecord]) -> (Waiter, TakenBatch)? {
        guard !isFinished else { return nil }
        var batch = batch
        if !paused.isEmpty {
            batch = holdBack(batch)
        }
        return enqueue(batch)
    }

    private mutating func enqueue(_ batch: [KafkaRecord]) -> (Waiter, TakenBatch)? {
        guard !batch.isEmpty else { return nil }
        if !waiters.isEmpty {
            return (waiters.removeFirst().continuation, TakenBatch(records: batch, revocations: revocations))
        }
        let stored = Batch(batch)
        batches.append(stored)
        count += batch.count
        bytes += stored.bytes
        return nil
    }

    /// Returns records an iterator took but did not hand out (it was dropped): they go first again.
    mutating func putBack(_ batch: [KafkaRecord]) -> (Waiter, TakenBatch)? {
        guard !isFinished else { return nil }
        let batch = paused.isEmpty ? batch : holdBack(batch)
        guard !batch.isEmpty else { return nil }
        if !waiters.isEmpty {
            return (waiters.removeFirst().continuation, TakenBatch(records: batch, revocations: revocations))
        }
        if head > 0 {
            head -= 1
            batches[head] = Batch(batch)
        } else {
            batches.insert(Batch(batch), at: 0)
        }
        count += batch.count
        bytes += batches[head].bytes
        return nil
    }

    /// Moves records of paused partitions from `batch` into `held`; returns the rest.
    private mutating func holdBack(_ batch: [KafkaRecord]) -> [KafkaRecord] {
        var deliver: [KafkaRecord] = []
        deliver.reserveCapacity(batch.count)
        for record in batch {
            let partition = record.topicPartition
            if paused.contains(partition) {
                held[partition, default: []].append(record)
            } else {
                deliver.append(record)
            }
        }
        return deliver
    }

    enum TakeResult {
        case batch(TakenBatch, wakePollThread: Bool)
        case finished
        case empty
    }

    /// Takes the oldest batch for an iterator.
    mutating func take() -> TakeResult {
        guard head < batches.count else {
            return isFinished ? .finished : .empty
        }
        let batch = batches[head]
        batches[head].records = []
        head += 1
        if head == batches.count {
            batches.removeAll(keepingCapacity: true)
            head = 0
        } else if head >= 1024 {
            batches.removeFirst(head)
            head = 0
        }
        count -= batch.records.count
        bytes -= batch.bytes
        var wake = false
        if pollThreadWaitsForSpace && !isFull {
            pollThreadWaitsForSpace = false
            wake = true
        }
        return .batch(TakenBatch(records: batch.records, revocations: revocations), wakePollThread: wake)
    }

    /// Iterators waiting for a batch.
    var waitingIterators: Int { waiters.count }

    /// Registers a waiting iterator, unless it was cancelled meanwhile (then returns false).
    mutating func addWaiter(id: Int, _ continuation: Waiter) -> Bool {
        if cancelledWaiters.remove(id) != nil { return false }
        waiters.append((id, continuation))
        return true
    }

    /// Removes a cancelled iterator's waiter and returns it, or remembers the id if not yet registered.
    mutating func cancelWaiter(id: Int) -> Waiter? {
        if let index = waiters.firstIndex(where: { $0.id == id }) {
            return waiters.remove(at: index).continuation
        }
        cancelledWaiters.insert(id)
        return nil
    }

    /// For the poll thread: whether the buffer is full; if so, asks to be woken when it is not.
    mutating func isFullMarkingWaiter() -> Bool {
        guard isFull else { return false }
        pollThreadWaitsForSpace = true
        return true
    }

    /// Stops delivery of `partitions`: their buffered records move to `held`.
    mutating func pause(_ partitions: Set<KafkaTopicPartition>) {
        paused.formUnion(partitions)
        rebuildBuffered { state, records in state.holdBack(records) }
    }

    /// Restarts delivery of `partitions`: their held records become deliverable.
    /// Returns waiters to resume with batches.
    mutating func resume(_ partitions: Set<KafkaTopicPartition>) -> [(Waiter, TakenBatch)] {
        paused.subtract(partitions)
        var resumed: [(Waiter, TakenBatch)] = []
        for partition in partitions.sorted(by: { ($0.topic, $0.partition) < ($1.topic, $1.partition) }) {
            if let records = held.removeValue(forKey: partition), let handoff = enqueue(records) {
                resumed.append(handoff)
            }
        }
        return resumed
    }

    /// Drops every buffered and held record of `partitions` (revoked: their next owner redoes them)
    /// and ends their pause: a revoke ends the application's pause of a partition.
    mutating func drop(_ partitions: Set<KafkaTopicPartition>) {
        revocations += 1
        paused.subtract(partitions)
        for partition in partitions {
            held[partition] = nil
            lastRevoked[partition] = revocations
        }
        rebuildBuffered { _, records in records.filter { !partitions.contains($0.topicPartition) } }
    }

    /// Replaces every batch not yet taken with what `keep` leaves of it, and counts again.
    private mutating func rebuildBuffered(_ keep: (inout Self, [KafkaRecord]) -> [KafkaRecord]) {
        guard count > 0 else { return }
        var remaining: [Batch] = []
        for index in head..<batches.count {
            let kept = keep(&self, batches[index].records)
            if !kept.isEmpty { remaining.append(Batch(kept)) }
        }
        batches = remaining
        head = 0
        count = remaining.reduce(0) { $0 + $1.records.count }
        bytes = remaining.reduce(0) { $0 + $1.bytes }
    }

    /// The partitions dropped after the `revocations` count was `count`.
    func revoked(since count: Int) -> Set<KafkaTopicPartition> {
        Set(lastRevoked.compactMap { $0.value > count ? $0.key : nil })
    }

    /// Ends the sequence: drops what is left and returns every waiter to resume with `nil`.
    mutating func finish() -> [Waiter] {
        isFinished = true
        batches = []
        head = 0
        count = 0
        bytes = 0
        held = [:]
        let finishing = waiters.map(\.continuation)
        waiters = []
        return finishing
    }
}

/// A batch as an iterator takes it: its records, and how many revokes the buffer had seen when it
/// handed them out. Records of a partition revoked later must not be handed on; a revoke counted
/// here came before the batch, so the batch holds nothing of it (and may hold records of the
/// partition's next assignment, which must be handed on). The count is taken under the buffer's
/// lock together with the records, also when the batch goes to an iterator that waited.
struct TakenBatch: Sendable {
    var records: [KafkaRecord]
    var revocations: Int
}
