import CRdKafka
import Logging
import Synchronization

/// The consumer's poll thread: polls librdkafka into the record buffer, serves the rebalance
/// callback, owns every pause and resume (`FetchControl`), applies backpressure, and finally
/// closes and destroys the handle. Everything here runs on that one thread.
///
/// Records are taken one `rd_kafka_consumer_poll` at a time, never with librdkafka 2.0.2's batch
/// call: a rebalance callback or a pause served inside a batch call can make that call drop
/// records whose position it has already passed, so that they are never fetched again (v2.0.0
/// CHANGELOG, "Known Issues"; fixed in 2.1.0). With single polls, every callback runs between two
/// records, and this thread applies pauses only between polls.
final class ConsumerPollLoop {
    /// The most records taken in one round before they are handed to the buffer.
    private static let batchSize = 4096
    private static let pollMilliseconds: Int32 = 100
    /// How long a full buffer may stay full before fetching is paused; rebalance callbacks wait
    /// meanwhile. Pausing is dear: librdkafka 2.0.2 drops a paused partition's prefetched records
    /// and fetches them again from the application's position after the resume, and the consumer
    /// gets nothing in between. With 100 ms the bridge paused about once a second at full load;
    /// `bench pipeline` (0 ms APIs), A/B: 11,227–11,417 events/s with 100 ms, 17,558–20,121 with 1,000.
    private static let fullWaitMilliseconds = 1000
    /// How long a close waits for a group's first assignment once the group was joined (see `shutDown`).
    private static let firstAssignmentWait: Duration = .seconds(3)

    private let core: ConsumerCore
    private let rk: OpaquePointer
    private let reader = RDKafkaRecordReader()
    private var fetch = FetchControl()
    /// Messages taken in the current round and not read into records yet: `collected` of them,
    /// room for `batchSize`. Read (and destroyed) at the end of the round, or before a rebalance
    /// callback looks at `pending`.
    private let messages: UnsafeMutablePointer<UnsafeMutablePointer<rd_kafka_message_t>>
    private var collected = 0
    /// Records taken in the current round, not yet handed to the buffer.
    private var pending: [KafkaRecord] = []
    /// The partitions whose records the buffer holds back: kept equal to the application's pauses.
    private var bufferPaused: Set<KafkaTopicPartition> = []
    /// Whether a rebalance ever assigned partitions (then a cooperative-sticky consumer has the
    /// assignor state that librdkafka 2.0.2 asserts on when it is destroyed).
    private var assignedOnce = false

    private init(core: ConsumerCore) {
        self.core = core
        self.rk = core.handle.raw
        self.messages = .allocate(capacity: Self.batchSize)
    }

    deinit {
        readCollected()
        messages.deallocate()
    }

    /// Starts the poll thread of `core`, detached: it ends by opening `core.closed`.
    static func start(core: ConsumerCore) {
        let thread = KafkaThread(name: "kafka-poll") {
            let loop = ConsumerPollLoop(core: core)
            core.context.rebalance = { rk, err, list in loop.rebalance(rk: rk, err: err, list: list) }
            loop.run()
        }
        thread.detach()
    }

    private func run() {
        while !core.closeRequested.load(ordering: .acquiring) {
            applyRequests()
            guard let timeout = applyBackpressure() else { continue }
            pollOnce(timeoutMilliseconds: timeout)
        }
        shutDown()
    }

    // MARK: - Fetch control

    /// Applies the pauses and resumes asked for since the last time, in order.
    private func applyRequests() {
        let requests = core.state.withLock { state -> [FetchControl.Request] in
            defer { state.fetchRequests = [] }
            return state.fetchRequests
        }
        for request in requests {
            execute(fetch.apply(request))
        }
        if !requests.isEmpty {
            publishGenerations()
            syncBufferPauses()
        }
    }

    /// Makes the buffer hold back exactly the partitions the application has paused.
    private func syncBufferPauses() {
        let target = fetch.pausedByApplication
        guard target != bufferPaused else { return }
        let released = bufferPaused.subtracting(target)
        let held = target.subtracting(bufferPaused)
        if !held.isEmpty { core.buffer.pause(held) }
        if !released.isEmpty { core.buffer.resume(released) }
        bufferPaused = target
    }

