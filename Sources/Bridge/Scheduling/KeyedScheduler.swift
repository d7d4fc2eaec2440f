import DequeModule

/// Decides when an admitted event may start so that events sharing an ordering lane (a key within
/// a partition, or a whole partition) run strictly one after another, while different lanes run
/// concurrently. A value type with no I/O: the pipeline owns one and asks it what to start.
///
/// The number of events admitted and not yet finished is what `BRIDGE_MAX_IN_FLIGHT` bounds; the
/// pipeline stops reading records while `admitted` is at the limit.
struct KeyedScheduler<Work: Sendable>: Sendable {
    /// The lane an event belongs to; events of one lane never overlap.
    struct Lane: Hashable, Sendable {
        var topic: String
        var partition: Int32
        var key: [UInt8]?
    }

    let mode: OrderingMode
    /// Lanes with an event running; the deque holds the events waiting behind it.
    private var busy: [Lane: Deque<Work>] = [:]
    /// Events admitted and not finished, waiting or running.
    private(set) var admitted = 0

    init(mode: OrderingMode) {
        self.mode = mode
    }

    /// The lane of an event under this scheduler's mode, or `nil` when it need not wait for anything.
    func lane(topic: String, partition: Int32, key: [UInt8]?) -> Lane? {
        switch mode {
        case .key: Lane(topic: topic, partition: partition, key: key)
        case .partition: Lane(topic: topic, partition: partition, key: nil)
        case .none: nil
        }
    }

    /// Admits `work` in `lane`. Returns it when it may start now; `nil` when it waits behind its lane.
    mutating func admit(_ work: Work, lane: Lane?) -> Work? {
        admitted += 1
        guard let lane else { return work }
        if busy[lane] != nil {
            busy[lane, default: []].append(work)
            return nil
        }
        busy[lane] = []
        return work
    }

    /// Records that the running event of `lane` finished. Returns the next event of that lane to
    /// start, if one was waiting.
    mutating func finish(lane: Lane?) -> Work? {
        admitted -= 1
        guard let lane, var waiting = busy[lane] else { return nil }
        guard let next = waiting.popFirst() else {
            busy[lane] = nil
            return nil
        }
        busy[lane] = waiting
        return next
    }

    /// Removes the waiting events that `shouldDrop` selects (a revoked partition's), returning them.
    /// Running events are not touched; their lanes stay busy until they finish.
    mutating func dropWaiting(where shouldDrop: (Lane) -> Bool) -> [Work] {
        var dropped: [Work] = []
        for (lane, waiting) in busy where shouldDrop(lane) && !waiting.isEmpty {
            dropped.append(contentsOf: waiting)
            busy[lane] = []
        }
        admitted -= dropped.count
        return dropped
    }
}
