import CustomerAPIs
import Kafka
import Logging
import Synchronization

/// The per-event path of the bridge, top to bottom: a record is admitted when there is room,
/// decoded, sent to its API through the API's route, answered with a reply (and a dead letter),
/// and only then counted finished, so the stored offset never passes an unanswered event
/// (CONTRACT section 5).
///
/// Concurrency: up to `maxInFlight` records run at once, records of one ordering lane one after
/// another; many times more are admitted (`PipelineBook.maxAdmitted`), so that other keys can run
/// while a hot key's records wait. When that many are admitted the pipeline stops pulling records,
/// and the Kafka layer's bounded buffer then stops fetching, so memory stays flat however large
/// the backlog.
final class BridgePipeline: Sendable {
    struct Configuration: Sendable {
        /// Which kind every input topic carries.
        var topicKinds: [String: EventKind]
        var replyTopic: String
        var deadLetterTopic: String
        var maxInFlight: Int
        var ordering: OrderingMode
        /// How long a revoke waits for the running work of its partitions before abandoning it.
        var revokeGrace: Duration
    }

    private let configuration: Configuration
    private let consumer: KafkaConsumer
    private let producer: KafkaProducer
    private let decoder: EventDecoder
    private let routes: [EventKind: APIRoute]
    private let metrics: BridgeMetrics
    private let logger: Logger
    private let messages: BridgeMessages
    private let book: Mutex<PipelineBook>
    private let replies = ReplyQueue()

    init(
        configuration: Configuration, consumer: KafkaConsumer, producer: KafkaProducer, decoder: EventDecoder,
        routes: [EventKind: APIRoute], metrics: BridgeMetrics, logger: Logger
    ) {
        self.configuration = configuration
        self.consumer = consumer
        self.producer = producer
        self.decoder = decoder
        self.routes = routes
        self.metrics = metrics
        self.logger = logger
        self.messages = BridgeMessages(replyTopic: configuration.replyTopic, deadLetterTopic: configuration.deadLetterTopic)
        self.book = Mutex(PipelineBook(maxInFlight: configuration.maxInFlight, ordering: configuration.ordering))
    }

    /// Events running (sent to an API or being answered) now.
    var inFlight: Int { book.withLock { $0.scheduler.running } }

    /// The next offset to process of each assigned partition that has finished a record.
    func positions() -> [(KafkaTopicPartition, Int64)] {
        book.withLock { book in
            book.trackers.compactMap { partition, tracker in tracker.committable.map { (partition, $0) } }
        }
    }

    /// The partitions currently assigned to this pipeline.
    var assignedPartitions: [KafkaTopicPartition] { book.withLock { Array($0.generations.keys) } }

    // MARK: - The consuming loop

    /// Pulls records until the consumer's stream ends (after `consumer.close()`), running each
    /// admitted record's lane on a task of its own and writing replies on another, until every
    /// lane has ended and every reply is written or given up.
    func consume() async {
        let writer = Task { await writeReplies() }
        await withDiscardingTaskGroup { group in
            for await record in consumer.records {
                guard let kind = configuration.topicKinds[record.topic] else { continue }
                let partition = KafkaTopicPartition(topic: record.topic, partition: record.partition)
                // False when stopping, or when the partition was revoked meanwhile: leave the record for the next owner.
                guard await waitForRoom(holding: partition) else { continue }
                let (admitted, start, running) = book.withLock { $0.admit(record, kind: kind, partition: partition) }
                guard admitted else { continue }
                metrics.recordInFlight(running)
                if let start {
                    group.addTask { await self.runLane(from: start) }
                }
            }
        }
        replies.finish()
        await writer.value
    }

