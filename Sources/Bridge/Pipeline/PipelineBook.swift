import CustomerAPIs
import Kafka

/// The pipeline's shared bookkeeping: what is admitted, which lanes are busy, each partition's
/// committable offset, and who waits for room or for a partition to drain. Kept under one lock by
/// `BridgePipeline`; every method is short and does no I/O.
struct PipelineBook: Sendable {
    /// One record admitted into the pipeline. A class: it moves through the scheduler's queues and
    /// the lane tasks many times, and one reference count is cheaper than copying its strings and arrays.
    final class Pending: LaneScheduled {
        let record: KafkaRecord
        let kind: EventKind
        let lane: OrderingLane?
        let partition: KafkaTopicPartition
        /// The assignment generation the record was read under; work of an older one is abandoned.
        let generation: UInt64

        init(record: KafkaRecord, kind: EventKind, lane: OrderingLane?, partition: KafkaTopicPartition, generation: UInt64) {
            self.record = record
            self.kind = kind
            self.lane = lane
            self.partition = partition
            self.generation = generation
        }
    }

    /// A waiter for a set of partitions to have no work running.
    struct DrainWaiter: Sendable {
        var partitions: Set<KafkaTopicPartition>
        var continuation: CheckedContinuation<Void, Never>
    }

    /// How many records may be admitted (running or waiting): enough beyond `maxInFlight` that
    /// other keys can run while a hot key's records wait, small enough to keep memory flat.
    ///
    /// Records arrive in runs of one partition (a fetch brings up to `max.partition.fetch.bytes`
    /// of each, hundreds of records), so the window must span several partitions to hold enough
    /// distinct keys: with 1,024 it held about two partitions' keys, and a 20 ms API ran at 4,947
    /// events/s instead of 6,999 (`bench pipeline --latency-ms 20`, 1,000 keys, 16 partitions).
    let maxAdmitted: Int
    var scheduler: KeyedScheduler<Pending>
    /// Events answered whose reply is not acknowledged yet: at most `maxAdmitted` of them too, a
    /// bound of their own, so that admitting goes on while a batch of replies waits for the broker
    /// (counted with the admitted ones, they filled the window at 0 ms API latency: a batch of
    /// about 1,500 replies took about 50 ms to be acknowledged by the mock cluster).
    var awaitingReply = 0
    var trackers: [KafkaTopicPartition: PartitionOffsetTracker] = [:]
    /// Admitted and unfinished work per partition (waiting, running, or waiting for its reply).
    var active: [KafkaTopicPartition: Int] = [:]
    /// The current assignment generation of each assigned partition.
    var generations: [KafkaTopicPartition: UInt64] = [:]
    /// Partitions being revoked: their new records are not admitted.
    var revoking: Set<KafkaTopicPartition> = []
    var nextGeneration: UInt64 = 1
    /// Set once shutdown starts: nothing new is admitted.
    var stopping = false
    /// Set when the shutdown grace ran out: all running work is abandoned.
    var abandonAll = false
    var roomWaiter: CheckedContinuation<Bool, Never>?
    /// The partition of the record the consuming loop holds while it waits for room.
    var roomWaiterPartition: KafkaTopicPartition?
    var drainWaiters: [DrainWaiter] = []

    init(maxInFlight: Int, ordering: OrderingMode) {
        self.maxAdmitted = max(4096, 16 * maxInFlight)
        self.scheduler = KeyedScheduler(mode: ordering, maxRunning: maxInFlight)
    }

    var hasRoom: Bool { scheduler.admitted < maxAdmitted && awaitingReply < maxAdmitted }

    func isCurrent(_ pending: Pending) -> Bool {
        !abandonAll && generations[pending.partition] == pending.generation
    }

    /// Partitions newly assigned: fresh trackers and a new generation.
    mutating func assign(_ partitions: [KafkaTopicPartition]) {
        for partition in partitions {
            trackers[partition] = PartitionOffsetTracker()
            // Work of an earlier assignment no longer counts (see `leave`).
            active[partition] = 0
            generations[partition] = nextGeneration
            revoking.remove(partition)
            nextGeneration += 1
        }
    }

    /// Admits a record when its partition is assigned and the pipeline is not stopping. Returns
    /// whether it was admitted, the work to start now (it, or nothing when it waits), and how many
    /// events are running.
    mutating func admit(_ record: KafkaRecord, kind: EventKind, partition: KafkaTopicPartition) -> (admitted: Bool, start: Pending?, running: Int) {
        guard !stopping, !revoking.contains(partition), let generation = generations[partition] else {
            return (false, nil, scheduler.running)
        }
        let lane = scheduler.lane(topic: record.topic, partition: record.partition, key: record.key)
        let pending = Pending(record: record, kind: kind, lane: lane, partition: partition, generation: generation)
        trackers[partition]?.begin(record.offset)
        active[partition, default: 0] += 1
        let start = scheduler.admit(pending)
        return (true, start, scheduler.running)
    }

