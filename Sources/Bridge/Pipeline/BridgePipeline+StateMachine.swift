import CustomerAPIs
import Kafka

/// The lifecycle of every event in the pipeline, from admission to its stored offset, and who
/// waits for what: the consuming loop for room, a revoke or the stop for partitions to drain.
///
/// A value type with no I/O, kept under one lock by `BridgePipeline`. Each event (admit, start,
/// answered, reply written or given up, offsets stored, revoke begin/end, stop, drain timeout)
/// changes the state and returns what the caller must do outside the lock: work to start,
/// offsets to store, waiters to resume. `Waiter` is what a waiting party is resumed through
/// (a continuation in the pipeline, a plain value in tests); it is always resumed with a `Bool`.
///
/// Rules kept here (docs/contract.md, "Guarantees"):
/// - An event counts from its admission until its reply is acknowledged (or given up with its
///   partition); the count and the bytes of its value and key bound admission.
/// - A partition's offset is stored only up to the end of its unbroken run of written replies,
///   and stores happen one at a time, each with the newest offsets: a later store never carries
///   a lower offset than an earlier one, whichever reply finished first.
/// - A partition is drained only when it has no admitted work and no offset waiting to be stored.
struct PipelineStateMachine<Waiter: Sendable>: Sendable {
    /// Whether the pipeline takes new records.
    enum Phase: Sendable, Equatable {
        case running
        /// Stopping: nothing new is admitted; admitted work runs to its end.
        case stopping
        /// The stop's grace ran out: all work is abandoned, nothing more is stored.
        case abandoned
    }

    /// Waiters to resume outside the lock, each with its answer.
    struct WaitersToResume: Sendable {
        var waiters: [(waiter: Waiter, answer: Bool)] = []

        mutating func add(_ waiter: Waiter, _ answer: Bool) { waiters.append((waiter, answer)) }
        mutating func merge(_ other: WaitersToResume) { waiters += other.waiters }
    }

    /// What admitting a record did.
    enum Admission: Sendable {
        /// Admitted; it may start now.
        case start(PendingEvent)
        /// Admitted; it waits behind its lane or for a slot.
        case queued
        /// Not admitted: stopping, or its partition is not (or no longer) assigned here.
        case dropped
        /// Not admitted: its partition's offset tracker would not track its offset (a copy of a
        /// record in flight or finished already). Running it could store an offset past work not
        /// done, so it is refused; the caller logs it.
        case refused(PartitionOffsetTracker.Refusal)
    }

    /// What ending an event's API work asks of the caller.
    struct Release: Sendable {
        /// The work to run next in the freed slot.
        var next: PendingEvent?
        var toResume: WaitersToResume
        /// Events running afterwards, for the in-flight gauge.
        var running: Int
    }

    /// What a change of offsets asks of the caller: store `offsets` (when not empty), then report
    /// `offsetsStored()`; and resume `toResume`.
    struct OffsetWork: Sendable {
        var offsets: [KafkaTopicPartition: Int64] = [:]
        var toResume = WaitersToResume()
    }

    /// How a drain wait was registered.
    enum DrainRegistration: Sendable, Equatable {
        /// Already drained: the waiter was not kept.
        case drained
        /// Kept under this id, for `drainTimedOut`.
        case waiting(UInt64)
    }

    private struct RoomWaiter: Sendable {
        var waiter: Waiter
        var partition: KafkaTopicPartition
        var bytes: Int
    }

    private struct DrainWaiter: Sendable {
        var partitions: Set<KafkaTopicPartition>
        var waiter: Waiter
    }

