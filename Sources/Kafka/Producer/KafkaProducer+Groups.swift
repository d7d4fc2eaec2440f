import CRdKafka

extension KafkaProducer {
    /// A group of records handed to the producer by ``KafkaProducer/enqueue(groups:)``, whose
    /// results are awaited on their own with ``KafkaProducer/results(of:)``.
    public struct GroupTicket: Sendable {
        /// The tracker's batch id of the group; 0 when it was not handed over (see `refusal`).
        let batchID: UInt64
        /// The group's topics, in order, to turn outcomes into results.
        let topics: [String]
        /// Why the group was not handed over: the producer was closed, or it is too large.
        let refusal: KafkaError?

        /// The group's results from the tracker's outcomes; a record without one failed with `closed`.
        func results(from outcomes: DeliveryTracker.Outcomes) -> [Result<KafkaDeliveryReport, KafkaError>] {
            topics.indices.map { index in
                index < outcomes.count ? outcomes[index].result(topic: topics[index]) : .failure(KafkaError.closed)
            }
        }
    }

    /// Hands several groups of records to the producer thread at once: one hand-over and at most
    /// one wake-up of the thread for all of them, so librdkafka gets them as one burst. Each group
    /// completes on its own: ``results(of:)`` of one group returns once its records are
    /// acknowledged or failed, whatever becomes of the other groups (a record of a partition
    /// without a leader holds up only its own group).
    ///
    /// - Important: await ``results(of:)`` of every ticket; a ticket nobody awaits keeps its
    ///   outcomes in the producer until it closes.
    public func enqueue(groups: [[KafkaOutgoingRecord]]) -> [GroupTicket] {
        let core = self.core
        return core.state.withLock { state -> [GroupTicket] in
            guard state.isOpen else {
                return groups.map { GroupTicket(batchID: 0, topics: $0.map(\.topic), refusal: .closed) }
            }
            var tickets: [GroupTicket] = []
            tickets.reserveCapacity(groups.count)
            for records in groups {
                // An opaque id indexes at most `maxBatchCount` records of a batch.
                guard records.count <= DeliveryTracker.maxBatchCount else {
                    let refusal = KafkaError.invalidArgument(
                        "a group of \(records.count) records is more than \(DeliveryTracker.maxBatchCount)")
                    tickets.append(GroupTicket(batchID: 0, topics: records.map(\.topic), refusal: refusal))
                    continue
                }
                guard !records.isEmpty else {
                    tickets.append(GroupTicket(batchID: 0, topics: [], refusal: nil))
                    continue
                }
                let batchID = state.tracker.begin(count: records.count)
                state.queued.append(ProducerCore.QueuedBatch(records: records, batchID: batchID))
                tickets.append(GroupTicket(batchID: batchID, topics: records.map(\.topic), refusal: nil))
            }
            if state.threadIdle {
                state.threadIdle = false
                // Under the lock: the close thread destroys the queue only after taking it.
                rd_kafka_queue_yield(core.mainQueue.raw)
            }
            return tickets
        }
    }

    /// The results of a group handed over with ``enqueue(groups:)``, one per record, in order,
    /// once all are acknowledged or failed. A group handed over while the producer was closed
    /// fails with `closed`.
    public func results(of ticket: GroupTicket) async -> [Result<KafkaDeliveryReport, KafkaError>] {
        await withCheckedContinuation { continuation in
            whenResults(of: ticket) { continuation.resume(returning: $0) }
        }
    }

    /// Calls `body` with the results of a group handed over with ``enqueue(groups:)``, one per
    /// record, in order, once all are acknowledged or failed: on the producer's delivery thread,
    /// or at once on the caller's thread when they are in already. No task waits meanwhile, so
    /// many groups cost one wake-up of whoever collects their results, not one each.
    ///
    /// - Important: `body` runs on the thread that delivers every record's report: it must be
    ///   quick and must not block.
    public func whenResults(of ticket: GroupTicket, _ body: @escaping @Sendable ([Result<KafkaDeliveryReport, KafkaError>]) -> Void) {
        guard ticket.batchID != 0 else {
            body(ticket.topics.map { _ in .failure(ticket.refusal ?? KafkaError.closed) })
            return
        }
        let waiter: DeliveryTracker.Waiter = { outcomes in body(ticket.results(from: outcomes)) }
        // Already complete (or failed by the close): the outcomes come back at once.
        if let ready = core.state.withLock({ $0.tracker.wait(batchID: ticket.batchID, waiter) }) {
            waiter(ready)
        }
    }
}
