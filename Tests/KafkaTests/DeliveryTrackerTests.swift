@testable import Kafka
import Testing

@Suite struct DeliveryTrackerTests {
    private func stored(_ offset: Int64) -> DeliveryOutcome {
        .stored(partition: 0, offset: offset)
    }

    @Test func completesABatchOnceEveryRecordIsReportedInAnyOrder() async {
        var tracker = DeliveryTracker()
        let id = tracker.begin(count: 3)
        let third = tracker.record(opaque: DeliveryTracker.opaque(batchID: id, index: 2), stored(12))
        let first = tracker.record(opaque: DeliveryTracker.opaque(batchID: id, index: 0), stored(10))
        let second = tracker.record(opaque: DeliveryTracker.opaque(batchID: id, index: 1), .failed(-192))
        #expect(first == nil && second == nil && third == nil)  // nobody waits yet
        let outcomes = await withCheckedContinuation { continuation in
            if let outcomes = tracker.wait(batchID: id, { continuation.resume(returning: $0) }) { continuation.resume(returning: outcomes) }
        }
        #expect(outcomes == [stored(10), .failed(-192), stored(12)])
        let results = outcomes.map { $0.result(topic: "t") }
        #expect((try? results[2].get()) == KafkaDeliveryReport(topic: "t", partition: 0, offset: 12))
        #expect(throws: KafkaError(librdkafkaCode: -192, message: "Local: Message timed out")) { try results[1].get() }
    }

    @Test func ignoresUnknownAndDuplicateReportsAndFailsTheRestOnClose() async {
        var tracker = DeliveryTracker()
        let id = tracker.begin(count: 2)
        _ = tracker.record(opaque: DeliveryTracker.opaque(batchID: id + 1, index: 0), stored(1))
        _ = tracker.record(opaque: DeliveryTracker.opaque(batchID: id, index: 0), stored(1))
        _ = tracker.record(opaque: DeliveryTracker.opaque(batchID: id, index: 0), stored(2))
        _ = tracker.record(opaque: DeliveryTracker.opaque(batchID: id, index: 7), stored(3))
        let outcomes = await withCheckedContinuation { continuation in
            if let outcomes = tracker.wait(batchID: id, { continuation.resume(returning: $0) }) {
                continuation.resume(returning: outcomes)
                return
            }
            for (waiter, outcomes) in tracker.failAll(code: -197) { waiter(outcomes) }
        }
        #expect(outcomes == [stored(1), .failed(-197)])
        #expect(throws: KafkaError.closed) { try outcomes[1].result(topic: "t").get() }
    }

    @Test func aBatchClosedBeforeItsSenderWaitsKeepsItsReportsAndIgnoresLateOnes() async {
        var tracker = DeliveryTracker()
        let id = tracker.begin(count: 2)
        _ = tracker.record(opaque: DeliveryTracker.opaque(batchID: id, index: 0), stored(5))
        #expect(tracker.failAll(code: -197).isEmpty)  // nobody waits yet
        _ = tracker.record(opaque: DeliveryTracker.opaque(batchID: id, index: 1), .failed(-1))
        var returnedAtOnce = false
        let outcomes = await withCheckedContinuation { continuation in
            if let outcomes = tracker.wait(batchID: id, { continuation.resume(returning: $0) }) {
                returnedAtOnce = true
                continuation.resume(returning: outcomes)
                return
            }
            for (waiter, outcomes) in tracker.failAll(code: -197) { waiter(outcomes) }
        }
        #expect(returnedAtOnce)
        #expect(outcomes == [stored(5), .failed(-197)])
    }
}

extension DeliveryTrackerTests {
    @Test func recordsReportsInBulkAcrossBatches() async {
        var tracker = DeliveryTracker()
        let first = tracker.begin(count: 2)
        let second = tracker.begin(count: 1)
        let waiting = await withCheckedContinuation { (continuation: CheckedContinuation<DeliveryTracker.Outcomes, Never>) in
            #expect(tracker.wait(batchID: first, { continuation.resume(returning: $0) }) == nil)
            let finished = tracker.record([
                (DeliveryTracker.opaque(batchID: first, index: 1), stored(11)),
                (DeliveryTracker.opaque(batchID: second, index: 0), stored(20)),
                (DeliveryTracker.opaque(batchID: first, index: 0), stored(10)),
                (DeliveryTracker.opaque(batchID: first, index: 0), stored(99)),
            ])
            #expect(finished.count == 1)  // the second batch has no waiter yet
            for (waiter, outcomes) in finished { waiter(outcomes) }
        }
        #expect(waiting.map(\.offset) == [10, 11])
        let later = await withCheckedContinuation { continuation in
            if let outcomes = tracker.wait(batchID: second, { continuation.resume(returning: $0) }) { continuation.resume(returning: outcomes) }
        }
        #expect(later.map(\.offset) == [20])
    }
}