    /// How many records may be admitted (running or waiting): enough beyond `maxInFlight` that
    /// other keys can run while a hot key's records wait, small enough to keep memory flat.
    ///
    /// Records arrive in runs of one partition (a fetch brings up to `max.partition.fetch.bytes`
    /// of each, hundreds of records), so the window must span several partitions to hold enough
    /// distinct keys: with 1,024 it held about two partitions' keys, and a 20 ms API ran at 4,947
    /// events/s instead of 6,999 (`bench pipeline --latency-ms 20`, 1,000 keys, 16 partitions).
    /// Events answered and waiting for their replies are bounded by the same number on their own,
    /// so that admitting goes on while a batch of replies waits for the broker.
    let maxAdmitted: Int
    /// The most bytes (values and keys) of admitted records, counting those awaiting replies.
    let maxBufferedBytes: Int
    private(set) var scheduler: KeyedScheduler<PendingEvent>
    /// Events answered whose reply is not acknowledged yet.
    private(set) var awaitingReply = 0
    /// Bytes of every admitted event not finished yet (waiting, running or awaiting its reply).
    private(set) var bufferedBytes = 0
    private(set) var phase = Phase.running
    private var trackers: [KafkaTopicPartition: PartitionOffsetTracker] = [:]
    /// Admitted and unfinished work per partition of its current assignment.
    private var active: [KafkaTopicPartition: Int] = [:]
    /// The current assignment generation of each assigned partition.
    private(set) var generations: [KafkaTopicPartition: UInt64] = [:]
    /// Partitions being revoked: their new records are not admitted.
    private var revoking: Set<KafkaTopicPartition> = []
    private var nextGeneration: UInt64 = 1
    private var roomWaiter: RoomWaiter?
    private var drainWaiters: [UInt64: DrainWaiter] = [:]
    private var nextDrainWaiterID: UInt64 = 1
    /// Committable offsets not handed out for storing yet.
    private var unstored: [KafkaTopicPartition: Int64] = [:]
    /// The partitions of the store in progress; `nil` when none is.
    private var storing: Set<KafkaTopicPartition>?

    init(maxInFlight: Int, ordering: OrderingMode, maxBufferedBytes: Int) {
        self.maxAdmitted = max(4096, 16 * maxInFlight)
        self.maxBufferedBytes = max(1, maxBufferedBytes)
        self.scheduler = KeyedScheduler(mode: ordering, maxRunning: maxInFlight)
    }

    // MARK: - Questions

    /// Whether `pending` still belongs to live work: not abandoned, and its partition still has
    /// the assignment it was read under.
    func isCurrent(_ pending: PendingEvent) -> Bool {
        phase != .abandoned && generations[pending.partition] == pending.generation
    }

    /// Whether `partition` is being revoked (its revoke began and has not ended).
    func isRevoking(_ partition: KafkaTopicPartition) -> Bool {
        revoking.contains(partition)
    }

    /// Whether a record of `bytes` fits: under both count bounds, and under the byte bound (or
    /// alone: one record larger than the bound is admitted when nothing else is).
    func hasRoom(forBytes bytes: Int) -> Bool {
        scheduler.admitted < maxAdmitted && awaitingReply < maxAdmitted
            && (bufferedBytes == 0 || bufferedBytes + bytes <= maxBufferedBytes)
    }

    /// Whether `partitions` have no admitted work and no offset waiting to be stored.
    func isDrained(_ partitions: Set<KafkaTopicPartition>) -> Bool {
        partitions.allSatisfy { partition in
            (active[partition] ?? 0) == 0 && unstored[partition] == nil && storing?.contains(partition) != true
        }
    }

    /// The next offset to process of each assigned partition that has finished a record.
    var committablePositions: [(KafkaTopicPartition, Int64)] {
        trackers.compactMap { partition, tracker in tracker.committable.map { (partition, $0) } }
    }

    /// The partitions assigned now.
    var assignedPartitions: [KafkaTopicPartition] { Array(generations.keys) }

    // MARK: - Assignment

