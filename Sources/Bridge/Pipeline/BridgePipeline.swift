import CustomerAPIs
import Kafka
import Logging
import Synchronization

/// The per-event path of the bridge, top to bottom: a record is admitted when there is room,
/// decoded, sent to its API through the API's route, answered with a reply (and a dead letter),
/// and only then counted finished, so the stored offset never passes an unanswered event
/// (docs/contract.md, "Guarantees").
///
/// Concurrency: up to `maxInFlight` records run at once, records of one ordering lane one after
/// another; many times more are admitted (`PipelineStateMachine.maxAdmitted`), so that other keys
/// can run while a hot key's records wait. When that many are admitted, or their values and keys
/// reach `maxBufferedBytes`, the pipeline stops pulling records, and the Kafka layer's bounded
/// buffer then stops fetching, so memory stays flat however large the backlog.
///
/// Every change of an event's lifecycle goes through `PipelineStateMachine` under one lock; this
/// class does the I/O its actions ask for.
final class BridgePipeline: Sendable {
    struct Configuration: Sendable {
        /// Which kind every input topic carries.
        var topicKinds: [String: EventKind]
        var replyTopic: String
        var deadLetterTopic: String
        var maxInFlight: Int
        var ordering: OrderingMode
        /// `BRIDGE_MAX_BUFFERED_MB` in bytes: the most bytes of admitted records' values and keys.
        var maxBufferedBytes: Int
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
    private let machine: Mutex<PipelineStateMachine<PipelineWaiter>>
    private let replies = ReplyQueue()
    private let writer: ReplyWriter

    init(
        configuration: Configuration, consumer: KafkaConsumer, producer: KafkaProducer, decoder: EventDecoder,
        routes: [EventKind: APIRoute], metrics: BridgeMetrics, readiness: Readiness, logger: Logger
    ) {
        self.configuration = configuration
        self.consumer = consumer
        self.producer = producer
        self.decoder = decoder
        self.routes = routes
        self.metrics = metrics
        self.logger = logger
        self.messages = BridgeMessages(replyTopic: configuration.replyTopic, deadLetterTopic: configuration.deadLetterTopic)
        self.machine = Mutex(PipelineStateMachine(
            maxInFlight: configuration.maxInFlight, ordering: configuration.ordering,
            maxBufferedBytes: configuration.maxBufferedBytes))
        self.writer = ReplyWriter(producer: producer, queue: replies, messages: messages, readiness: readiness, logger: logger)
    }

    /// Events running (sent to an API or being answered) now.
    var inFlight: Int { machine.withLock { $0.scheduler.running } }

    /// Events admitted and not finished (waiting, running, or waiting for their replies) now.
    var unfinished: Int { machine.withLock { $0.scheduler.admitted + $0.awaitingReply } }

    /// The next offset to process of each assigned partition that has finished a record.
    func positions() -> [(KafkaTopicPartition, Int64)] {
        machine.withLock { $0.committablePositions }
    }

    /// The partitions currently assigned to this pipeline.
    var assignedPartitions: [KafkaTopicPartition] { machine.withLock { $0.assignedPartitions } }

    // MARK: - The consuming loop

    /// Pulls records until the consumer's stream ends (after `consumer.close()`), running each
    /// admitted record's lane on a task of its own and writing replies on another, until every
    /// lane has ended and every reply is written or given up.
    func consume() async {
        let writing = Task {
            await writer.run(isCurrent: { [self] in isCurrent($0) }, done: { [self] in repliesDone($0) })
        }
        await withDiscardingTaskGroup { group in
            for await record in consumer.records {
                guard let kind = configuration.topicKinds[record.topic] else { continue }
                let partition = KafkaTopicPartition(topic: record.topic, partition: record.partition)
                // False when stopping, or when the partition was revoked meanwhile: leave the record for the next owner.
                guard await waitForRoom(holding: partition, bytes: PendingEvent.bytes(of: record)) else { continue }
                let (admission, running) = machine.withLock { machine in
                    let admission = machine.admit(record, kind: kind, partition: partition)
                    return (admission, machine.scheduler.running)
                }
                if case .refused(let refusal) = admission {
                    logger.warning(
                        "record refused: its offset cannot be tracked, so its work would not be counted before its offset is stored",
                        metadata: ["topic": "\(record.topic)", "partition": "\(record.partition)", "offset": "\(record.offset)", "reason": "\(refusal)"])
                }
                guard case .start(let start) = admission else { continue }
                metrics.recordInFlight(running)
                group.addTask { await self.runLane(from: start) }
            }
        }
        replies.finish()
        await writing.value
    }

