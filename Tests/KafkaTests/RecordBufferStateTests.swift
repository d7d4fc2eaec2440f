@testable import Kafka
import Testing

@Suite struct RecordBufferStateTests {
    private func record(_ partition: Int32, _ offset: Int64) -> KafkaRecord {
        KafkaRecord(topic: "t", partition: partition, offset: offset, key: nil, value: nil)
    }

    private func takeOffsets(_ state: inout RecordBufferState) -> [Int64]? {
        if case .batch(let batch, _) = state.take() { return batch.records.map(\.offset) }
        return nil
    }

    @Test func deliversBatchesInOrderAndCounts() {
        var state = RecordBufferState(capacity: 10)
        let firstHandoff = state.append([record(0, 1), record(0, 2)])
        let secondHandoff = state.append([record(0, 3)])
        #expect(firstHandoff == nil && secondHandoff == nil)
        #expect(state.count == 3)
        #expect(takeOffsets(&state) == [1, 2])
        #expect(takeOffsets(&state) == [3])
        #expect(state.count == 0)
        if case .empty = state.take() {} else { Issue.record("expected empty") }
    }

    @Test func pauseHoldsBufferedAndNewRecordsAndResumeReleasesThemInOrder() {
        var state = RecordBufferState(capacity: 10)
        _ = state.append([record(0, 1), record(1, 1), record(0, 2)])
        state.pause([KafkaTopicPartition(topic: "t", partition: 0)])
        _ = state.append([record(0, 3), record(1, 2)])
        #expect(state.count == 2)
        #expect(takeOffsets(&state) == [1])
        #expect(takeOffsets(&state) == [2])
        let empty = state.take()
        #expect(empty.isEmpty)
        _ = state.resume([KafkaTopicPartition(topic: "t", partition: 0)])
        #expect(takeOffsets(&state) == [1, 2, 3])
    }

    @Test func dropRemovesRevokedPartitions() {
        var state = RecordBufferState(capacity: 10)
        _ = state.append([record(0, 1), record(1, 1)])
        state.drop([KafkaTopicPartition(topic: "t", partition: 0)])
        #expect(state.count == 1)
        #expect(takeOffsets(&state) == [1])
    }

    @Test func fullBufferAsksToWakeThePollThreadOnceSpaceFrees() {
        var state = RecordBufferState(capacity: 2)
        _ = state.append([record(0, 1), record(0, 2)])
        let full = state.isFullMarkingWaiter()
        #expect(full)
        guard case .batch(_, let wake) = state.take() else { Issue.record("expected a batch"); return }
        #expect(wake)
        let stillFull = state.isFullMarkingWaiter()
        #expect(!stillFull)
    }

    /// A few large records fill the buffer as many small ones do: the poll thread stops fetching
    /// at the byte bound, and is woken once a take brings the bytes below it.
    @Test func largeRecordsFillTheBufferByTheirBytes() {
        func large(_ offset: Int64) -> KafkaRecord {
            KafkaRecord(topic: "t", partition: 0, offset: offset, key: Array("k".utf8), value: Array(repeating: 7, count: 999))
        }
        var state = RecordBufferState(capacity: 1024, capacityBytes: 2000)
        _ = state.append([large(1)])
        let afterOne = state.isFullMarkingWaiter()
        _ = state.append([large(2)])
        let afterTwo = state.isFullMarkingWaiter()
        #expect(state.bytes == 2000)
        #expect(!afterOne && afterTwo, "two records of 1,000 bytes fill a 2,000-byte buffer")
        #expect(!state.isHalfEmpty)
        guard case .batch(let batch, let wake) = state.take() else { Issue.record("expected a batch"); return }
        #expect(batch.records.map(\.offset) == [1])
        #expect(wake, "the poll thread waits for space and must be woken")
        #expect(state.bytes == 1000 && state.isHalfEmpty)
        state.pause([KafkaTopicPartition(topic: "t", partition: 0)])
        #expect(state.bytes == 0, "held records of a paused partition are not ready for delivery")
    }

    @Test func finishEndsTheSequence() {
        var state = RecordBufferState(capacity: 2)
        _ = state.append([record(0, 1)])
        let waiters = state.finish()
        #expect(waiters.isEmpty)
        if case .finished = state.take() {} else { Issue.record("expected finished") }
        let handoff = state.append([record(0, 2)])
        #expect(handoff == nil)
    }
}

extension RecordBufferState.TakeResult {
    var isEmpty: Bool {
        if case .empty = self { return true }
        return false
    }
}

extension RecordBufferStateTests {
    @Test func recordsPutBackByADroppedIteratorComeFirst() {
        var state = RecordBufferState(capacity: 10)
        _ = state.append([record(0, 1), record(0, 2), record(0, 3)])
        _ = state.append([record(0, 4)])
        _ = state.take()
        let handoff = state.putBack([record(0, 2), record(0, 3)])
        #expect(handoff == nil)
        #expect(state.count == 3)
        #expect(takeOffsets(&state) == [2, 3])
        #expect(takeOffsets(&state) == [4])
    }
}