    /// Partitions newly assigned: fresh trackers and a new generation.
    mutating func assign(_ partitions: [KafkaTopicPartition]) {
        for partition in partitions {
            trackers[partition] = PartitionOffsetTracker()
            // Work of an earlier assignment no longer counts (see `leave`).
            active[partition] = 0
            generations[partition] = nextGeneration
            revoking.remove(partition)
            unstored[partition] = nil
            nextGeneration += 1
        }
    }

    /// Starts revoking `partitions`: their waiting work is dropped (and returned, for the log), the
    /// consuming loop drops the record it holds for one of them, and the room freed wakes it.
    mutating func beginRevoke(_ partitions: Set<KafkaTopicPartition>) -> (dropped: [PendingEvent], toResume: WaitersToResume) {
        revoking.formUnion(partitions)
        let dropped = scheduler.dropWaiting { partitions.contains($0.partition) }
        for pending in dropped { leave(pending) }
        var toResume = WaitersToResume()
        if let holder = roomWaiter, partitions.contains(holder.partition) {
            // It must drop that record (the partition's next owner reads it again) rather than
            // admit it later, perhaps under a new assignment of the same partition.
            roomWaiter = nil
            toResume.add(holder.waiter, false)
        }
        toResume.merge(takeWaitersToResume())
        return (dropped, toResume)
    }

    /// Forgets revoked (or lost) partitions; their running work, if any, is abandoned and their
    /// offsets not yet stored are dropped.
    mutating func endRevoke(_ partitions: Set<KafkaTopicPartition>) -> WaitersToResume {
        for partition in partitions {
            trackers[partition] = nil
            generations[partition] = nil
            active[partition] = nil
            unstored[partition] = nil
            revoking.remove(partition)
        }
        return takeWaitersToResume()
    }

    // MARK: - Admission

    /// The consuming loop holds a record of `partition` of `bytes`: `true` to admit it now,
    /// `false` to drop it (stopping, or its partition is not assigned or being revoked), `nil`
    /// when it must wait: `waiter` is kept and resumed later with the answer.
    mutating func waitForRoom(partition: KafkaTopicPartition, bytes: Int, waiter: Waiter) -> Bool? {
        guard phase == .running, generations[partition] != nil, !revoking.contains(partition) else { return false }
        if hasRoom(forBytes: bytes) { return true }
        roomWaiter = RoomWaiter(waiter: waiter, partition: partition, bytes: bytes)
        return nil
    }

    /// Admits a record when its partition is assigned and the pipeline is running.
    mutating func admit(_ record: KafkaRecord, kind: EventKind, partition: KafkaTopicPartition) -> Admission {
        guard phase == .running, !revoking.contains(partition), let generation = generations[partition] else {
            return .dropped
        }
        if let refusal = trackers[partition]?.begin(record.offset) { return .refused(refusal) }
        let lane = scheduler.lane(topic: record.topic, partition: record.partition, key: record.key)
        let pending = PendingEvent(record: record, kind: kind, lane: lane, partition: partition, generation: generation)
        active[partition, default: 0] += 1
        bufferedBytes += pending.bytes
        guard let start = scheduler.admit(pending) else { return .queued }
        return .start(start)
    }

    // MARK: - The API part

    /// An event's API work is over and its reply goes to the writer: its slot and lane are free,
    /// it still counts (and its offset waits) until its reply ends (`repliesEnded`).
    mutating func answered(_ pending: PendingEvent) -> Release {
        awaitingReply += 1
        let next = scheduler.finish(pending)
        return Release(next: next, toResume: takeWaitersToResume(), running: scheduler.running)
    }

    /// An event's API work was abandoned (shutdown or a revoked partition): it is gone, unreplied;
    /// its offset is never stored, so the partition's next owner redoes it.
    mutating func abandoned(_ pending: PendingEvent) -> Release {
        leave(pending)
        let next = scheduler.finish(pending)
        return Release(next: next, toResume: takeWaitersToResume(), running: scheduler.running)
    }

    // MARK: - Replies and offsets