    /// Suspends while the pipeline is full. Returns `false` once it is stopping, or when the
    /// partition of the record held is not assigned or being revoked.
    private func waitForRoom(holding partition: KafkaTopicPartition, bytes: Int) async -> Bool {
        await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
            let answer = machine.withLock { $0.waitForRoom(partition: partition, bytes: bytes, waiter: continuation) }
            if let answer { continuation.resume(returning: answer) }
        }
    }

    private func isCurrent(_ pending: PendingEvent) -> Bool {
        machine.withLock { $0.isCurrent(pending) }
    }

    /// Runs `first` and then every event that queued behind it in its lane.
    ///
    /// An event leaves its lane (and its in-flight slot) once its API work is over: its reply goes
    /// to the reply writer, so the lane's next event is not held up by the broker's acknowledgement.
    /// The event stays admitted, and its offset unstored, until the reply is acknowledged.
    private func runLane(from first: PendingEvent) async {
        var next: PendingEvent? = first
        while let pending = next {
            // Work that stopped counting while it waited (its partition was revoked, or the stop gave up) is not started.
            var answered: AnsweredEvent?
            if isCurrent(pending) { answered = await answer(pending) }
            let release = machine.withLock { answered != nil ? $0.answered(pending) : $0.abandoned(pending) }
            if let answered { replies.append(answered) }
            release.toResume.resume()
            metrics.recordInFlight(release.running)
            next = release.next
        }
    }

    // MARK: - One event