    /// Publishes the assignment generations for pause requests to be asked under.
    private func publishGenerations() {
        let generations = fetch.generations
        core.state.withLock { $0.generations = generations }
    }

    /// Tells librdkafka what `FetchControl` decided: pauses first, then resumes.
    private func execute(_ actions: FetchControl.Actions) {
        if !actions.pause.isEmpty { setFetching(actions.pause, paused: true) }
        if !actions.resume.isEmpty { setFetching(actions.resume, paused: false) }
    }

    private func setFetching(_ partitions: Set<KafkaTopicPartition>, paused pause: Bool) {
        let err = RDKafkaTopicPartitionList.with(Array(partitions)) { list in
            pause ? rd_kafka_pause_partitions(rk, list) : rd_kafka_resume_partitions(rk, list)
        }
        if err != RD_KAFKA_RESP_ERR_NO_ERROR {
            core.logger.warning("could not \(pause ? "pause" : "resume") partitions", metadata: ["error": "\(KafkaError(err))"])
        }
    }

    /// Waits briefly for space when the buffer is full, then pauses fetching; resumes once half
    /// empty. Returns the poll timeout to use, or `nil` when requests arrived meanwhile and should
    /// be applied before the next poll.
    private func applyBackpressure() -> Int32? {
        if core.buffer.isFullMarkingWaiter() {
            if fetch.pausedForBackpressure { return 10 }
            if core.buffer.spaceAvailable.wait(milliseconds: Self.fullWaitMilliseconds) {
                // Woken by a taken batch, a request or a close: look again before polling.
                return hasRequests || core.buffer.isFullMarkingWaiter() ? nil : Self.pollMilliseconds
            }
            guard core.buffer.isFullMarkingWaiter() else { return Self.pollMilliseconds }
            setBackpressure(true)
            core.logger.debug("record buffer full: fetching paused")
            return 10
        }
        if fetch.pausedForBackpressure && core.buffer.isHalfEmpty {
            setBackpressure(false)
            core.logger.debug("record buffer drained: fetching resumed")
        }
        return fetch.pausedForBackpressure ? 10 : Self.pollMilliseconds
    }

    private var hasRequests: Bool { core.state.withLock { !$0.fetchRequests.isEmpty } }

    private func setBackpressure(_ paused: Bool) {
        execute(fetch.setBackpressure(paused))
        core.state.withLock { $0.pausedForBackpressure = paused }
    }

    // MARK: - Records

    /// Waits up to `timeoutMilliseconds` for one record, then takes what else is ready without
    /// waiting, one poll at a time, and hands the round's records to the buffer.
    private func pollOnce(timeoutMilliseconds: Int32) {
        let changesBefore = core.state.withLock { $0.assignmentChanges }
        var wait = timeoutMilliseconds
        while pending.count + collected < Self.batchSize, let message = rd_kafka_consumer_poll(rk, wait) {
            wait = 0
            if message.pointee.err == RD_KAFKA_RESP_ERR_NO_ERROR {
                messages[collected] = message
                collected += 1
            } else {
                report(message)
                rd_kafka_message_destroy(message)
            }
        }
        readCollected()
        guard !pending.isEmpty else { return }
        var batch = pending
        pending = []
        // A rebalance callback of this round already removed what it revoked from `pending`; a
        // manual assignment from another thread may have changed the assignment too.
        let (changesAfter, assignment) = core.state.withLock { ($0.assignmentChanges, $0.assignment) }
        if changesAfter != changesBefore {
            let before = batch.count
            batch.removeAll { !assignment.contains($0.topicPartition) }
            if batch.count < before {
                core.logger.debug("dropped \(before - batch.count) records of partitions no longer assigned")
            }
        }
        core.buffer.append(batch)
    }

    /// Reads the collected messages into `pending` and destroys them.
    private func readCollected() {
        guard collected > 0 else { return }
        let taken = UnsafeBufferPointer(start: messages, count: collected)
        reader.read(taken, into: &pending)
        for message in taken { rd_kafka_message_destroy(message) }
        collected = 0
    }