    /// Several answered events' replies ended at once: those `written` were acknowledged (their
    /// offsets may move), those `givenUp` were given up (their partition was revoked or the stop
    /// abandoned them: they stop counting, and their offsets are never stored). One offset work for
    /// all of them.
    mutating func repliesEnded(written: [PendingEvent], givenUp: [PendingEvent]) -> OffsetWork {
        for pending in written {
            if isCurrent(pending), let offset = trackers[pending.partition]?.finish(pending.record.offset) {
                unstored[pending.partition] = offset
            }
            awaitingReply -= 1
            leave(pending)
        }
        for pending in givenUp {
            awaitingReply -= 1
            leave(pending)
        }
        return takeOffsetWork()
    }

    /// The store handed out last is done: returns the next one (offsets that moved meanwhile),
    /// and the drain waiters it lets go.
    mutating func offsetsStored() -> OffsetWork {
        storing = nil
        return takeOffsetWork()
    }

    /// Hands out the offsets to store unless a store is in progress (its caller takes the rest
    /// when it reports `offsetsStored`), with the waiters this lets go.
    private mutating func takeOffsetWork() -> OffsetWork {
        var work = OffsetWork()
        if storing == nil, !unstored.isEmpty, phase != .abandoned {
            work.offsets = unstored
            storing = Set(unstored.keys)
            unstored = [:]
        }
        work.toResume = takeWaitersToResume()
        return work
    }

    // MARK: - Draining and stopping

    /// Waits for `partitions` (every assigned one when `nil`) to drain.
    mutating func waitForDrain(_ partitions: Set<KafkaTopicPartition>?, waiter: Waiter) -> DrainRegistration {
        let target = partitions ?? Set(active.keys)
        if isDrained(target) { return .drained }
        let id = nextDrainWaiterID
        nextDrainWaiterID += 1
        drainWaiters[id] = DrainWaiter(partitions: target, waiter: waiter)
        return .waiting(id)
    }

    /// The time of drain wait `id` is up: its waiter, to resume with `false` (not drained), unless
    /// it was resumed already.
    mutating func drainTimedOut(_ id: UInt64) -> Waiter? {
        drainWaiters.removeValue(forKey: id)?.waiter
    }

    /// Stops admitting records; what is admitted runs to its end. The consuming loop, if it
    /// waits for room, is told to drop its record.
    mutating func stop() -> WaitersToResume {
        if phase == .running { phase = .stopping }
        return takeWaitersToResume()
    }

    /// The stop's grace ran out: every event still admitted is abandoned (its work ends, its
    /// reply is given up, nothing more is stored), to be redone after a restart.
    mutating func abandonAll() -> WaitersToResume {
        phase = .abandoned
        unstored = [:]
        return takeWaitersToResume()
    }

    // MARK: - Helpers

    /// Counts `pending` off: its bytes always, its partition's active work when it belongs to the
    /// partition's current assignment (work of a revoked assignment was counted off when the
    /// revoke ended, and must not count off work of the partition's next assignment).
    private mutating func leave(_ pending: PendingEvent) {
        bufferedBytes -= pending.bytes
        guard generations[pending.partition] == pending.generation else { return }
        active[pending.partition, default: 1] -= 1
    }

    /// The drain waiters whose partitions are drained (answer `true`) and the room waiter when
    /// there is room (`true`) or the pipeline stops (`false`).
    private mutating func takeWaitersToResume() -> WaitersToResume {
        var toResume = WaitersToResume()
        if !drainWaiters.isEmpty {
            for (id, waiter) in drainWaiters where isDrained(waiter.partitions) {
                drainWaiters[id] = nil
                toResume.add(waiter.waiter, true)
            }
        }
        if let holder = roomWaiter {
            if phase != .running {
                roomWaiter = nil
                toResume.add(holder.waiter, false)
            } else if hasRoom(forBytes: holder.bytes) {
                roomWaiter = nil
                toResume.add(holder.waiter, true)
            }
        }
        return toResume
    }
}
