@testable import Kafka
import Testing

@Suite struct DeliveryTrackerTests {
    private func report(_ offset: Int64) -> Result<KafkaDeliveryReport, KafkaError> {
        .success(KafkaDeliveryReport(topic: "t", partition: 0, offset: offset))
    }

    @Test func completesABatchOnceEveryRecordIsReportedInAnyOrder() async {
        var tracker = DeliveryTracker()
        let id = tracker.begin(count: 3)
        let failure = KafkaError(code: -192, message: "timed out")
        let third = tracker.record(opaque: DeliveryTracker.opaque(batchID: id, index: 2), report(12))
        let first = tracker.record(opaque: DeliveryTracker.opaque(batchID: id, index: 0), report(10))
        let second = tracker.record(opaque: DeliveryTracker.opaque(batchID: id, index: 1), .failure(failure))
        #expect(first == nil && second == nil && third == nil)  // nobody waits yet
        let results = await withCheckedContinuation { continuation in
            if let results = tracker.wait(batchID: id, continuation) { continuation.resume(returning: results) }
        }
        #expect(results.count == 3)
        #expect((try? results[0].get())?.offset == 10)
        #expect((try? results[2].get())?.offset == 12)
        #expect(throws: failure) { try results[1].get() }
    }

    @Test func ignoresUnknownAndDuplicateReportsAndFailsTheRestOnClose() async {
        var tracker = DeliveryTracker()
        let id = tracker.begin(count: 2)
        _ = tracker.record(opaque: DeliveryTracker.opaque(batchID: id + 1, index: 0), report(1))
        _ = tracker.record(opaque: DeliveryTracker.opaque(batchID: id, index: 0), report(1))
        _ = tracker.record(opaque: DeliveryTracker.opaque(batchID: id, index: 0), report(2))
        let closed = KafkaError(code: -172, message: "closed")
        let results = await withCheckedContinuation { continuation in
            if let results = tracker.wait(batchID: id, continuation) {
                continuation.resume(returning: results)
                return
            }
            for (waiter, results) in tracker.failAll(closed) { waiter.resume(returning: results) }
        }
        #expect((try? results[0].get())?.offset == 1)
        #expect(throws: closed) { try results[1].get() }
    }
}

extension DeliveryTrackerTests {
    @Test func recordsReportsInBulkAcrossBatches() async {
        var tracker = DeliveryTracker()
        let first = tracker.begin(count: 2)
        let second = tracker.begin(count: 1)
        let waiting = await withCheckedContinuation { (continuation: CheckedContinuation<DeliveryTracker.Results, Never>) in
            #expect(tracker.wait(batchID: first, continuation) == nil)
            let finished = tracker.record([
                (DeliveryTracker.opaque(batchID: first, index: 1), report(11)),
                (DeliveryTracker.opaque(batchID: second, index: 0), report(20)),
                (DeliveryTracker.opaque(batchID: first, index: 0), report(10)),
                (DeliveryTracker.opaque(batchID: first, index: 0), report(99)),
            ])
            #expect(finished.count == 1)  // the second batch has no waiter yet
            for (waiter, results) in finished { waiter.resume(returning: results) }
        }
        #expect(waiting.compactMap { try? $0.get().offset } == [10, 11])
        let later = await withCheckedContinuation { continuation in
            if let results = tracker.wait(batchID: second, continuation) { continuation.resume(returning: results) }
        }
        #expect(later.compactMap { try? $0.get().offset } == [20])
    }
}