    /// Marks a record's reply written; returns the offset to store when the partition's
    /// committable position moved.
    mutating func complete(_ pending: Pending) -> Int64? {
        guard isCurrent(pending) else { return nil }
        return trackers[pending.partition]?.finish(pending.record.offset)
    }

    /// Continuations a change of the book lets go, to resume outside the lock.
    struct Wakeups {
        /// Drain waiters whose partitions are now idle.
        var drained: [CheckedContinuation<Void, Never>] = []
        /// The consuming loop, waiting for room, with its answer (`false` once stopping).
        var room: (waiter: CheckedContinuation<Bool, Never>, answer: Bool)?

        func resume() {
            drained.forEach { $0.resume() }
            room.map { $0.waiter.resume(returning: $0.answer) }
        }
    }

    /// The drain waiters whose partitions are idle and the room waiter when there is room.
    mutating func takeWakeups() -> Wakeups {
        Wakeups(drained: takeDrained(), room: takeRoomWaiterIfRoom().map { ($0, !stopping) })
    }

    /// What releasing finished work asks of its caller, outside the lock.
    struct Release {
        /// The work to run next in the freed slot.
        var next: Pending?
        var wakeups: Wakeups
        /// Events running after the release, for the in-flight gauge.
        var running: Int
    }

    /// Releases the slot and lane of work whose API part is over: answered (its reply is still to
    /// be written, and it stays active until `replyDone`) or abandoned.
    mutating func release(_ pending: Pending, answered: Bool) -> Release {
        if answered {
            awaitingReply += 1
        } else {
            leave(pending)
        }
        let next = scheduler.finish(pending)
        return Release(next: next, wakeups: takeWakeups(), running: scheduler.running)
    }

    /// An answered event's reply was acknowledged (`written`) or given up with its partition.
    /// Returns the offset to store, when the partition's committable position moved.
    mutating func replyDone(_ pending: Pending, written: Bool) -> (committable: Int64?, wakeups: Wakeups) {
        let committable = written ? complete(pending) : nil
        awaitingReply -= 1
        leave(pending)
        return (committable, takeWakeups())
    }

    /// Starts revoking `partitions`: drops their waiting work and returns it.
    mutating func beginRevoke(_ partitions: Set<KafkaTopicPartition>) -> [Pending] {
        revoking.formUnion(partitions)
        let dropped = scheduler.dropWaiting { partitions.contains($0.partition) }
        for pending in dropped { leave(pending) }
        return dropped
    }

    /// The consuming loop, when the record it holds while waiting for room belongs to one of
    /// `partitions`: it must drop that record (the partition's next owner reads it again) rather
    /// than admit it later, perhaps under a new assignment of the same partition.
    mutating func takeRoomWaiter(holdingOneOf partitions: Set<KafkaTopicPartition>) -> CheckedContinuation<Bool, Never>? {
        guard let partition = roomWaiterPartition, partitions.contains(partition), let waiter = roomWaiter else { return nil }
        roomWaiter = nil
        roomWaiterPartition = nil
        return waiter
    }

    /// Forgets revoked partitions; their running work, if any, is abandoned.
    mutating func endRevoke(_ partitions: Set<KafkaTopicPartition>) {
        for partition in partitions {
            trackers[partition] = nil
            generations[partition] = nil
            active[partition] = nil
            revoking.remove(partition)
        }
    }

    /// Counts `pending` off its partition's active work, when it belongs to the partition's
    /// current assignment: work of a revoked assignment was counted off when the revoke ended, and
    /// must not count off work of the partition's next assignment.
    private mutating func leave(_ pending: Pending) {
        guard generations[pending.partition] == pending.generation else { return }
        active[pending.partition, default: 1] -= 1
    }

    func isDrained(_ partitions: Set<KafkaTopicPartition>) -> Bool {
        partitions.allSatisfy { (active[$0] ?? 0) == 0 }
    }

    mutating func takeDrained() -> [CheckedContinuation<Void, Never>] {
        var ready: [CheckedContinuation<Void, Never>] = []
        var waiting: [DrainWaiter] = []
        for waiter in drainWaiters {
            if isDrained(waiter.partitions) { ready.append(waiter.continuation) } else { waiting.append(waiter) }
        }
        drainWaiters = waiting
        return ready
    }

    mutating func takeRoomWaiterIfRoom() -> CheckedContinuation<Bool, Never>? {
        guard hasRoom || stopping, let waiter = roomWaiter else { return nil }
        roomWaiter = nil
        return waiter
    }
}
