import Testing
import TestSupport
@testable import Bridge

@Suite struct PartitionOffsetTrackerTests {
    @Test func committableStaysBehindAnUnfinishedEarlierOffset() {
        var tracker = PartitionOffsetTracker()
        for offset in Int64(10)...14 {
            let began = tracker.begin(offset)
            #expect(began == nil)
        }
        #expect(tracker.finish(12) == nil)
        #expect(tracker.finish(11) == nil)
        #expect(tracker.committable == nil)
        #expect(tracker.finish(10) == 13)
        #expect(tracker.committable == 13)
        #expect(tracker.inFlight == 2)
        #expect(tracker.finish(14) == nil)
        #expect(tracker.finish(13) == 15)
        #expect(tracker.inFlight == 0)
    }

    @Test func gapsInOffsetsAreAllowed() {
        // Compacted topics and transaction markers leave gaps; the tracker only knows what it saw.
        var tracker = PartitionOffsetTracker()
        let began3 = tracker.begin(3)
        #expect(began3 == nil)
        let began7 = tracker.begin(7)
        #expect(began7 == nil)
        #expect(tracker.finish(7) == nil)
        #expect(tracker.finish(3) == 8)
    }

    @Test func unknownOrRepeatedOffsetsChangeNothing() {
        var tracker = PartitionOffsetTracker()
        let began5 = tracker.begin(5)
        #expect(began5 == nil)
        #expect(tracker.finish(4) == nil)
        #expect(tracker.finish(6) == nil)
        #expect(tracker.finish(5) == 6)
        #expect(tracker.finish(5) == nil)
        let beganAgain = tracker.begin(5)
        #expect(beganAgain == .alreadyFinished(committable: 6), "a redelivered finished offset is not tracked")
        #expect(tracker.inFlight == 0)
    }

    /// A second copy of an offset in flight must not be tracked: finishing the copy would mark the
    /// first one finished while it still runs, and its offset could be stored before its work ends.
    @Test func anOffsetNotAfterTheOnesInFlightIsRefused() {
        var tracker = PartitionOffsetTracker()
        let began5 = tracker.begin(5)
        #expect(began5 == nil)
        let began6 = tracker.begin(6)
        #expect(began6 == nil)
        let beganCopy = tracker.begin(6)
        #expect(beganCopy == .notAfterInFlight(last: 6))
        let began4 = tracker.begin(4)
        #expect(began4 != nil)
        #expect(tracker.inFlight == 2)
        #expect(tracker.finish(5) == 6)
        let began7 = tracker.begin(7)
        #expect(began7 == nil)
    }

    @Test func randomCompletionOrderAlwaysCommitsTheContiguousPrefix() {
        var generator = SeededGenerator(seed: 42)
        for _ in 0..<50 {
            var tracker = PartitionOffsetTracker()
            let offsets = Array(Int64(0)..<200)
            offsets.forEach { _ = tracker.begin($0) }
            var finished = Set<Int64>()
            for offset in offsets.shuffled(using: &generator) {
                let moved = tracker.finish(offset)
                finished.insert(offset)
                var prefix: Int64 = 0
                while finished.contains(prefix) { prefix += 1 }
                if let moved { #expect(moved == prefix) }
                #expect((tracker.committable ?? 0) == prefix)
            }
        }
    }
}
