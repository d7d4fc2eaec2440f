import Synchronization

/// The bounded buffer between a consumer's poll thread and its record iterators. The poll thread
/// adds whole batches; an iterator takes a whole batch under one lock and hands its records out
/// without further locking.
final class RecordBuffer: Sendable {
    private let state: PThreadLock<RecordBufferState>
    private let nextWaiterID = Atomic<Int>(0)
    /// `RecordBufferState.revocations`, readable without the lock: iterators check it per record.
    private let revocationCount = Atomic<Int>(0)
    /// Wakes the poll thread when it waits for space.
    let spaceAvailable = ThreadSignal()

    /// Records held before the poll thread stops fetching.
    let capacity: Int

    /// - Parameters:
    ///   - capacity: Records held before the poll thread stops fetching.
    ///   - capacityBytes: Bytes of keys and values held before the poll thread stops fetching.
    init(capacity: Int, capacityBytes: Int = .max) {
        let state = RecordBufferState(capacity: capacity, capacityBytes: capacityBytes)
        self.capacity = state.capacity
        self.state = PThreadLock(state)
    }

    /// Records ready for delivery.
    var count: Int { state.withLock { $0.count } }

    /// Whether the buffer has drained to half of its bounds, in records and in bytes (poll thread).
    var isHalfEmpty: Bool { state.withLock { $0.isHalfEmpty } }

    /// Iterators waiting for a batch now.
    var waitingIterators: Int { state.withLock { $0.waitingIterators } }

    /// Adds a batch (poll thread).
    func append(_ batch: [KafkaRecord]) {
        if let (waiter, batch) = state.withLock({ $0.append(batch) }) {
            waiter.resume(returning: batch)
        }
    }

    /// Whether the buffer is full; if so the next take signals `spaceAvailable` (poll thread).
    func isFullMarkingWaiter() -> Bool {
        state.withLock { $0.isFullMarkingWaiter() }
    }

    /// The next batch, or `nil` once the consumer closed or the task is cancelled. Runs on the
    /// caller's actor, so taking a ready batch never hops executors.
    func takeBatch(isolation actor: isolated (any Actor)? = #isolation) async -> TakenBatch? {
        switch takeNow() {
        case .some(let result): return result
        case .none: break
        }
        let id = nextWaiterID.add(1, ordering: .relaxed).newValue
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<TakenBatch?, Never>) in
                enum Outcome { case ready(TakenBatch?, wake: Bool), waiting }
                let outcome: Outcome = state.withLock { state in
                    switch state.take() {
                    case .batch(let batch, let wake): return .ready(batch, wake: wake)
                    case .finished: return .ready(nil, wake: false)
                    case .empty:
                        return state.addWaiter(id: id, continuation) ? .waiting : .ready(nil, wake: false)
                    }
                }
                if case .ready(let batch, let wake) = outcome {
                    if wake { spaceAvailable.signal() }
                    continuation.resume(returning: batch)
                }
            }
        } onCancel: {
            state.withLock { $0.cancelWaiter(id: id) }?.resume(returning: nil)
        }
    }

    /// A batch if one is ready (`.some(batch)`), `.some(nil)` if finished, `nil` if the caller must wait.
    private func takeNow() -> TakenBatch?? {
        switch state.withLock({ $0.take() }) {
        case .batch(let batch, let wake):
            if wake { spaceAvailable.signal() }
            return .some(batch)
        case .finished: return .some(nil)
        case .empty: return nil
        }
    }

    /// Returns records a dropped iterator took but did not hand out.
    func putBack(_ batch: [KafkaRecord]) {
        if let (waiter, batch) = state.withLock({ $0.putBack(batch) }) {
            waiter.resume(returning: batch)
        }
    }

    /// Holds back records of `partitions` until resumed.
    func pause(_ partitions: Set<KafkaTopicPartition>) {
        state.withLock { $0.pause(partitions) }
    }

    /// Releases held records of `partitions`.
    func resume(_ partitions: Set<KafkaTopicPartition>) {
        for (waiter, batch) in state.withLock({ $0.resume(partitions) }) {
            waiter.resume(returning: batch)
        }
    }

    /// Drops buffered and held records of revoked partitions and ends their pause; iterators drop
    /// those of their current batch before handing out another record.
    func drop(_ partitions: Set<KafkaTopicPartition>) {
        let count = state.withLock { state in
            state.drop(partitions)
            return state.revocations
        }
        revocationCount.store(count, ordering: .releasing)
    }

    /// How many times partitions were dropped so far. Read it before taking a batch: the batch
    /// holds no record of a partition dropped up to then.
    var revocations: Int { revocationCount.load(ordering: .acquiring) }

    /// The partitions dropped since `revocations` was `count`, and the count now.
    func revoked(since count: Int) -> (partitions: Set<KafkaTopicPartition>, count: Int) {
        state.withLock { ($0.revoked(since: count), $0.revocations) }
    }

    /// Ends the sequence for every iterator.
    func finish() {
        for waiter in state.withLock({ $0.finish() }) {
            waiter.resume(returning: nil)
        }
        spaceAvailable.signal()
    }
}
