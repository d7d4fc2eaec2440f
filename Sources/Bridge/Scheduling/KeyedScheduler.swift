import DequeModule

/// The lane an event runs in: events of one lane never overlap, and run in the order admitted.
struct OrderingLane: Hashable, Sendable {
    var topic: String
    var partition: Int32
    /// The record key in `key` mode; `nil` for a whole partition (and for unkeyed records).
    var key: ArraySlice<UInt8>?

    /// Hashes the key's bytes in one go: the synthesized hash feeds a byte slice to the hasher one
    /// element at a time, and every admitted and finished event hashes its lane.
    func hash(into hasher: inout Hasher) {
        hasher.combine(topic)
        hasher.combine(partition)
        if let key {
            hasher.combine(key.count)
            key.withUnsafeBytes { hasher.combine(bytes: $0) }
        } else {
            hasher.combine(-1)
        }
    }
}

/// Work the scheduler orders: it knows its lane (`nil` when it need not wait for anything).
protocol LaneScheduled: Sendable {
    var lane: OrderingLane? { get }
}

/// Decides when an admitted event may start, so that events sharing an ordering lane (a key within
/// a partition, or a whole partition) run strictly one after another, different lanes run
/// concurrently, and at most `maxRunning` (`BRIDGE_MAX_IN_FLIGHT`) run at once.
///
/// Events that cannot start yet wait either behind their lane or, when their lane is free but every
/// slot is taken, in a first-come queue for the next free slot. Admitting more events than can run
/// is what lets the pipeline find other keys to run while a hot key's events wait; the pipeline
/// bounds how many are admitted. A value type with no I/O.
struct KeyedScheduler<Work: LaneScheduled>: Sendable {
    let mode: OrderingMode
    let maxRunning: Int
    /// Lanes owned by a running or ready event; the deque holds the events waiting behind it.
    private var lanes: [OrderingLane: Deque<Work>] = [:]
    /// Events whose lane is free for them, waiting for a slot.
    private var ready: Deque<Work> = []
    /// Events running now.
    private(set) var running = 0
    /// Events admitted and not finished: running, ready or waiting.
    private(set) var admitted = 0

    init(mode: OrderingMode, maxRunning: Int) {
        self.mode = mode
        self.maxRunning = max(1, maxRunning)
    }

    /// The lane of an event under this scheduler's mode, or `nil` when it need not wait for anything.
    func lane(topic: String, partition: Int32, key: ArraySlice<UInt8>?) -> OrderingLane? {
        switch mode {
        case .key: OrderingLane(topic: topic, partition: partition, key: key)
        case .partition: OrderingLane(topic: topic, partition: partition, key: nil)
        case .none: nil
        }
    }

    /// Admits `work`. Returns it when it may start now; `nil` when it waits.
    mutating func admit(_ work: Work) -> Work? {
        admitted += 1
        if let lane = work.lane {
            if lanes[lane] != nil {
                lanes[lane, default: []].append(work)
                return nil
            }
            lanes[lane] = []
        }
        guard running < maxRunning else {
            ready.append(work)
            return nil
        }
        running += 1
        return work
    }

    /// Records that running `work` finished. Returns the next event to start in the freed slot: the
    /// oldest ready one, which may be the next of `work`'s own lane.
    mutating func finish(_ work: Work) -> Work? {
        admitted -= 1
        running -= 1
        if let lane = work.lane {
            // Popped in place: a copy of the lane's deque out of the dictionary would be copied again on write.
            if let next = lanes[lane]?.popFirst() {
                ready.append(next)
            } else {
                lanes[lane] = nil
            }
        }
        guard let next = ready.popFirst() else { return nil }
        running += 1
        return next
    }

    /// Removes the events that have not started and that `shouldDrop` selects (a revoked
    /// partition's, or all at shutdown), returning them. Running events are not touched; their
    /// lanes stay owned until they finish.
    mutating func dropWaiting(where shouldDrop: (Work) -> Bool) -> [Work] {
        var dropped: [Work] = []
        var keptReady: Deque<Work> = []
        for work in ready {
            if shouldDrop(work) {
                dropped.append(work)
                // A ready event owns its lane without running: the lane is free again, and
                // whatever waited behind it goes too (checked below).
                if let lane = work.lane { dropped.append(contentsOf: lanes.removeValue(forKey: lane) ?? []) }
            } else {
                keptReady.append(work)
            }
        }
        ready = keptReady
        for (lane, waiting) in lanes where waiting.contains(where: shouldDrop) {
            var kept: Deque<Work> = []
            for work in waiting {
                if shouldDrop(work) { dropped.append(work) } else { kept.append(work) }
            }
            lanes[lane] = kept
        }
        admitted -= dropped.count
        return dropped
    }
}
