import CustomerAPIs
import Kafka
import Testing
@testable import Bridge

/// The pipeline's event lifecycle on its own, no I/O: waiters are plain numbers.
@Suite struct PipelineStateMachineTests {
    typealias Machine = PipelineStateMachine<Int>
    let partition = KafkaTopicPartition(topic: "customer-events", partition: 0)
    let other = KafkaTopicPartition(topic: "customer-events", partition: 1)

    func record(_ offset: Int64, key: String, partition: Int32 = 0, valueBytes: Int = 2) -> KafkaRecord {
        KafkaRecord(
            topic: "customer-events", partition: partition, offset: offset, key: Array(key.utf8),
            value: Array(repeating: UInt8(ascii: "x"), count: valueBytes), headers: [], timestamp: nil)
    }

    func machine(maxInFlight: Int = 4, maxBufferedBytes: Int = 1 << 20) -> Machine {
        var machine = Machine(maxInFlight: maxInFlight, ordering: .key, maxBufferedBytes: maxBufferedBytes)
        machine.assign([partition, other])
        return machine
    }

    func start(_ machine: inout Machine, _ record: KafkaRecord) throws -> PendingEvent {
        let partition = record.topicPartition
        guard case .start(let pending) = machine.admit(record, kind: .customerMetadata, partition: partition) else {
            Issue.record("record \(record.offset) did not start")
            throw CancellationError()
        }
        return pending
    }

    /// A record its partition's tracker would not track (a copy of one in flight, or one whose
    /// work finished) is refused, and counts nowhere: running it could finish the tracked copy's
    /// offset while that copy still runs.
    @Test func aRecordTheTrackerWouldNotTrackIsRefusedAndCountsNowhere() throws {
        var book = machine()
        let first = try start(&book, record(7, key: "a"))
        let bytesBefore = book.bufferedBytes
        guard case .refused(let refusal) = book.admit(record(7, key: "a"), kind: .customerMetadata, partition: partition) else {
            Issue.record("a second copy of offset 7 was admitted")
            return
        }
        #expect(refusal == .notAfterInFlight(last: 7))
        #expect(book.scheduler.admitted == 1)
        #expect(book.bufferedBytes == bytesBefore)

        _ = book.answered(first)
        #expect(book.replyWritten(first).offsets == [partition: 8])
        guard case .refused(.alreadyFinished(committable: 8)) = book.admit(record(6, key: "b"), kind: .customerMetadata, partition: partition) else {
            Issue.record("an offset below the committable position was admitted")
            return
        }
        _ = book.offsetsStored()
        #expect(book.isDrained([partition]), "a refused record counted as work")
    }

    @Test func workOfARevokedAssignmentDoesNotCountOffTheNextOnesWork() throws {
        var machine = machine()
        let old = try start(&machine, record(0, key: "a"))
        // Revoked while `old` runs (its grace ran out), then assigned again, with new work.
        _ = machine.beginRevoke([partition])
        _ = machine.endRevoke([partition])
        machine.assign([partition])
        let new = try start(&machine, record(0, key: "b"))
        #expect(!machine.isDrained([partition]))

        // The abandoned work ends late: the new assignment's work still counts.
        _ = machine.abandoned(old)
        #expect(!machine.isDrained([partition]), "the old assignment's work counted off the new one's")
        #expect(!machine.isCurrent(old), "work of a revoked assignment is not current")

        // The new work answers and its reply is written: its offset is handed out for storing.
        _ = machine.answered(new)
        #expect(!machine.isDrained([partition]), "an event whose reply is not written yet still counts")
        let work = machine.replyWritten(new)
        #expect(work.offsets == [partition: 1])
        #expect(machine.awaitingReply == 0)
        #expect(machine.bufferedBytes == 0)
    }

    /// The old code woke drain waiters in `replyDone`, before the writer stored the offset: a
    /// revoke could end (and librdkafka commit) without it.
    @Test func aPartitionIsDrainedOnlyOnceItsOffsetIsStored() throws {
        var machine = machine()
        let pending = try start(&machine, record(0, key: "a"))
        #expect(machine.waitForDrain([partition], waiter: 7) == .waiting(1))
        _ = machine.answered(pending)
        let work = machine.replyWritten(pending)
        #expect(work.offsets == [partition: 1])
        #expect(work.toResume.waiters.isEmpty, "the drain waiter woke before the offset was stored")
        #expect(!machine.isDrained([partition]))
        let stored = machine.offsetsStored()
        #expect(stored.offsets.isEmpty)
        #expect(stored.toResume.waiters.map { $0.waiter } == [7])
        #expect(stored.toResume.waiters.map { $0.answer } == [true])
    }

    /// The old code let a retry task store a higher offset while the main loop was about to
    /// store a lower one. Stores are handed out one at a time, each with the newest offsets.
    @Test func storesAreHandedOutOneAtATimeWithTheNewestOffsets() throws {
        var machine = machine()
        let first = try start(&machine, record(0, key: "a"))
        let second = try start(&machine, record(1, key: "b"))
        let third = try start(&machine, record(2, key: "c"))
        for pending in [first, second, third] { _ = machine.answered(pending) }

        // The second reply is written first: nothing may be stored past the unreplied first.
        #expect(machine.replyWritten(second).offsets.isEmpty)
        let firstStore = machine.replyWritten(first)
        #expect(firstStore.offsets == [partition: 2])
        // The third is written while the first store runs: it waits for that store to end.
        #expect(machine.replyWritten(third).offsets.isEmpty, "a second store ran beside the first")
        #expect(machine.offsetsStored().offsets == [partition: 3])
        #expect(machine.offsetsStored().offsets.isEmpty)
        #expect(machine.isDrained([partition]))
    }

