import Testing
@testable import Bridge

@Suite struct KeyedSchedulerTests {
    struct Work: LaneScheduled, Equatable {
        var id: Int
        var lane: OrderingLane?
    }

    private func work(_ id: Int, _ scheduler: KeyedScheduler<Work>, partition: Int32 = 0, key: String?) -> Work {
        Work(id: id, lane: scheduler.lane(topic: "t", partition: partition, key: key.map { Array($0.utf8)[...] }))
    }

    @Test func sameKeyWaitsDifferentKeysRun() {
        var scheduler = KeyedScheduler<Work>(mode: .key, maxRunning: 10)
        let a1 = work(1, scheduler, key: "a"), a2 = work(2, scheduler, key: "a"), b3 = work(3, scheduler, key: "b")
        let a4 = work(4, scheduler, key: "a")
        #expect(scheduler.admit(a1) == a1)
        #expect(scheduler.admit(a2) == nil)
        #expect(scheduler.admit(b3) == b3)
        #expect(scheduler.admit(a4) == nil)
        #expect(scheduler.admitted == 4)
        #expect(scheduler.running == 2)
        #expect(scheduler.finish(a1) == a2)
        #expect(scheduler.finish(a2) == a4)
        #expect(scheduler.finish(a4) == nil)
        let a5 = work(5, scheduler, key: "a")
        #expect(scheduler.admit(a5) == a5)
        #expect(scheduler.finish(b3) == nil)
        #expect(scheduler.finish(a5) == nil)
        #expect(scheduler.admitted == 0)
        #expect(scheduler.running == 0)
    }

    @Test func atMostMaxRunningRunAndTheRestStartInArrivalOrder() {
        var scheduler = KeyedScheduler<Work>(mode: .key, maxRunning: 2)
        let items = (0..<5).map { work($0, scheduler, key: "k\($0)") }
        #expect(scheduler.admit(items[0]) == items[0])
        #expect(scheduler.admit(items[1]) == items[1])
        #expect(scheduler.admit(items[2]) == nil)
        #expect(scheduler.admit(items[3]) == nil)
        #expect(scheduler.running == 2)
        #expect(scheduler.finish(items[1]) == items[2])
        #expect(scheduler.finish(items[0]) == items[3])
        #expect(scheduler.running == 2)
    }

    @Test func aKeysNextEventQueuesBehindEventsReadyBeforeIt() {
        var scheduler = KeyedScheduler<Work>(mode: .key, maxRunning: 1)
        let a1 = work(1, scheduler, key: "a"), b2 = work(2, scheduler, key: "b"), a3 = work(3, scheduler, key: "a")
        #expect(scheduler.admit(a1) == a1)
        #expect(scheduler.admit(b2) == nil)
        #expect(scheduler.admit(a3) == nil)
        #expect(scheduler.finish(a1) == b2)
        #expect(scheduler.finish(b2) == a3)
    }

    @Test func theSameKeyInAnotherPartitionIsAnotherLane() {
        var scheduler = KeyedScheduler<Work>(mode: .key, maxRunning: 10)
        let first = work(1, scheduler, partition: 0, key: "a"), second = work(2, scheduler, partition: 1, key: "a")
        #expect(scheduler.admit(first) == first)
        #expect(scheduler.admit(second) == second)
    }

    @Test func recordsWithoutKeyKeepTheirOrderWithinAPartition() {
        var scheduler = KeyedScheduler<Work>(mode: .key, maxRunning: 10)
        let first = work(1, scheduler, key: nil), second = work(2, scheduler, key: nil)
        #expect(scheduler.admit(first) == first)
        #expect(scheduler.admit(second) == nil)
    }

    @Test func partitionModeSerialisesAWholePartition() {
        var scheduler = KeyedScheduler<Work>(mode: .partition, maxRunning: 10)
        let a = work(1, scheduler, partition: 0, key: "a"), b = work(2, scheduler, partition: 0, key: "b")
        let other = work(3, scheduler, partition: 1, key: "a")
        #expect(scheduler.admit(a) == a)
        #expect(scheduler.admit(b) == nil)
        #expect(scheduler.admit(other) == other)
        #expect(scheduler.finish(a) == b)
    }

    @Test func noneModeNeverWaitsForALane() {
        var scheduler = KeyedScheduler<Work>(mode: .none, maxRunning: 10)
        let first = work(1, scheduler, key: "a"), second = work(2, scheduler, key: "a")
        #expect(first.lane == nil)
        #expect(scheduler.admit(first) == first)
        #expect(scheduler.admit(second) == second)
        #expect(scheduler.running == 2)
    }

    @Test func droppingARevokedPartitionsWaitingEventsFreesTheirLanes() {
        var scheduler = KeyedScheduler<Work>(mode: .key, maxRunning: 2)
        let p0a1 = work(1, scheduler, partition: 0, key: "a"), p0a2 = work(2, scheduler, partition: 0, key: "a")
        let p1a3 = work(3, scheduler, partition: 1, key: "a"), p0b4 = work(4, scheduler, partition: 0, key: "b")
        let p0b5 = work(5, scheduler, partition: 0, key: "b"), p1c6 = work(6, scheduler, partition: 1, key: "c")
        for item in [p0a1, p0a2, p1a3, p0b4, p0b5, p1c6] { _ = scheduler.admit(item) }
        #expect(scheduler.running == 2)  // p0a1 and p1a3
        let dropped = scheduler.dropWaiting { $0.lane?.partition == 0 }
        #expect(Set(dropped.map(\.id)) == [2, 4, 5])
        #expect(scheduler.admitted == 3)
        #expect(scheduler.finish(p0a1) == p1c6)
        #expect(scheduler.finish(p1a3) == nil)
        // Partition 0's lanes are free again.
        let again = work(7, scheduler, partition: 0, key: "b")
        #expect(scheduler.admit(again) == again)
    }
}
