import Testing
@testable import Bridge

@Suite struct KeyedSchedulerTests {
    private func lane(_ scheduler: KeyedScheduler<Int>, partition: Int32, key: String?) -> KeyedScheduler<Int>.Lane? {
        scheduler.lane(topic: "t", partition: partition, key: key.map { Array($0.utf8) })
    }

    @Test func sameKeyWaitsDifferentKeysRun() {
        var scheduler = KeyedScheduler<Int>(mode: .key)
        let a = lane(scheduler, partition: 0, key: "a")
        let b = lane(scheduler, partition: 0, key: "b")
        #expect(scheduler.admit(1, lane: a) == 1)
        #expect(scheduler.admit(2, lane: a) == nil)
        #expect(scheduler.admit(3, lane: b) == 3)
        #expect(scheduler.admit(4, lane: a) == nil)
        #expect(scheduler.admitted == 4)
        #expect(scheduler.finish(lane: a) == 2)
        #expect(scheduler.finish(lane: a) == 4)
        #expect(scheduler.finish(lane: a) == nil)
        #expect(scheduler.admit(5, lane: a) == 5)
        #expect(scheduler.finish(lane: b) == nil)
        #expect(scheduler.finish(lane: a) == nil)
        #expect(scheduler.admitted == 0)
    }

    @Test func theSameKeyInAnotherPartitionIsAnotherLane() {
        var scheduler = KeyedScheduler<Int>(mode: .key)
        #expect(scheduler.admit(1, lane: lane(scheduler, partition: 0, key: "a")) == 1)
        #expect(scheduler.admit(2, lane: lane(scheduler, partition: 1, key: "a")) == 2)
    }

    @Test func recordsWithoutKeyKeepTheirOrderWithinAPartition() {
        var scheduler = KeyedScheduler<Int>(mode: .key)
        let unkeyed = lane(scheduler, partition: 0, key: nil)
        #expect(scheduler.admit(1, lane: unkeyed) == 1)
        #expect(scheduler.admit(2, lane: unkeyed) == nil)
    }

    @Test func partitionModeSerialisesAWholePartition() {
        var scheduler = KeyedScheduler<Int>(mode: .partition)
        #expect(scheduler.admit(1, lane: lane(scheduler, partition: 0, key: "a")) == 1)
        #expect(scheduler.admit(2, lane: lane(scheduler, partition: 0, key: "b")) == nil)
        #expect(scheduler.admit(3, lane: lane(scheduler, partition: 1, key: "a")) == 3)
        #expect(scheduler.finish(lane: lane(scheduler, partition: 0, key: "a")) == 2)
    }

    @Test func noneModeNeverWaits() {
        var scheduler = KeyedScheduler<Int>(mode: .none)
        let same = lane(scheduler, partition: 0, key: "a")
        #expect(same == nil)
        #expect(scheduler.admit(1, lane: same) == 1)
        #expect(scheduler.admit(2, lane: same) == 2)
        #expect(scheduler.admitted == 2)
    }

    @Test func droppingARevokedPartitionsWaitingEventsFreesTheirSlots() {
        var scheduler = KeyedScheduler<Int>(mode: .key)
        let p0 = lane(scheduler, partition: 0, key: "a")
        let p1 = lane(scheduler, partition: 1, key: "a")
        _ = scheduler.admit(1, lane: p0)
        _ = scheduler.admit(2, lane: p0)
        _ = scheduler.admit(3, lane: p0)
        _ = scheduler.admit(4, lane: p1)
        _ = scheduler.admit(5, lane: p1)
        let dropped = scheduler.dropWaiting { $0.partition == 0 }
        #expect(dropped.sorted() == [2, 3])
        #expect(scheduler.admitted == 3)
        #expect(scheduler.finish(lane: p0) == nil)
        #expect(scheduler.finish(lane: p1) == 5)
    }
}