    /// A per-record or consumer error: logged; the stream goes on.
    private func report(_ message: UnsafeMutablePointer<rd_kafka_message_t>) {
        let error = KafkaError(message.pointee.err)
        var metadata: Logger.Metadata = ["error": "\(error)"]
        if let rkt = message.pointee.rkt, let name = rd_kafka_topic_name(rkt) {
            metadata["topic"] = "\(String(cString: name))"
            metadata["partition"] = "\(message.pointee.partition)"
        }
        if error.hasCode(RD_KAFKA_RESP_ERR__PARTITION_EOF) {
            core.logger.debug("end of partition", metadata: metadata)
        } else {
            core.logger.warning("consumer error", metadata: metadata)
        }
    }

    // MARK: - Rebalance

    /// librdkafka's rebalance callback, inside a poll call on this thread (between two records).
    private func rebalance(rk: OpaquePointer, err: rd_kafka_resp_err_t, list: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>) {
        // What this round took before the callback is judged with `pending` (see `forget`).
        readCollected()
        let partitions = RDKafkaTopicPartitionList.partitions(list)
        let cooperative = rd_kafka_rebalance_protocol(rk).map { String(cString: $0) == "COOPERATIVE" } ?? core.mayUseCooperativeSticky
        // Requests made before this rebalance apply to the assignment they were made under.
        applyRequests()
        switch err {
        case RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS:
            if cooperative {
                if let error = rd_kafka_incremental_assign(rk, list) { logAssignFailure(KafkaError(consuming: error)) }
            } else {
                let result = rd_kafka_assign(rk, list)
                if result != RD_KAFKA_RESP_ERR_NO_ERROR { logAssignFailure(KafkaError(result)) }
            }
            let added = Set(partitions)
            core.state.withLock { state in
                state.assignment.formUnion(added)
                state.assignmentChanges += 1
            }
            execute(fetch.assigned(added))
            publishGenerations()
            syncBufferPauses()
            assignedOnce = true
            core.logger.info("partitions assigned", metadata: ["partitions": "\(partitions)"])
            awaitHandler(.assigned(partitions))
            // The handler's pauses take effect before anything of these partitions is taken.
            applyRequests()
        case RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS:
            revoke(partitions, cooperative: cooperative, lost: rd_kafka_assignment_lost(rk) != 0, list: list)
        default:
            core.logger.error("rebalance failed", metadata: ["error": "\(KafkaError(err))"])
            let revoked = core.state.withLock { Array($0.assignment) }
            forget(Set(revoked))
            if !revoked.isEmpty { awaitHandler(.revoked(revoked)) }
            _ = rd_kafka_assign(rk, nil)
            core.state.withLock { state in
                state.assignment.removeAll()
                state.assignmentChanges += 1
            }
            execute(fetch.unassignedAll())
            publishGenerations()
            syncBufferPauses()
        }
    }

    private func revoke(
        _ partitions: [KafkaTopicPartition], cooperative: Bool, lost: Bool,
        list: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>
    ) {
        forget(Set(partitions))
        if lost {
            // Other members may own these partitions already: forget their stored offsets now
            // (or the auto-commit timer sends them) and let the handler abandon their work.
            clearStoredOffsets(partitions)
            core.state.withLock { $0.revokingLostAssignment = true }
            core.logger.warning("partitions lost (group session expired or member fenced); their unfinished work is abandoned", metadata: ["partitions": "\(partitions)"])
        } else {
            core.logger.info("partitions revoked", metadata: ["partitions": "\(partitions)"])
        }
        awaitHandler(.revoked(partitions))
        if lost {
            // Offsets the handler stored meanwhile must not be committed either: librdkafka
            // 2.0.2 forgets that the assignment was lost as soon as it is unassigned, and then
            // commits the stored offsets of the removed partitions.
            clearStoredOffsets(partitions)
            core.state.withLock { $0.revokingLostAssignment = false }
        }
        if cooperative {
            if let error = rd_kafka_incremental_unassign(rk, list) { logAssignFailure(KafkaError(consuming: error)) }
        } else {
            _ = rd_kafka_assign(rk, nil)
        }
        core.state.withLock { state in
            state.assignment.subtract(partitions)
            if !cooperative { state.assignment.removeAll() }
            state.assignmentChanges += 1
        }
        execute(cooperative ? fetch.revoked(Set(partitions)) : fetch.unassignedAll())
        publishGenerations()
        syncBufferPauses()
    }