    /// Replies that end together are counted together: one store carries every offset they let
    /// move, and a given-up reply's offset (and everything after it) stays unstored.
    @Test func repliesEndingTogetherMakeOneStoreAndAGivenUpOneHoldsItsOffset() throws {
        var machine = machine(maxInFlight: 8)
        let events = try (0..<4).map { try start(&machine, record(Int64($0), key: "k\($0)")) }
        let elsewhere = try start(&machine, record(0, key: "o", partition: 1))
        for pending in events + [elsewhere] { _ = machine.answered(pending) }

        let work = machine.repliesEnded(written: [events[1], events[0], elsewhere], givenUp: [events[2]])
        #expect(work.offsets == [partition: 2, other: 1])
        #expect(machine.offsetsStored().offsets.isEmpty)
        // The given-up offset 2 is never finished: offset 3's reply moves nothing.
        #expect(machine.repliesEnded(written: [events[3]], givenUp: []).offsets.isEmpty)
        #expect(machine.awaitingReply == 0 && machine.scheduler.admitted == 0)
    }

    /// The old `waitUntilDrained` resumed its waiter on timeout as if drained, so the stop never
    /// abandoned its work.
    @Test func aDrainTimeoutAnswersNotDrained() throws {
        var machine = machine()
        _ = try start(&machine, record(0, key: "a"))
        guard case .waiting(let id) = machine.waitForDrain(nil, waiter: 3) else {
            Issue.record("drained with work running")
            return
        }
        #expect(machine.drainTimedOut(id) == 3)
        #expect(machine.drainTimedOut(id) == nil, "a waiter is handed out once")
    }

    @Test func theStopDropsTheHeldRecordAndAbandoningStopsEveryStore() throws {
        var machine = machine(maxInFlight: 1, maxBufferedBytes: 10)
        let running = try start(&machine, record(0, key: "a", valueBytes: 9))
        // Full by bytes: the consuming loop waits.
        #expect(machine.waitForRoom(partition: partition, bytes: 5, waiter: 1) == nil)
        let stop = machine.stop()
        #expect(stop.waiters.map { $0.waiter } == [1] && stop.waiters.map { $0.answer } == [false])
        #expect(machine.waitForRoom(partition: partition, bytes: 1, waiter: 2) == false)
        guard case .dropped = machine.admit(record(1, key: "b"), kind: .customerMetadata, partition: partition) else {
            Issue.record("a record was admitted while stopping")
            return
        }
        _ = machine.answered(running)
        _ = machine.abandonAll()
        #expect(!machine.isCurrent(running))
        #expect(machine.replyWritten(running).offsets.isEmpty, "an abandoned event's offset was stored")
    }

    /// docs/contract.md, "Bounded memory": the values and keys of admitted records never exceed
    /// the byte bound together, counting events awaiting replies; one larger record is admitted alone.
    @Test func theByteBoundCountsRecordsAwaitingRepliesAndAdmitsOneLargeRecordAlone() throws {
        var machine = machine(maxInFlight: 8, maxBufferedBytes: 100)
        let first = try start(&machine, record(0, key: "k", valueBytes: 59))  // 60 bytes with its key
        #expect(machine.waitForRoom(partition: partition, bytes: 40, waiter: 1) == true)
        #expect(machine.waitForRoom(partition: partition, bytes: 41, waiter: 1) == nil)
        _ = machine.answered(first)
        // Answered but not written: still counts.
        #expect(machine.hasRoom(forBytes: 41) == false)
        let written = machine.replyWritten(first)
        #expect(written.toResume.waiters.map { $0.answer } == [true])
        #expect(machine.bufferedBytes == 0)
        // A record larger than the bound is admitted when nothing else is.
        #expect(machine.waitForRoom(partition: partition, bytes: 500, waiter: 2) == true)
        let large = try start(&machine, record(1, key: "k", valueBytes: 499))
        #expect(machine.waitForRoom(partition: partition, bytes: 1, waiter: 3) == nil)
        _ = machine.answered(large)
        #expect(machine.replyWritten(large).toResume.waiters.map { $0.waiter } == [3])
    }

    @Test func aRevokeDropsWaitingWorkAndTheRecordHeldForIt() throws {
        var machine = machine(maxInFlight: 1, maxBufferedBytes: 4)
        let running = try start(&machine, record(0, key: "a"))
        guard case .queued = machine.admit(record(1, key: "b"), kind: .customerMetadata, partition: partition) else {
            Issue.record("the second record did not queue")
            return
        }
        #expect(machine.waitForRoom(partition: partition, bytes: 3, waiter: 9) == nil)
        let (dropped, toResume) = machine.beginRevoke([partition])
        #expect(dropped.map(\.record.offset) == [1])
        #expect(toResume.waiters.map { $0.waiter } == [9] && toResume.waiters.map { $0.answer } == [false])
        #expect(machine.waitForRoom(partition: partition, bytes: 1, waiter: 10) == false, "a record of a revoking partition was let in")
        #expect(machine.waitForDrain([partition], waiter: 11) == .waiting(1))
        let release = machine.abandoned(running)
        #expect(release.toResume.waiters.map { $0.waiter } == [11])
        #expect(machine.bufferedBytes == 0)
    }
}

extension PipelineStateMachine {
    /// One event's reply was acknowledged: the tests' shorthand for `repliesEnded`.
    mutating func replyWritten(_ pending: PendingEvent) -> OffsetWork {
        repliesEnded(written: [pending], givenUp: [])
    }
}