    /// Suspends while the pipeline is full. Returns `false` once it is stopping, or when the
    /// partition of the record held meanwhile is revoked.
    private func waitForRoom(holding partition: KafkaTopicPartition) async -> Bool {
        await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
            let answer: Bool? = book.withLock { book in
                if book.stopping { return false }
                if book.hasRoom { return true }
                book.roomWaiter = continuation
                book.roomWaiterPartition = partition
                return nil
            }
            if let answer { continuation.resume(returning: answer) }
        }
    }

    /// Runs `first` and then every event that queued behind it in its lane.
    ///
    /// An event leaves its lane (and its in-flight slot) once its API work is over: its reply goes
    /// to the reply writer, so the lane's next event is not held up by the broker's acknowledgement.
    /// The event stays admitted, and its offset unstored, until the reply is acknowledged.
    private func runLane(from first: PipelineBook.Pending) async {
        var next: PipelineBook.Pending? = first
        while let pending = next {
            let answered = await answer(pending)
            if let answered { replies.append(answered) }
            let release = book.withLock { $0.release(pending, answered: answered != nil) }
            release.wakeups.resume()
            metrics.recordInFlight(release.running)
            next = release.next
        }
    }

    // MARK: - One event

    /// Decodes the event, sends it to its API and makes its reply (and dead letter); `nil` when
    /// the work was abandoned (shutdown or a revoked partition) before an outcome was final.
    private func answer(_ pending: PipelineBook.Pending) async -> AnsweredEvent? {
        let record = pending.record
        let event = EventRecord(
            topic: record.topic, partition: record.partition, offset: record.offset, key: record.key,
            value: record.value, headers: record.headers.map { EventHeader(name: $0.name, value: $0.value) })
        let decoded = decoder.decode(event, kind: pending.kind)

        let resolution: EventResolution
        switch decoded.decision {
        case .rejected(let rejection):
            resolution = .rejected(rejection)
        case .request(let request):
            guard let route = routes[pending.kind] else { return nil }
            switch await route.deliver(
                request, correlationID: decoded.correlationID, traceparent: decoded.traceparent,
                isAbandoned: isAbandoned(pending))
            {
            case .abandoned:
                logger.debug("event abandoned; it will be redone by the partition's next owner", metadata: metadata(decoded, record))
                return nil
            case .finished(.success(let success), let attempts):
                resolution = .succeeded(success, attempts: attempts)
            case .finished(.failure(let failure), let attempts):
                resolution = .failed(failure, attempts: attempts)
            }
        }
        let records = messages.make(for: record, event: decoded, resolution: resolution, completedAt: .now)
        return AnsweredEvent(pending: pending, records: records, event: decoded, resolution: resolution)
    }

    private func isAbandoned(_ pending: PipelineBook.Pending) -> @Sendable () -> Bool {
        { [self] in !self.book.withLock { $0.isCurrent(pending) } }
    }

    // MARK: - Replies

    /// Writes the replies of answered events in batches, in the order they were answered, until
    /// the queue is finished and empty. A batch's failed records are retried on a task of their
    /// own, so one broker error does not hold up the replies behind it. Offsets are stored once
    /// per partition and batch: the committable positions only move forward.
    private func writeReplies() async {
        await withDiscardingTaskGroup { retries in
            while true {
                let batch = await replies.next()
                if batch.isEmpty { return }
                let records = batch.flatMap(\.records)
                let results = await send(records)
                var committable: [KafkaTopicPartition: Int64] = [:]
                var start = 0
                for answered in batch {
                    let end = start + answered.records.count
                    let failed = failedRecords(answered.records, results[start..<end])
                    start = end
                    if failed.isEmpty {
                        if let offset = replyDone(answered, written: true) { committable[answered.pending.partition] = offset }
                    } else {
                        retries.addTask {
                            let written = await self.publish(failed, isAbandoned: self.isAbandoned(answered.pending))
                            if let offset = self.replyDone(answered, written: written) { self.storeOffset(answered.pending.partition, offset) }
                        }
                    }
                }
                for (partition, offset) in committable { storeOffset(partition, offset) }
            }
        }
    }

    /// A reply was acknowledged (or given up with its partition): count and log the outcome, and
    /// let the admission window move. Returns the offset it lets the caller store.
    private func replyDone(_ answered: AnsweredEvent, written: Bool) -> Int64? {
        let pending = answered.pending
        let done = book.withLock { $0.replyDone(pending, written: written) }
        done.wakeups.resume()
        guard written else { return nil }
        metrics.recordResolution(kind: pending.kind, answered.resolution)
        log(answered.resolution, answered.event, pending.record)
        return done.committable
    }

    /// Writes records, retrying with backoff until the broker acknowledged all of them or the work
    /// is abandoned. Returns whether all were acknowledged.
    private func publish(_ outgoing: [KafkaOutgoingRecord], isAbandoned: @Sendable () -> Bool) async -> Bool {
        var pending = outgoing
        var delay = Duration.milliseconds(100)
        while !pending.isEmpty {
            if isAbandoned() { return false }
            try? await Task.sleep(for: delay)
            delay = min(delay * 2, .seconds(5))
            pending = failedRecords(pending, await send(pending)[...])
        }
        return true
    }

    /// One result per record: the broker's acknowledgement or why it failed.
    private func send(_ records: [KafkaOutgoingRecord]) async -> [Result<KafkaDeliveryReport, KafkaError>] {
        do throws(KafkaError) {
            return try await producer.send(batch: records)
        } catch {
            return records.map { _ in .failure(error) }
        }
    }

    /// The records whose write failed, each logged.
    private func failedRecords(
        _ records: [KafkaOutgoingRecord], _ results: ArraySlice<Result<KafkaDeliveryReport, KafkaError>>
    ) -> [KafkaOutgoingRecord] {
        zip(records, results).compactMap { record, result in
            guard case .failure(let error) = result else { return nil }
            logger.warning("writing to \(record.topic) failed; retrying", metadata: ["error": "\(error)"])
            return record
        }
    }

    private func storeOffset(_ partition: KafkaTopicPartition, _ offset: Int64) {
        do {
            try consumer.storeOffsets([KafkaTopicPartitionOffset(topic: partition.topic, partition: partition.partition, offset: offset)])
        } catch {
            // The partition was revoked between the reply and the store: its next owner redoes the event.
            logger.debug("offset not stored", metadata: ["topic": "\(partition.topic)", "partition": "\(partition.partition)", "error": "\(error)"])
        }
    }

    // MARK: - Logs

    private func metadata(_ event: DecodedEvent, _ record: KafkaRecord) -> Logger.Metadata {
        [
            "event-id": "\(event.eventID)", "kind": "\(event.kind.rawValue)", "topic": "\(record.topic)",
            "partition": "\(record.partition)", "offset": "\(record.offset)", "correlation-id": "\(event.correlationID)",
        ]
    }

    private func log(_ resolution: EventResolution, _ event: DecodedEvent, _ record: KafkaRecord) {
        // Successes are logged at debug: skip building their metadata when that is off.
        if resolution.error == nil, logger.logLevel > .debug { return }
        var metadata = metadata(event, record)
        metadata["status"] = "\(resolution.status.rawValue)"
        metadata["attempts"] = "\(resolution.attempts)"
        if let status = resolution.httpStatus { metadata["http-status"] = "\(status)" }
        if let error = resolution.error {
            metadata["error-code"] = "\(error.code)"
            metadata["error"] = "\(error.message)"
            logger.warning("event \(resolution.status.rawValue)", metadata: metadata)
        } else {
            logger.debug("event succeeded", metadata: metadata)
        }
    }

    // MARK: - Rebalance and shutdown

    /// Partitions were assigned: track them. (Pausing them while an event of their API waits for
    /// its circuit is `CircuitPauseControl`'s.)
    func partitionsAssigned(_ partitions: [KafkaTopicPartition]) {
        book.withLock { $0.assign(partitions) }
    }

    /// Partitions are being revoked: their waiting work is dropped, their running work gets
    /// `revokeGrace` to finish (its offsets are stored as it does), and the rest is abandoned,
    /// to be redone by the next owner. When the assignment was `lost` (the group session expired,
    /// so another member may own the partitions already) nothing waits: all their work is
    /// abandoned at once and no offset of theirs is stored.
    func partitionsRevoked(_ partitions: [KafkaTopicPartition], lost: Bool = false) async {
        let revoked = Set(partitions)
        let (dropped, holder) = book.withLock { ($0.beginRevoke(revoked), $0.takeRoomWaiter(holdingOneOf: revoked)) }
        holder?.resume(returning: false)
        if !dropped.isEmpty {
            logger.debug("dropped \(dropped.count) waiting events of revoked partitions")
        }
        // After a shutdown gave up on its work, a revoke (from closing the consumer) waits for nothing.
        let abandoned = lost || book.withLock { $0.abandonAll }
        let drained = abandoned ? false : await waitUntilDrained(revoked, within: configuration.revokeGrace)
        if lost {
            logger.warning("partitions lost; their unfinished events will be redone by their next owner", metadata: ["count": "\(partitions.count)"])
        } else if !drained && !abandoned {
            logger.warning("revoke grace ran out; unfinished events of the revoked partitions will be redone by their next owner")
        }
        // The room the dropped events freed lets the consuming loop go on, even while running work
        // of the revoked partitions still waits for the broker.
        book.withLock { book in
            book.endRevoke(revoked)
            return book.takeWakeups()
        }.resume()
        // Work of the revoked partitions waiting in a route (for its circuit, or a backoff) is
        // abandoned now: let it see so at once.
        wakeRouteWaiters()
    }

    /// Wakes the events waiting in the routes, so that abandoned ones stop at once.
    private func wakeRouteWaiters() {
        for route in routes.values { route.wakeAll() }
    }

    /// Waits until no work of `partitions` (every partition when `nil`) is admitted, or the time is up.
    func waitUntilDrained(_ partitions: Set<KafkaTopicPartition>?, within grace: Duration) async -> Bool {
        let target = partitions ?? book.withLock { Set($0.active.keys) }
        let drained = ManagedFlag()
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                    let done = self.book.withLock { book -> Bool in
                        if book.isDrained(target) { return true }
                        book.drainWaiters.append(PipelineBook.DrainWaiter(partitions: target, continuation: continuation))
                        return false
                    }
                    if done { continuation.resume() }
                }
                drained.set()
            }
            group.addTask {
                try? await Task.sleep(for: grace)
            }
            await group.next()
            if drained.value { group.cancelAll(); return }
            // Time is up: release the drain waiter so its task ends.
            let waiters = self.book.withLock { book in
                let waiters = book.drainWaiters.filter { $0.partitions == target }.map(\.continuation)
                book.drainWaiters.removeAll { $0.partitions == target }
                return waiters
            }
            waiters.forEach { $0.resume() }
            group.cancelAll()
        }
        return drained.value || book.withLock { $0.isDrained(target) }
    }

    /// Stops admitting records; what is admitted still runs to its end (within the shutdown grace),
    /// so that everything answered is committed. The consuming loop then drops what it reads until
    /// the consumer closes.
    func stopAdmitting() {
        let waiter = book.withLock { book -> CheckedContinuation<Bool, Never>? in
            book.stopping = true
            return book.takeRoomWaiterIfRoom()
        }
        waiter?.resume(returning: false)
    }

    /// Abandons all running work: used when the shutdown grace has run out.
    func abandonAll() {
        book.withLock { $0.abandonAll = true }
        wakeRouteWaiters()
    }
}

/// A flag set once, read from any task.
final class ManagedFlag: Sendable {
    private let storage = Atomic<Bool>(false)
    func set() { storage.store(true, ordering: .releasing) }
    var value: Bool { storage.load(ordering: .acquiring) }
}