    /// Decodes the event, sends it to its API and makes its reply (and dead letter); `nil` when
    /// the work was abandoned (shutdown or a revoked partition) before an outcome was final.
    private func answer(_ pending: PendingEvent) async -> AnsweredEvent? {
        let record = pending.record
        let event = EventRecord(
            topic: record.topic, partition: record.partition, offset: record.offset, keyBytes: record.key,
            valueBytes: record.value, headers: record.headers.map { EventHeader(name: $0.name, value: $0.value) })
        let decoded = decoder.decode(event, kind: pending.kind)

        let resolution: EventResolution
        switch decoded.decision {
        case .rejected(let rejection):
            resolution = .rejected(rejection)
        case .request(let request):
            guard let route = routes[pending.kind] else { return nil }
            switch await route.deliver(
                request, correlationID: decoded.correlationID, traceparent: decoded.traceparent,
                isAbandoned: isAbandoned(pending), isBeingRevoked: isBeingRevoked(pending))
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

    /// Whether the event's partition is being revoked: work that can only wait (for an open
    /// circuit) gives up then instead of holding the revoke for its whole grace.
    private func isBeingRevoked(_ pending: PendingEvent) -> @Sendable () -> Bool {
        { [self] in self.machine.withLock { $0.isRevoking(pending.partition) } }
    }

    private func isAbandoned(_ pending: PendingEvent) -> @Sendable () -> Bool {
        { [self] in !self.isCurrent(pending) }
    }

    // MARK: - Replies and offsets

    /// Events' replies were acknowledged (`true`) or given up (`false`): count and log the
    /// outcomes, let the admission window move, and store the offsets this lets move, once for all.
    private func repliesDone(_ ended: [(AnsweredEvent, Bool)]) {
        var written: [PendingEvent] = []
        var givenUp: [PendingEvent] = []
        written.reserveCapacity(ended.count)
        for (answered, wasWritten) in ended {
            guard wasWritten else {
                givenUp.append(answered.pending)
                continue
            }
            metrics.recordResolution(kind: answered.pending.kind, answered.resolution)
            log(answered.resolution, answered.event, answered.pending.record)
            written.append(answered.pending)
        }
        store(machine.withLock { $0.repliesEnded(written: written, givenUp: givenUp) })
    }

    /// Stores the offsets the state machine hands out, one store at a time, until it has none
    /// left: a later store always carries the newest offsets, never a lower one than an earlier.
    private func store(_ work: PipelineStateMachine<PipelineWaiter>.OffsetWork) {
        var work = work
        while true {
            work.toResume.resume()
            guard !work.offsets.isEmpty else { return }
            do {
                try consumer.storeOffsets(work.offsets.map { KafkaTopicPartitionOffset(topic: $0.key.topic, partition: $0.key.partition, offset: $0.value) })
            } catch {
                // A partition was revoked between the reply and the store: its next owner redoes the event.
                logger.debug("offsets not stored", metadata: ["error": "\(error)"])
            }
            work = machine.withLock { $0.offsetsStored() }
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
        machine.withLock { $0.assign(partitions) }
    }

    /// Partitions are being revoked: their waiting work is dropped, their running work gets
    /// `revokeGrace` to finish (its offsets are stored as it does), and the rest is abandoned,
    /// to be redone by the next owner. When the assignment was `lost` (the group session expired,
    /// so another member may own the partitions already) nothing waits: all their work is
    /// abandoned at once and no offset of theirs is stored.
    func partitionsRevoked(_ partitions: [KafkaTopicPartition], lost: Bool = false) async {
        let revoked = Set(partitions)
        let (dropped, toResume, phase) = machine.withLock { machine in
            let (dropped, toResume) = machine.beginRevoke(revoked)
            return (dropped, toResume, machine.phase)
        }
        toResume.resume()
        // Their events waiting for an open circuit cannot finish within the grace: they give up now.
        wakeRouteWaiters()
        if !dropped.isEmpty {
            logger.debug("dropped \(dropped.count) waiting events of revoked partitions")
        }
        // After a shutdown gave up on its work, a revoke (from closing the consumer) waits for nothing.
        let abandoned = lost || phase == .abandoned
        let drained = abandoned ? false : await waitUntilDrained(revoked, within: configuration.revokeGrace)
        if lost {
            logger.warning("partitions lost; their unfinished events will be redone by their next owner", metadata: ["count": "\(partitions.count)"])
        } else if !drained && !abandoned {
            logger.warning("revoke grace ran out; unfinished events of the revoked partitions will be redone by their next owner")
        }
        // The room the dropped events freed lets the consuming loop go on, even while running work
        // of the revoked partitions still waits for the broker.
        machine.withLock { $0.endRevoke(revoked) }.resume()
        // Work of the revoked partitions waiting in a route (for its circuit, or a backoff) is
        // abandoned now: let it see so at once.
        wakeRouteWaiters()
    }

    /// Wakes the events waiting in the routes, so that abandoned ones stop at once.
    private func wakeRouteWaiters() {
        for route in routes.values { route.wakeAll() }
    }

    /// Waits until no work of `partitions` (every assigned partition when `nil`) is admitted and
    /// no offset of theirs waits to be stored; `false` when `grace` ran out first.
    func waitUntilDrained(_ partitions: Set<KafkaTopicPartition>?, within grace: Duration) async -> Bool {
        let registration = DrainRegistrationBox()
        let timer = Task {
            try? await Task.sleep(for: grace)
            // Time is up: the waiter is resumed with `false`, unless it was resumed already.
            if let id = registration.timeUp() { self.machine.withLock { $0.drainTimedOut(id) }?.resume(returning: false) }
        }
        let drained = await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
            switch machine.withLock({ $0.waitForDrain(partitions, waiter: continuation) }) {
            case .drained:
                continuation.resume(returning: true)
            case .waiting(let id):
                // When the time was up already, the timer found no id to time out: do it here.
                if !registration.register(id) { machine.withLock { $0.drainTimedOut(id) }?.resume(returning: false) }
            }
        }
        timer.cancel()
        return drained
    }

    /// Stops admitting records; what is admitted still runs to its end (within the shutdown grace),
    /// so that everything answered is committed. The consuming loop then drops what it reads until
    /// the consumer closes.
    func stopAdmitting() {
        machine.withLock { $0.stop() }.resume()
    }

    /// Abandons all unfinished work: used when the shutdown grace has run out.
    func abandonAll() {
        machine.withLock { $0.abandonAll() }.resume()
        wakeRouteWaiters()
    }
}

/// What a party waiting on the pipeline is resumed through: the consuming loop waiting for room
/// (`true`: admit the record it holds; `false`: drop it), a revoke or the stop waiting for
/// partitions to drain (`true`: drained; `false`: the time ran out).
typealias PipelineWaiter = CheckedContinuation<Bool, Never>

/// The id of a drain wait, handed between the waiting call and its timer, whichever comes first.
private final class DrainRegistrationBox: Sendable {
    private enum State { case unregistered, registered(UInt64), timeUp }
    private let state = Mutex(State.unregistered)

    /// Records the wait's id; `false` when the time was up already.
    func register(_ id: UInt64) -> Bool {
        state.withLock { state in
            if case .timeUp = state { return false }
            state = .registered(id)
            return true
        }
    }

    /// The time is up: the id to time out, if the wait was registered.
    func timeUp() -> UInt64? {
        state.withLock { state in
            defer { state = .timeUp }
            if case .registered(let id) = state { return id }
            return nil
        }
    }
}

extension PipelineStateMachine.WaitersToResume where Waiter == PipelineWaiter {
    /// Resumes every waiter with its answer; call outside the lock.
    func resume() {
        for (waiter, answer) in waiters { waiter.resume(returning: answer) }
    }
}
