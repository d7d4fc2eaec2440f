import DequeModule

/// The offsets of one partition that are in flight, in the order they were read, and the end of
/// the contiguous run of finished ones: the only offset that may be stored for commit.
///
/// Records of a partition arrive in offset order, but they finish in any order (different keys run
/// concurrently). Storing the offset of a finished record while an earlier one is still running
/// would let a crash skip the earlier one, so the committable position is always one past the last
/// record of the unbroken run of finished records at the front.
struct PartitionOffsetTracker: Sendable {
    private var pending: Deque<Entry> = []
    /// The next offset to consume, once everything before it is finished; `nil` until a record finished.
    private(set) var committable: Int64?

    private struct Entry: Sendable {
        var offset: Int64
        var finished: Bool
    }

    /// How many records of this partition are started and not yet finished.
    private(set) var inFlight = 0

    /// Why `begin` would not track an offset.
    enum Refusal: Sendable, Equatable, CustomStringConvertible {
        /// The offset is at or below one already in flight (`last`): a second copy of work running.
        case notAfterInFlight(last: Int64)
        /// The offset is below the committable position: its work is finished already.
        case alreadyFinished(committable: Int64)

        var description: String {
            switch self {
            case .notAfterInFlight(let last): "not after offset \(last), which is in flight"
            case .alreadyFinished(let committable): "below the committable position \(committable)"
            }
        }
    }

    /// Records that `offset` was read and its work has started, and returns `nil`. Offsets must
    /// grow: an offset that is not after every one seen is not tracked, and why is returned. Its
    /// work must not run: finishing it would finish the tracked copy of that offset instead.
    mutating func begin(_ offset: Int64) -> Refusal? {
        if let last = pending.last, offset <= last.offset { return .notAfterInFlight(last: last.offset) }
        if let committable, offset < committable { return .alreadyFinished(committable: committable) }
        pending.append(Entry(offset: offset, finished: false))
        inFlight += 1
        return nil
    }

    /// Marks `offset` finished (its reply and dead letter acknowledged). Returns the new committable
    /// position when it moved, else `nil`.
    mutating func finish(_ offset: Int64) -> Int64? {
        guard let first = pending.first, offset >= first.offset else { return nil }
        // Offsets are increasing, so the entry is found by binary search.
        var low = pending.startIndex
        var high = pending.endIndex
        while low < high {
            let middle = (low + high) / 2
            if pending[middle].offset < offset { low = middle + 1 } else { high = middle }
        }
        guard low < pending.endIndex, pending[low].offset == offset, !pending[low].finished else { return nil }
        pending[low].finished = true
        inFlight -= 1
        var moved: Int64?
        while let head = pending.first, head.finished {
            pending.removeFirst()
            moved = head.offset + 1
        }
        if let moved { committable = moved }
        return moved
    }
}