    /// Drops every record of `partitions` this layer holds, taken this round or buffered: their
    /// next owner reads them again. Their pause in the buffer ends with them.
    private func forget(_ partitions: Set<KafkaTopicPartition>) {
        pending.removeAll { partitions.contains($0.topicPartition) }
        core.buffer.drop(partitions)
        bufferPaused.subtract(partitions)
    }

    /// Replaces the stored offsets of `partitions` with INVALID (librdkafka accepts a logical
    /// offset for an assigned partition), so no commit includes them.
    private func clearStoredOffsets(_ partitions: [KafkaTopicPartition]) {
        let err = RDKafkaTopicPartitionList.with(partitions) { list in rd_kafka_offsets_store(rk, list) }
        if err != RD_KAFKA_RESP_ERR_NO_ERROR {
            core.logger.warning("could not clear the stored offsets of lost partitions", metadata: ["error": "\(KafkaError(err))"])
        }
    }

    private func logAssignFailure(_ error: KafkaError) {
        core.logger.error("assignment change failed", metadata: ["error": "\(error)"])
    }

    /// Runs the caller's rebalance handler and blocks this (dedicated) thread until it returns.
    private func awaitHandler(_ event: KafkaRebalanceEvent) {
        guard let handler = core.rebalanceHandler else { return }
        let done = ThreadSignal()
        Task {
            await handler(event)
            done.signal()
        }
        done.wait()
    }

    // MARK: - Close

    /// Stops the worker, commits stored offsets, leaves the group, ends the records and destroys
    /// the handle, in that order, all on this thread.
    ///
    /// librdkafka 2.0.2 aborts the process when it destroys a cooperative-sticky consumer that
    /// joined its group but never received an assignment (`rd_kafka_sticky_assignor_state_destroy:
    /// Assertion 'assignor_state' failed`, confluentinc/librdkafka#4312, fixed in 2.3.0): the
    /// group has chosen the assignor, whose state only an assignment creates. So a close during the
    /// first join first waits a little for that assignment, and a consumer that still has none is
    /// closed (it leaves the group) but not destroyed: its handle is left to the process's exit.
    private func shutDown() {
        core.worker.stopAndJoin()
        waitForFirstAssignmentIfJoined()
        let commit = rd_kafka_commit(rk, nil, 0)
        if commit != RD_KAFKA_RESP_ERR_NO_ERROR && commit != RD_KAFKA_RESP_ERR__NO_OFFSET {
            core.logger.warning("final commit failed", metadata: ["error": "\(KafkaError(commit))"])
        }
        // Under the lock that wakes take: no yield reaches the close's queue after this.
        core.state.withLock { $0.closeStarted = true }
        let close = rd_kafka_consumer_close(rk)
        if close != RD_KAFKA_RESP_ERR_NO_ERROR {
            core.logger.warning("consumer close failed", metadata: ["error": "\(KafkaError(close))"])
        }
        let subscribed = core.state.withLock { $0.subscribed }
        let destroyable = assignedOnce || !subscribed || !core.mayUseCooperativeSticky
        core.buffer.finish()
        core.state.withLock { $0.isAlive = false }
        core.context.rebalance = nil
        rd_kafka_queue_destroy(core.queue.raw)
        if destroyable {
            rd_kafka_destroy(rk)
        } else {
            // librdkafka's threads may still log through the context: keep it alive for good.
            _ = Unmanaged.passRetained(core.context)
            core.logger.info("consumer closed before its group's first assignment; its librdkafka handle is left to the process's exit (librdkafka 2.0.2 would abort destroying it, confluentinc/librdkafka#4312)")
        }
        core.closed.open()
    }

    /// When the group chose the cooperative-sticky assignor but no assignment came yet, polls
    /// (serving the rebalance callback, dropping records) until it comes, for a short while.
    private func waitForFirstAssignmentIfJoined() {
        guard !assignedOnce, core.mayUseCooperativeSticky, core.state.withLock({ $0.subscribed }) else { return }
        guard let name = rd_kafka_rebalance_protocol(rk), String(cString: name) == "COOPERATIVE" else { return }
        let deadline = ContinuousClock.now + Self.firstAssignmentWait
        while !assignedOnce && ContinuousClock.now < deadline {
            if let message = rd_kafka_consumer_poll(rk, 50) { rd_kafka_message_destroy(message) }
        }
        pending = []
    }
}
